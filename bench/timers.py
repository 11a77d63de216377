"""Figure 4: firing due deadlines with 1 and 2 worker processes, duplicates,
and how late a timer fires under the real `flask worker` loop."""

from __future__ import annotations

import multiprocessing
import queue
import time

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models import Case, Role, make_engine
from workflows.engine import clock
from workflows.engine.timers import fire_due_timers

from . import sqlprobe
from .common import Figure, add_person, fresh_database, log, main_backend, profile, ratio
from .data import context, library, open_takedown, trio
from .seed import Cast, add_live_copies, add_people, capture, hr_people
from .timer_delay import measure_delay

DUE_IN_SECONDS = 2.0  # the template's deadline; its reminder falls due at half time
FALLBACK_TIMERS = 2000  # cases per run when the figure is repeated on SQLite


def run(opts) -> Figure:
    fig = Figure("timers", f"firing {opts.timers:,} due deadlines")
    backend = main_backend(opts)
    if not measure(fig, backend, opts.timers, opts) and backend == "postgresql":
        count = min(opts.timers, FALLBACK_TIMERS)
        fig.notes.append(f"PostgreSQL run had errors (above); repeated on SQLite with {count:,} cases")
        measure(fig, "sqlite", count, opts)
    return fig


def measure(fig: Figure, backend: str, count: int, opts) -> bool:
    """The whole figure on one backend; False if anything errored."""
    url = fresh_database(backend, opts, "timers")
    engine = make_engine(url)
    template, cast = prepare(engine, opts)
    bare = bare_rate(engine, template, count=max(20, min(200, count)))
    rates, errors = {}, []
    for workers, cases in ((1, min(count, opts.timers_one_worker)), (2, count)):
        rates[workers] = fire_copies(fig, engine, url, (template, cast), workers, cases, errors, backend, opts)
    if opts.profile or rates[2] < 500:
        add_live_copies(engine, template, opts.profile_steps * 4, cast)
        fig.profiles[f"{backend}: fire_due_timers, 1 process, {opts.profile_steps * 4} due cases"] = profile(
            lambda: worker_loop(url, opts.workdir, errors)
        )
    fig.counts[f"sql_statements_per_firing_{backend}"] = statements_per_firing(engine, template, cast, opts)
    dupes = duplicates(engine)
    engine.dispose()
    delays = measure_delay(backend, opts, errors)
    report(fig, backend, rates, bare, delays, dupes, errors, opts)
    return not errors


def prepare(engine, opts):
    """People, and one real case whose reminder has fired and whose deadline
    is now due: the template for every copy."""
    with Session(engine, expire_on_commit=False) as db:
        people = trio(db, "timers")
        add_person(db, "Hana HR two", "hr2@bcwhub.test", (Role.HR,))
        db.commit()
        ctx = context(db, opts.workdir)
        case = open_takedown(ctx, people["requester"], people["subject"], deadline_hours=DUE_IN_SECONDS / 3600)
        db.commit()
        time.sleep(DUE_IN_SECONDS * 0.6)
        fire_due_timers(ctx)  # the reminder, in this session (the case is already loaded)
        template = capture(db, case, people)
    cast = Cast(add_people(engine, 20, Role.MANAGER, "tm"), add_people(engine, 200, None, "te"), hr_people(engine))
    time.sleep(max(0.0, (template.case["next_timer_at"] - clock.now()).total_seconds()) + 0.2)
    return template, cast


def fire_copies(
    fig: Figure, engine, url: str, source, workers: int, count: int, errors: list[str], backend: str, opts
) -> float:
    template, cast = source
    add_live_copies(engine, template, count, cast)
    due = count_due(engine)
    log(f"    {backend}: {due:,} due cases, {workers} worker process(es)")
    outcomes = run_workers(url, opts.workdir, workers)
    errors += [o["error"] for o in outcomes if o.get("error")]
    fired = sum(o["fired"] for o in outcomes)
    seconds = max(o["end"] for o in outcomes) - min(o["start"] for o in outcomes)
    key = f"{backend}_{workers}w"
    fig.counts.update(
        {
            f"due_{key}": due,
            f"fired_{key}": fired,
            f"left_due_{key}": count_due(engine),
            f"per_worker_{key}": "/".join(str(o["fired"]) for o in outcomes),
        }
    )
    return fired / seconds if seconds > 0 else 0.0


def run_workers(url: str, workdir: str, workers: int) -> list[dict]:
    """Spawn the workers, start them together, collect what each fired."""
    mp = multiprocessing.get_context("spawn")
    ready, go, results = mp.Queue(), mp.Event(), mp.Queue()
    procs = [mp.Process(target=worker_process, args=(url, workdir, ready, go, results)) for _ in range(workers)]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=120)
    go.set()
    outcomes = []
    while len(outcomes) < workers:
        try:
            outcomes.append(results.get(timeout=1.0))
        except queue.Empty:
            if not any(p.is_alive() for p in procs) and results.empty():
                raise RuntimeError("a timer worker died without reporting") from None
    for proc in procs:
        proc.join(60)
    return outcomes


def worker_process(url: str, workdir: str, ready, go, results) -> None:
    """One worker: its own engine and session; fires until nothing is due."""
    library()  # parse the diagrams before the clock starts, as a running worker has
    ready.put(True)
    go.wait()
    start, errors = time.time(), []
    fired = worker_loop(url, workdir, errors)
    results.put({"fired": fired, "start": start, "end": time.time(), "error": errors[0] if errors else None})


def worker_loop(url: str, workdir: str, errors: list[str] | None = None) -> int:
    """fire_due_timers until it fires nothing; an exception ends the loop (as
    it ends `flask worker`) and is recorded in `errors` when given."""
    engine, fired = make_engine(url), 0
    with Session(engine, expire_on_commit=False) as db:
        ctx = context(db, workdir)
        try:
            while True:
                batch = fire_due_timers(ctx)
                db.close()  # as `flask worker` does after each round
                fired += batch
                if batch == 0:
                    break
        except Exception as error:
            if errors is None:
                raise
            errors.append(f"{type(error).__name__}: {error}")
    engine.dispose()
    return fired


def statements_per_firing(engine, template, cast, opts, cases: int = 10) -> int:
    add_live_copies(engine, template, cases, cast)
    with Session(engine, expire_on_commit=False) as db:
        fired = []
        total = sqlprobe.count(engine, lambda: fired.append(fire_due_timers(context(db, opts.workdir))))
    return round(total / max(1, fired[0]))


def count_due(engine) -> int:
    with Session(engine) as db:
        return db.scalar(select(func.count()).select_from(Case).where(Case.next_timer_at <= clock.now()))


def duplicates(engine) -> int:
    """Timers fired more than once: timer_fired events per (case, timer) beyond one."""
    with engine.connect() as conn:
        return int(
            conn.scalar(
                text(
                    "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM audit_events "
                    "WHERE action = 'timer_fired' GROUP BY case_id, bpmn_task) AS per_timer"
                )
            )
        )


def bare_rate(engine, template, count: int) -> float:
    """Baseline: SpiffWorkflow alone firing the same due timers in memory
    (deserialize_json with spec, refresh_timers, do_engine_steps, serialize_json)."""
    lib = library()
    with Session(engine) as db:
        workflow = lib.restore(db, template.case["spec_hash"], template.case["state"])
        blob = lib.serializer.serialize_json(workflow)
    start = time.perf_counter()
    for _ in range(count):
        workflow = lib.serializer.deserialize_json(blob)
        workflow.script_engine = lib.script_engine
        workflow.refresh_timers()
        workflow.do_engine_steps()
        lib.serializer.serialize_json(workflow)
    return count / (time.perf_counter() - start)


def report(
    fig: Figure, backend: str, rates: dict, bare: float, delays: dict, dupes: int, errors: list[str], opts
) -> None:
    tag = f"({backend})"
    fig.add(f"1 worker: fired/s {tag}", rates[1], "cases/s", baseline=bare, ratio=ratio(rates[1], bare))
    fig.counts["cases_fired_by_one_worker"] = min(opts.timers, opts.timers_one_worker)
    fig.add(
        f"2 workers: fired/s {tag}",
        rates[2],
        "cases/s",
        baseline=rates[1],
        ratio=ratio(rates[2], rates[1]),
        target=">= 500/s",
        met=rates[2] >= 500,
    )
    fig.add(f"duplicate firings {tag}", float(dupes), "", target="0", met=dupes == 0)
    left = sum(v for k, v in fig.counts.items() if k.startswith(f"left_due_{backend}"))
    fig.add(f"errors + due cases left {tag}", float(len(errors) + left), "", target="0", met=not errors and left == 0)
    for stat in ("p50", "p95", "max"):
        fig.add(
            f"delay due->fired {stat} {tag}",
            delays[stat],
            "s",
            baseline=1.0,
            ratio=ratio(delays[stat], 1.0),
            target="<= 2 s" if stat == "p95" else "",
            met=(delays[stat] <= 2.0) if stat == "p95" else None,
        )
    fig.counts[f"duplicates_{backend}"] = dupes
    fig.counts[f"errors_{backend}"] = len(errors)
    fig.counts["duplicates"] = fig.counts.get("duplicates", 0) + dupes
    fig.counts["errors"] = fig.counts.get("errors", 0) + len(errors)
    fig.notes.extend(f"{backend} error: {e}" for e in dict.fromkeys(errors))
    fig.notes.append(
        f"{backend}: each case's reminder has fired and its deadline is due (firing escalates to HR "
        "and the requester, emails queued). Copies of one real case with fresh task ids, bulk inserted. "
        "N worker processes (spawn), each its own engine/session, fire_due_timers in a loop until it "
        f"returns 0; 2 workers fire all {opts.timers:,}, 1 worker fires {min(opts.timers, opts.timers_one_worker):,} "
        "(the same per-case work; --timers-one-worker to change it, the default keeps the run under "
        "10 minutes). 1-worker baseline = bare SpiffWorkflow firing the same timer in memory; 2-worker "
        "baseline = 1 worker. Delay: the real `flask --app wsgi worker` (default settings) on a fresh "
        f"database while {delays['timers']} timers of {delays['cases']} real cases fall due at random "
        f"moments over {opts.delay_window:g} s; delay = timer_fired occurred_at - due; baseline = the "
        "1.0 s idle poll interval."
    )

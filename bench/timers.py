"""Figure 4: firing due deadlines with 1 and 2 worker processes, duplicates,
and how late a timer fires under the real `flask worker` loop."""
from __future__ import annotations

import multiprocessing
import time

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models import Case, Role, make_engine
from workflows import clock
from workflows.timers import fire_due_timers

from .common import Figure, add_person, fresh_database, log, main_backend, profile, ratio, summarize
from .data import context, library, open_takedown, trio
from .seed import Cast, add_live_copies, add_people, capture, hr_people
from .timer_delay import measure_delay

DUE_IN_SECONDS = 1.0  # the template's deadline: due a second after it opens


def run(opts) -> Figure:
    fig = Figure("timers", f"firing {opts.timers:,} due deadlines")
    backend = main_backend(opts)
    url = fresh_database(backend, opts, "timers")
    engine = make_engine(url)
    template, cast = prepare(engine, opts)
    bare = bare_rate(engine, template, count=max(20, min(200, opts.timers)))
    rates = {}
    for workers in (1, 2):
        rates[workers] = fire_copies(fig, engine, url, template, cast, workers, opts)
    if opts.profile or rates[2] < 500:
        add_live_copies(engine, template, opts.profile_steps * 4, cast)
        fig.profiles[f"fire_due_timers, 1 process, {opts.profile_steps * 4} due cases"] = profile(
            lambda: worker_loop(url, opts.workdir))
    delays = measure_delay(url, engine, opts)
    fig.counts["duplicates"] = duplicates(engine)
    engine.dispose()
    report(fig, rates, bare, delays, opts, backend)
    return fig


def prepare(engine, opts):
    """People, and one real case whose reminder and deadline are both due."""
    with Session(engine, expire_on_commit=False) as db:
        people = trio(db, "timers")
        add_person(db, "Hana HR two", "hr2@bcwhub.test", (Role.HR,))
        db.commit()
        case = open_takedown(context(db, opts.workdir), people["requester"], people["subject"],
                             deadline_hours=DUE_IN_SECONDS / 3600)
        db.commit()
        template = capture(db, case, people)
    cast = Cast(add_people(engine, 20, Role.MANAGER, "tm"), add_people(engine, 200, None, "te"),
                hr_people(engine))
    time.sleep(DUE_IN_SECONDS * 1.5)  # both timers of the template (and of its copies) now due
    return template, cast


def fire_copies(fig: Figure, engine, url: str, template, cast, workers: int, opts) -> float:
    add_live_copies(engine, template, opts.timers, cast)
    due = count_due(engine)
    log(f"    {due:,} due cases, {workers} worker process(es)")
    context_ = multiprocessing.get_context("spawn")
    ready, go, results = context_.Queue(), context_.Event(), context_.Queue()
    procs = [context_.Process(target=worker_process, args=(url, opts.workdir, ready, go, results))
             for _ in range(workers)]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=120)
    go.set()
    outcomes = [results.get(timeout=1800) for _ in procs]
    for proc in procs:
        proc.join(60)
    fired = sum(o["fired"] for o in outcomes)
    seconds = max(o["end"] for o in outcomes) - min(o["start"] for o in outcomes)
    fig.counts[f"due_{workers}w"] = due
    fig.counts[f"fired_{workers}w"] = fired
    fig.counts[f"left_due_{workers}w"] = count_due(engine)
    fig.counts[f"per_worker_{workers}w"] = "/".join(str(o["fired"]) for o in outcomes)
    return fired / seconds if seconds > 0 else 0.0


def worker_process(url: str, workdir: str, ready, go, results) -> None:
    """One worker: its own engine and session; fires until nothing is due."""
    library()  # parse the diagrams before the clock starts, as a running worker has
    ready.put(True)
    go.wait()
    start = time.time()
    fired = worker_loop(url, workdir)
    results.put({"fired": fired, "start": start, "end": time.time()})


def worker_loop(url: str, workdir: str) -> int:
    engine, fired = make_engine(url), 0
    with Session(engine, expire_on_commit=False) as db:
        ctx = context(db, workdir)
        while True:
            batch = fire_due_timers(ctx)
            db.close()  # as `flask worker` does after each round
            fired += batch
            if batch == 0:
                break
    engine.dispose()
    return fired


def count_due(engine) -> int:
    with Session(engine) as db:
        return db.scalar(select(func.count()).select_from(Case).where(Case.next_timer_at <= clock.now()))


def duplicates(engine) -> int:
    """Timers fired more than once: timer_fired events per (case, timer) beyond one."""
    with engine.connect() as conn:
        return conn.scalar(text(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM audit_events "
            "WHERE action = 'timer_fired' GROUP BY case_id, bpmn_task) AS per_timer"))


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


def report(fig: Figure, rates: dict, bare: float, delays: dict, opts, backend: str) -> None:
    dupes = fig.counts["duplicates"]
    fig.add("1 worker: fired/s", rates[1], "cases/s", baseline=bare, ratio=ratio(rates[1], bare))
    fig.add("2 workers: fired/s", rates[2], "cases/s", baseline=rates[1], ratio=ratio(rates[2], rates[1]),
            target=">= 500/s", met=rates[2] >= 500)
    fig.add("duplicate firings", float(dupes), "", target="0", met=dupes == 0)
    left = fig.counts.get("left_due_1w", 0) + fig.counts.get("left_due_2w", 0)
    fig.add("due cases left unfired", float(left), "", target="0", met=left == 0)
    for stat in ("p50", "p95", "max"):
        fig.add(f"delay due->fired {stat} (flask worker)", delays[stat], "s", baseline=1.0,
                ratio=ratio(delays[stat], 1.0), target="<= 2 s" if stat == "p95" else "",
                met=(delays[stat] <= 2.0) if stat == "p95" else None)
    fig.notes.append(
        f"{backend}; each case: reminder + deadline both due (one firing runs both, escalating to HR "
        "and the requester with emails queued). Copies of one real case with fresh task ids, bulk "
        "inserted. N worker processes (spawn), each its own engine/session, fire_due_timers in a loop "
        "until it returns 0. 1-worker baseline = bare SpiffWorkflow firing the same timers in memory "
        f"(cases/s); 2-worker baseline = 1 worker. Delay: `flask --app wsgi worker` (default 1.0 s idle "
        f"poll) running while {delays['timers']} timers of {delays['cases']} real cases fall due over "
        f"{opts.delay_window:g} s; delay = timer_fired occurred_at - due; baseline = the 1.0 s poll.")

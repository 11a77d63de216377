"""Figure 3: the pages people use, at a small and a large number of cases.

Two databases side by side, built the same way: the open work is the same
in both (real cases, opened and moved on through the operations layer); the
history (finished cases, ~20 audit events each) differs. A page that scales
with work, not history, costs the same in both. Pages are timed alternately
in the two, so machine noise falls on both sizes alike.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Case, Role, User, make_engine
from workflows.engine import dashboard, queries, tallies
from workflows.engine.cases import view_case

from . import sqlprobe
from .browser import AppBrowser, make_app
from .common import Figure, add_person, drop_pg, fresh_database, log, main_backend, profile, ratio, summarize
from .data import context, drive, open_takedown
from .seed import Cast, add_history, add_people, hr_people, make_templates

OPEN_WORK = (("respond", 18), ("verify", 12), ("decide", 10))  # beside the probe's own
WARMUP = 3


def run(opts) -> Figure:
    fig = Figure("scale", f"page server time at {opts.cases_small:,} and {opts.cases_large:,} cases")
    backend = main_backend(opts)
    sizes = {"small": opts.cases_small, "large": opts.cases_large}
    dbs = {label: build(fig, backend, opts, label, size) for label, size in sizes.items()}
    try:
        samples = measure(dbs, opts)
        report(fig, samples, opts, backend)
        if opts.profile or any(r.met is False for r in fig.rows):
            profile_misses(fig, dbs["large"], opts)
    finally:
        for db in dbs.values():
            db["engine"].dispose()
        if backend == "postgresql":
            drop_pg(dbs["large"]["url"])
    return fig


def build(fig: Figure, backend: str, opts, label: str, size: int) -> dict:
    log(f"    {label}: {size:,} cases")
    url = fresh_database(backend, opts, "scale", "" if label == "small" else label)
    engine = make_engine(url)
    probe = setup(engine, opts)
    fig.counts[f"cases_{label}"] = grow(engine, probe, size)
    return {"url": url, "engine": engine, "probe": probe}


def setup(engine, opts) -> dict:
    """Templates, the probe people and their own cases, and the open work."""
    templates = make_templates(engine, opts.workdir, ("closed", "withdrawn", "no_action"))
    with Session(engine, expire_on_commit=False) as db:
        manager = add_person(db, "Pat Probe", "pat.probe@bcwhub.test", (Role.MANAGER,))
        employee = add_person(db, "Eve Probe", "eve.probe@bcwhub.test", line_manager=manager)
        hr = add_person(db, "Hana Probe", "hana.probe@bcwhub.test", (Role.HR,))
        db.commit()
    probe = {
        "templates": templates,
        "manager": manager.id,
        "employee": employee.id,
        "hr": hr.id,
        "emails": {"manager": manager.email, "hr": hr.email},
    }
    grow_people(engine, probe, opts.cases_small)
    cast = probe["cast"]
    add_history(engine, templates, 25, Cast([(manager.id, manager.name)], cast.subjects, cast.hr))
    add_history(engine, templates, 3, Cast(cast.managers, [(employee.id, employee.name)], cast.hr))
    open_work(engine, opts, probe)
    with Session(engine) as db:
        probe["case_ref"] = db.scalar(
            select(Case.reference).where(Case.opened_by_id == manager.id, Case.status == "closed").order_by(Case.id)
        )
    return probe


def grow_people(engine, probe: dict, cases: int) -> None:
    """About one manager per 100 cases and one subject per 5, three HR."""
    cast = probe.get("cast") or Cast([], [], [])
    cast.managers += add_people(engine, max(5, cases // 100) - len(cast.managers), Role.MANAGER, "m")
    cast.subjects += add_people(engine, max(20, cases // 5) - len(cast.subjects), None, "e")
    if not cast.hr:
        add_people(engine, 2, Role.HR, "hr")
        cast.hr = hr_people(engine)
    probe["cast"] = cast


def open_work(engine, opts, probe: dict) -> None:
    with Session(engine, expire_on_commit=False) as db:
        ctx, cast = context(db, opts.workdir), probe["cast"]
        hr = db.get(User, probe["hr"])
        mine = [("respond", probe["employee"]), ("respond", probe["employee"])] + [
            ("verify", cast.subjects[k][0]) for k in range(3)
        ]
        for path, subject_id in mine:
            people = {"requester": db.get(User, probe["manager"]), "subject": db.get(User, subject_id), "hr": hr}
            drive(ctx, open_takedown(ctx, people["requester"], people["subject"]), path, people)
        for path, count in OPEN_WORK:
            for k in range(count):
                people = {
                    "requester": db.get(User, cast.managers[k % len(cast.managers)][0]),
                    "subject": db.get(User, cast.subjects[-1 - k][0]),
                    "hr": hr,
                }
                drive(ctx, open_takedown(ctx, people["requester"], people["subject"]), path, people)
        db.commit()


def grow(engine, probe: dict, size: int) -> int:
    """Add people and history up to `size` cases; returns the cases there are."""
    with engine.connect() as conn:
        have = conn.scalar(select(func.count()).select_from(Case))
    grow_people(engine, probe, size)
    start = time.perf_counter()
    add_history(engine, probe["templates"], max(0, size - have), probe["cast"])
    log(f"    {max(0, size - have):,} cases copied in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    with Session(engine) as db:  # the copies bypassed the operations that keep the tallies
        tallies.rebuild(db)
        db.commit()
    log(f"    the dashboard's tallies rebuilt in {time.perf_counter() - start:.1f} s")
    tidy = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(tidy)  # as autovacuum would have, so it does not run mid-measurement
        return conn.scalar(select(func.count()).select_from(Case))


# --- measuring -------------------------------------------------------------------


def case_page(db: Session, user: User, reference: str) -> None:
    """view_case and the queries webapp/cases/routes.py:show makes, then its commit."""
    case = view_case(db, user, reference)
    subject_view = case.subject_id == user.id
    queries.case_data(case)
    queries.case_tasks(db, case)
    queries.timeline(db, case, subject_view, user)
    queries.case_evidence(db, case)
    queries.step_states(case)
    for name in ("letters", "interview_notes", "linked_cases"):  # when the module has them
        if hasattr(queries, name):
            getattr(queries, name)(db, case)
    db.commit()


def pages(probe: dict) -> list[tuple[str, str, object, str]]:
    """(page, who, function(db, user), URL) for each page measured."""
    ref = probe["case_ref"]
    return [
        ("inbox (manager)", "manager", lambda db, u: queries.my_tasks(db, u), "/"),
        ("inbox (HR pool)", "hr", lambda db, u: queries.my_tasks(db, u), "/"),
        ("case list p1 (HR)", "hr", lambda db, u: queries.list_cases(db, u), "/cases/"),
        (
            "status=closed p1 (HR)",
            "hr",
            lambda db, u: queries.list_cases(db, u, status="closed"),
            "/cases/?status=closed",
        ),
        ("search 'smith' (HR)", "hr", lambda db, u: queries.list_cases(db, u, search="smith"), "/cases/?q=smith"),
        ("case page (manager)", "manager", lambda db, u: case_page(db, u, ref), f"/cases/{ref}"),
        ("dashboard (HR)", "hr", lambda db, u: dashboard.summary(db, u), "/dashboard/"),
    ]


# A page's p95 target at the large size; the rest are 30 ms.
TARGET_MS = {"dashboard (HR)": 100}


def measure(dbs: dict, opts) -> dict[tuple[str, str, str], list[float]]:
    """{(page, mode, size label): milliseconds}, the sizes alternating."""
    for db in dbs.values():
        app = make_app(db["url"], opts.workdir)
        db["browsers"] = {who: AppBrowser(app) for who in ("manager", "hr")}
        for who, browser in db["browsers"].items():
            browser.login(db["probe"]["emails"][who])
    samples: dict[tuple[str, str, str], list[float]] = {}
    for rep in range(WARMUP + opts.scale_reps):
        for index in range(len(pages(dbs["small"]["probe"]))):
            for label, db in dbs.items():
                page, who, fn, path = pages(db["probe"])[index]
                fn_ms = time_function(db["engine"], db["probe"][who], fn)
                status, _text, render_ms = db["browsers"][who].request("GET", path)
                if status != 200:
                    raise RuntimeError(f"GET {path} as {who}: {status}")
                if rep >= WARMUP:
                    samples.setdefault((page, "functions", label), []).append(fn_ms)
                    samples.setdefault((page, "render", label), []).append(render_ms)
    return samples


def time_function(engine, user_id: int, fn) -> float:
    with Session(engine, expire_on_commit=False) as db:
        user = db.get(User, user_id)  # the request's user loader: not part of the page
        start = time.perf_counter()
        fn(db, user)
        return (time.perf_counter() - start) * 1000


def report(fig: Figure, samples: dict, opts, backend: str) -> None:
    for page, mode, label in samples:
        if label != "small":
            continue
        a, b = summarize(samples[page, mode, "small"]), summarize(samples[page, mode, "large"])
        r50 = ratio(b["p50"], a["p50"])
        fig.add(
            f"{page} [{mode}] p50",
            b["p50"],
            "ms",
            baseline=a["p50"],
            ratio=r50,
            target="ratio <= 1.3",
            met=r50 is not None and r50 <= 1.3,
        )
        fig.add(
            f"{page} [{mode}] p95",
            b["p95"],
            "ms",
            baseline=a["p95"],
            ratio=ratio(b["p95"], a["p95"]),
            target=f"<= {TARGET_MS.get(page, 30)} ms",
            met=b["p95"] <= TARGET_MS.get(page, 30),
        )
    fig.notes.append(
        f"{backend}; value = with {opts.cases_large:,} cases, baseline = with {opts.cases_small:,} (a second "
        f"database built the same way), ratio = large/small; {opts.scale_reps} reps per page, alternating "
        f"between the two databases, after {WARMUP} warm-up rounds. [functions] = the workflows.queries "
        "calls in-process, a fresh Session each, user loaded beforehand; [render] = GET through the Flask "
        "test client (user loader, route, template). Open work is the same in both (45 real open cases); "
        "the history (70% closed, 15% withdrawn, 15% no further action; ~20 audit events each) differs. "
        "VACUUM ANALYZE after each bulk load."
    )


def profile_misses(fig: Figure, db: dict, opts) -> None:
    missed = {r.measure.split(" [")[0] for r in fig.rows if r.met is False}
    engine, probe = db["engine"], db["probe"]
    for page, who, fn, _path in pages(probe):
        if page in missed or opts.profile:
            once = lambda: time_function(engine, probe[who], fn)
            fig.profiles[f"{page} at {opts.cases_large:,} cases, x10"] = profile(
                lambda: [once() for _ in range(10)], top=8
            ) + sqlprobe.slowest(engine, once)

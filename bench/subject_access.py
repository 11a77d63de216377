"""Figure: compiling a subject access request for a person on many cases
(everything held about them, redacted), and building its release (the ZIP
with its HTML and PDF index and JSON), against reading the same records
unredacted case by case, as HR opening each case would."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Case, Evidence, Letter, OutboxMessage, Role, make_engine
from workflows.engine import clock
from workflows.engine.tasks import complete_task, open_task
from workflows.procedures.subject_access import package
from workflows.procedures.subject_access.holdings import held_about
from workflows.procedures.subject_access.opening import Request, record_request
from workflows.procedures.subject_access.redaction import redact

from .common import Figure, add_person, backends, fresh_database, summarize
from .data import RESPOND_REMOVED, context, open_takedown, ready_task


def run(opts) -> Figure:
    fig = Figure("subject_access", f"subject access request compiled for a person on {opts.sar_cases} cases")
    for backend in backends(opts):
        measure(fig, backend, opts)
    fig.notes.append(
        f"the person is the subject of {opts.sar_cases} takedowns, each answered by them (a statement, a "
        f"notice, a screenshot, the timeline), with {opts.sar_people} other people on record (the names "
        f"redaction looks for); median of {opts.sar_reps} runs each. compile = every document held about "
        "them, redacted (holdings.py, "
        "redaction.py); release = compile + the ZIP (HTML and PDF index, JSON, documents). baseline = "
        "reading the same cases' audit events, notices, letters and evidence unredacted, one case at a "
        "time, in the same run."
    )
    return fig


def measure(fig: Figure, backend: str, opts) -> None:
    engine = make_engine(fresh_database(backend, opts, "subject_access"))
    with Session(engine, expire_on_commit=False) as db:
        ctx, hr, person, case_ids = seed(db, opts)
        baseline = _median(opts.sar_reps, lambda: read_unredacted(db, case_ids))
        compiled = _median(opts.sar_reps, lambda: redact(db, person, held_about(db, person)))
        request = record_request(ctx, hr, Request(clock.now().date(), "email", person))
        documents = redact(db, person, held_about(db, person)).documents

        def release():
            package.build(ctx.settings, request, redact(db, person, held_about(db, person)).documents, {})

        released = _median(opts.sar_reps, release)
    tag = f"({backend})"
    fig.compare(f"compile, p50 {tag}", compiled * 1000, baseline * 1000, 2)
    fig.compare(f"compile and build the ZIP, p50 {tag}", released * 1000, baseline * 1000, None)
    fig.counts[f"documents_{backend}"] = len(documents)
    fig.counts[f"cases_{backend}"] = len(case_ids)
    engine.dispose()


def seed(db: Session, opts):
    manager = add_person(db, "Mo Manager", "mo.manager@bcwhub.test", (Role.MANAGER,))
    hr = add_person(db, "Hana Hussain", "hana.hr@bcwhub.test", (Role.HR,))
    person = add_person(db, "Eve Employee", "eve@bcwhub.test", line_manager=manager)
    for n in range(opts.sar_people):
        add_person(db, f"Colleague{n} Surname{n}", f"colleague.{n}@bcwhub.test")
    db.commit()
    ctx = context(db, opts.workdir)
    ids = []
    for _ in range(opts.sar_cases):
        case = open_takedown(ctx, manager, person)
        complete_task(ctx, open_task(db, person, ready_task(db, case.id, "UserTask_Respond").id), dict(RESPOND_REMOVED))
        db.commit()
        ids.append(case.id)
    return ctx, hr, person, ids


def read_unredacted(db: Session, case_ids: list[int]) -> int:
    """What HR reads opening each case: its record, trail, notices, letters and evidence."""
    rows = 0
    for case_id in case_ids:
        db.get(Case, case_id)
        rows += len(db.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id)).all())
        rows += len(db.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case_id)).all())
        rows += len(db.scalars(select(Letter).where(Letter.case_id == case_id)).all())
        rows += len(db.scalars(select(Evidence).where(Evidence.case_id == case_id)).all())
    return rows


def _median(reps: int, fn) -> float:
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return summarize(samples)["p50"]

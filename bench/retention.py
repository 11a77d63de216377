"""Figure 10: anonymisation throughput. Closed takedowns (each with its
screenshot, notice email and full trail) past their retention date, reduced
to their skeleton by the worker's job (workflows/engine/retention.py), one
transaction per case; against the step that closed each of them, measured in
the same run on the same database. The trail is verified afterwards."""

from __future__ import annotations

import time

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Case, make_engine
from workflows.engine import audit, clock, retention
from workflows.engine.tasks import complete_task, open_task

from .common import Figure, backends, fresh_database, ratio
from .data import VERIFY_REMOVED, context, drive, open_takedown, ready_task, trio


def run(opts) -> Figure:
    fig = Figure("retention", "anonymisation throughput (cases/s)")
    for backend in backends(opts):
        measure(fig, backend, opts)
    fig.notes.append(
        "each case: a takedown opened with a screenshot, answered 'removed' and verified (closed) through the "
        "operations layer. baseline = the verify step that closed each case (open_task + complete_task + "
        "commit), cases/s. value = retention.anonymise_due with the clock six years and a day on: every "
        "evidence item erased, people replaced, the state scrubbed, every trail event's content erased and "
        "the case_anonymised event written, one commit per case. `audit verify` runs afterwards (errors = "
        "problems it found, plus cases left unanonymised)."
    )
    return fig


def measure(fig: Figure, backend: str, opts) -> None:
    engine = make_engine(fresh_database(backend, opts, "retention"))
    with Session(engine, expire_on_commit=False) as db:
        people = trio(db, "retention")
        db.commit()
        ctx = context(db, opts.workdir)
        cases = [drive(ctx, open_takedown(ctx, people["requester"], people["subject"]), "verify", people)]
        cases += [
            drive(ctx, open_takedown(ctx, people["requester"], people["subject"]), "verify", people)
            for _ in range(opts.retention_cases - 1)
        ]
        started = time.perf_counter()
        for case in cases:
            task = open_task(db, people["requester"], ready_task(db, case.id, "UserTask_Verify").id)
            complete_task(ctx, task, dict(VERIFY_REMOVED))
            db.commit()
        closing = len(cases) / (time.perf_counter() - started)
        with clock.stopped_at(clock.now() + relativedelta(years=6, days=1)):
            started = time.perf_counter()
            done = retention.anonymise_due(ctx)
            rate = done / (time.perf_counter() - started)
        left = db.scalar(select(func.count()).select_from(Case).where(Case.anonymised_at.is_(None)))
        problems = audit.verify(db)[1]
    engine.dispose()
    fig.add(
        f"cases anonymised per second ({backend})",
        rate,
        "cases/s",
        baseline=closing,
        ratio=ratio(rate, closing),
    )
    fig.counts["errors"] = fig.counts.get("errors", 0) + len(problems) + left
    fig.counts[f"cases_{backend}"] = done

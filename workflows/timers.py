"""Firing due BPMN timers (the worker's job)."""
from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer
from sqlalchemy.orm.exc import StaleDataError

from models import Case

from . import audit, clock
from .context import Context
from .running import finalize, run_engine

log = logging.getLogger(__name__)

# Cases claimed and committed together: one claim and one commit (one WAL
# flush) per batch instead of per case. Small enough that a person saving a
# claimed case waits a fraction of a second at most.
BATCH = 20


def fire_due_timers(ctx: Context, limit: int = 500) -> int:
    """Fire due cases in batches, each case in its own savepoint; returns
    cases advanced.

    On PostgreSQL the claim is FOR UPDATE SKIP LOCKED, so several workers
    share the queue and never fire the same timer twice. On SQLite the
    version check on save has the same effect for a stray second worker.
    """
    fired, skipped = 0, []
    while fired + len(skipped) < limit:
        batch = _claim_due(ctx, skipped, min(BATCH, limit - fired - len(skipped)))
        if not batch:
            break
        for case in batch:
            if _fire_in_savepoint(ctx, case):
                fired += 1
            else:  # lost a race, or due to the microsecond but not yet past it
                skipped.append(case.id)
        ctx.db.commit()
    return fired


def _claim_due(ctx: Context, skipped: list[int], size: int) -> list[Case]:
    stmt = (select(Case).where(Case.next_timer_at <= clock.now(), Case.id.not_in(skipped))
            .order_by(Case.next_timer_at).limit(size)
            .options(undefer(Case.state), selectinload(Case.parties), selectinload(Case.ready_tasks))
            .execution_options(populate_existing=True))  # never fire from a stale copy
    if ctx.db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=Case)
    return list(ctx.db.scalars(stmt))


def _fire_in_savepoint(ctx: Context, case: Case) -> bool:
    savepoint = ctx.db.begin_nested()
    try:
        advanced = _fire(ctx, case)
    except StaleDataError:
        advanced = False
    if advanced:
        savepoint.commit()
    else:
        savepoint.rollback()
    return advanced


def _fire(ctx: Context, case: Case) -> bool:
    workflow = ctx.library.restore(ctx.db, case.spec_hash, case.state)
    completed = run_engine(workflow)
    if not completed:
        return False
    finalize(ctx, case, workflow, audit.TIMER, [], completed, {})
    ctx.db.flush()  # inside the savepoint, so a failure undoes only this case
    return True


def seconds_until_next_timer(ctx: Context, longest: float) -> float:
    """How long the worker may sleep: until the earliest waiting timer, at most `longest`.

    Sleeping to the due time, rather than polling on a fixed beat, keeps the
    delay between a deadline and its firing to the time it takes to fire.
    """
    due = ctx.db.scalar(select(func.min(Case.next_timer_at)))
    if due is None:
        return longest
    return min(longest, max(0.0, (due - clock.now()).total_seconds()))

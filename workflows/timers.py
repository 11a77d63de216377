"""Firing due BPMN timers (the worker's job)."""
from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import undefer
from sqlalchemy.orm.exc import StaleDataError

from models import Case

from . import audit, clock
from .context import Context
from .running import finalize, run_engine

log = logging.getLogger(__name__)


def fire_due_timers(ctx: Context, limit: int = 500) -> int:
    """Fire due cases one claim and one commit at a time; returns cases advanced.

    On PostgreSQL the claim is FOR UPDATE SKIP LOCKED, so several workers
    share the queue and never fire the same timer twice. On SQLite the
    version check on save has the same effect for a stray second worker.
    """
    fired, skipped = 0, []
    while fired + len(skipped) < limit:
        case = _claim_due(ctx, skipped)
        if case is None:
            break
        try:
            advanced = _fire(ctx, case)
        except StaleDataError:
            advanced = False
        if advanced:
            ctx.db.commit()
            fired += 1
        else:  # lost a race, or due to the microsecond but not yet past it
            ctx.db.rollback()
            skipped.append(case.id)
    return fired


def _claim_due(ctx: Context, skipped: list[int]) -> Case | None:
    stmt = (select(Case).where(Case.next_timer_at <= clock.now(), Case.id.not_in(skipped))
            .order_by(Case.next_timer_at).limit(1).options(undefer(Case.state))
            .execution_options(populate_existing=True))  # never fire from a stale copy
    if ctx.db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=Case)
    return ctx.db.scalar(stmt)


def _fire(ctx: Context, case: Case) -> bool:
    workflow = ctx.library.restore(ctx.db, case.spec_hash, case.state)
    completed = run_engine(workflow)
    if not completed:
        return False
    finalize(ctx, case, workflow, audit.TIMER, [], completed, {})
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

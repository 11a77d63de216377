"""Firing due BPMN timers (the worker's job)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer
from sqlalchemy.orm.exc import StaleDataError

from models import Case

from . import audit, clock, projection
from .context import Context
from .running import finalize, run_engine

log = logging.getLogger(__name__)

# Cases claimed and committed together: one claim and one commit (one WAL
# flush) per batch instead of per case. Small enough that a person saving a
# claimed case waits a fraction of a second at most.
BATCH = 20
RETRY_AFTER = timedelta(minutes=5)  # after a case's timer failed to fire


def fire_due_timers(ctx: Context, limit: int = 500) -> int:
    """Fire due cases in batches, each case in its own savepoint; returns
    cases advanced.

    On PostgreSQL the claim is FOR NO KEY UPDATE SKIP LOCKED, so several workers
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
            else:  # lost a race, not due after all, or failed (and postponed)
                skipped.append(case.id)
        ctx.db.commit()
    return fired


def _claim_due(ctx: Context, skipped: list[int], size: int) -> list[Case]:
    stmt = (
        select(Case)
        .where(Case.next_timer_at <= clock.now(), Case.id.not_in(skipped))
        .order_by(Case.next_timer_at)
        .limit(size)
        .options(undefer(Case.state), selectinload(Case.parties), selectinload(Case.ready_tasks))
        .execution_options(populate_existing=True)
    )  # never fire from a stale copy
    if ctx.db.get_bind().dialect.name == "postgresql":
        # FOR NO KEY UPDATE: keeps other workers off the case, but not the
        # foreign-key check (KEY SHARE) of an audit event about it, which a
        # page view makes while holding the chain lock this worker wants next.
        stmt = stmt.with_for_update(skip_locked=True, of=Case, key_share=True)
    return list(ctx.db.scalars(stmt))


def _fire_in_savepoint(ctx: Context, case: Case) -> bool:
    savepoint = ctx.db.begin_nested()
    try:
        advanced = _fire(ctx, case)
    except StaleDataError:  # someone saved the case first: the next claim sees theirs
        savepoint.rollback()
        return False
    except Exception as error:  # a broken case must not hold up every other deadline
        savepoint.rollback()
        log.exception("timer on case %s failed; retrying in %s", case.id, RETRY_AFTER)
        _postpone(ctx, case, error)
        return False
    savepoint.commit()
    return advanced


def _fire(ctx: Context, case: Case) -> bool:
    workflow = ctx.library.restore(ctx.db, case.spec_hash, case.state)
    completed = run_engine(workflow)
    if not completed:
        # Due by the index but not by the workflow (to the microsecond, or an
        # index out of step): take the workflow's word, so the case is not
        # claimed again at once.
        case.next_timer_at = projection.next_timer_at(workflow)
        ctx.db.flush()
        return False
    finalize(ctx, case, workflow, audit.TIMER, [], completed, {})
    ctx.db.flush()  # inside the savepoint, so a failure undoes only this case
    return True


def _postpone(ctx: Context, case: Case, error: Exception) -> None:
    """Record the failure and try again later (the HR systems team sees it
    in the case's audit trail and the worker's log)."""
    retry_at = clock.now() + RETRY_AFTER
    with ctx.db.begin_nested():
        case.next_timer_at = retry_at
        audit.record(
            ctx.db,
            case.id,
            "timer_failed",
            audit.SYSTEM,
            {"error": f"{type(error).__name__}: {error}"[:500], "retry_at": retry_at.isoformat()},
        )


def seconds_until_next_timer(ctx: Context, longest: float) -> float:
    """How long the worker may sleep: until the earliest timer still to come,
    at most `longest`.

    Sleeping to the due time, rather than polling on a fixed beat, keeps the
    delay between a deadline and its firing to the time it takes to fire. A
    case already due but not fired here is another worker's (it holds the
    row), so it is no reason to wake at once: waking for it was a busy loop.
    """
    now = clock.now()
    due = ctx.db.scalar(select(func.min(Case.next_timer_at)).where(Case.next_timer_at > now))
    if due is None:
        return longest
    return min(longest, max(0.0, (due - now).total_seconds()))


def timer_is_due(db) -> bool:
    """Whether some case's timer is due now (the cheap check a polling wait makes)."""
    return db.scalar(select(Case.id).where(Case.next_timer_at <= clock.now()).limit(1)) is not None

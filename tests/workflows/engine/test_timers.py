"""The worker's batches: workflows/timers.py."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import actions, outbox
from workflows.engine import clock
from workflows.engine.timers import BATCH, RETRY_AFTER, fire_due_timers


def _takedowns(ctx, db, count: int, deadline_hours: float = 24):
    manager = make_manager(db)
    return [
        make_takedown(ctx, manager, make_user(db, line_manager=manager), deadline_hours=deadline_hours)
        for _ in range(count)
    ]


def test_more_due_cases_than_one_batch_each_fire_once(ctx, db):
    cases = _takedowns(ctx, db, BATCH + 3)
    clock.advance(timedelta(hours=12, minutes=1))
    assert fire_due_timers(ctx) == BATCH + 3
    assert fire_due_timers(ctx) == 0
    for case in cases:
        assert actions(db, case).count("timer_fired") == 1
        assert [t for t, _ in outbox(db, case)].count("takedown_reminder") == 1


def test_a_case_due_by_the_index_only_is_corrected_and_the_batch_fires(ctx, db):
    cases = _takedowns(ctx, db, 3)
    clock.advance(timedelta(hours=12, minutes=1))
    # An index that claims "due" while the workflow's own timer is not: the
    # workflow's word is taken, and the rest of the batch still fires.
    (later,) = _takedowns(ctx, db, 1)
    real_due = later.next_timer_at
    later.next_timer_at = clock.now() - timedelta(minutes=5)
    db.commit()
    assert fire_due_timers(ctx) == 3
    assert fire_due_timers(ctx) == 0  # not claimed again and again
    assert later.next_timer_at == real_due
    assert actions(db, later).count("timer_fired") == 0
    assert all(actions(db, case).count("timer_fired") == 1 for case in cases)


def test_a_case_that_cannot_fire_is_postponed_and_recorded_while_the_rest_fire(ctx, db):
    broken, *cases = _takedowns(ctx, db, 3)
    broken.state = {"not": "a workflow"}  # e.g. a state the library can no longer read
    db.commit()
    clock.advance(timedelta(hours=12, minutes=1))
    assert fire_due_timers(ctx) == 2
    assert all(actions(db, case).count("timer_fired") == 1 for case in cases)
    assert actions(db, broken)[-1] == "timer_failed"
    assert broken.next_timer_at == clock.now() + RETRY_AFTER
    assert fire_due_timers(ctx) == 0  # not retried before its time
    clock.advance(RETRY_AFTER)
    assert fire_due_timers(ctx) == 0 and actions(db, broken).count("timer_failed") == 2


def test_hr_named_between_batches_is_told_of_the_next_escalation(ctx, db):
    """The HR pool is read once per transaction, not once per worker."""
    first_hr = make_hr(db, "Hana First-HR")
    (soon,) = _takedowns(ctx, db, 1, deadline_hours=2)
    (later,) = _takedowns(ctx, db, 1, deadline_hours=24)
    clock.advance(timedelta(hours=2, minutes=1))
    fire_due_timers(ctx)
    assert ("takedown_escalated", first_hr.email) in outbox(db, soon)
    new_hr = make_hr(db, "Nadia New-HR")
    db.commit()
    clock.advance(timedelta(hours=22))
    assert fire_due_timers(ctx) == 1
    assert {("takedown_escalated", first_hr.email), ("takedown_escalated", new_hr.email)} <= set(outbox(db, later))

"""Every branch and timer of bpmn/takedown_request.bpmn, with a moved clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import Role
from tests.conftest import START
from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import actions, complete, outbox, ready_task, ready_tasks
from workflows.engine import clock
from workflows.engine.errors import InvalidInput
from workflows.engine.timers import fire_due_timers


@pytest.fixture
def people(db):
    manager = make_manager(db)
    return {"manager": manager, "employee": make_user(db, "Eve Employee", line_manager=manager), "hr": make_hr(db)}


@pytest.fixture
def case(ctx, people):
    return make_takedown(ctx, people["manager"], people["employee"])


def test_opening_sends_the_notice_and_sets_the_deadline_timers(db, case, people):
    respond = ready_task(db, case, "UserTask_Respond")
    assert respond.assignee_id == people["employee"].id
    assert respond.due_at == START + timedelta(hours=24)
    assert case.next_timer_at == START + timedelta(hours=12)  # the reminder comes first
    assert outbox(db, case) == [("takedown_notice", people["employee"].email)]
    assert actions(db, case)[:4] == ["case_opened", "party_assigned", "party_assigned", "notification_queued"]
    assert case.reference.startswith("TD-2026-")


def test_removed_and_verified_closes_the_case(ctx, db, case, people):
    complete(ctx, case, "UserTask_Respond", people["employee"], response="removed", confirmation="Deleted the post")
    assert case.next_timer_at is None  # answering cancels both timers
    assert outbox(db, case)[-1] == ("removal_to_verify", people["manager"].email)  # the step waits on them
    complete(ctx, case, "UserTask_Verify", people["manager"], verification="removed")
    assert case.status == "closed" and case.closed_at is not None
    assert ready_tasks(db, case) == []
    assert outbox(db, case)[-1] == ("takedown_closed", people["employee"].email)
    assert actions(db, case)[-1] == "case_closed"


def test_dispute_withdrawn_by_hr(ctx, db, case, people):
    complete(
        ctx,
        case,
        "UserTask_Respond",
        people["employee"],
        response="dispute",
        dispute_grounds="It expresses my religious belief",
    )
    review = ready_task(db, case, "UserTask_ReviewDispute")
    assert review.assignee_id is None and review.pool_role == Role.HR
    told = [to for template, to in outbox(db, case) if template == "dispute_to_review"]
    assert told == [people["hr"].email]  # the HR pool, never the subject
    complete(
        ctx,
        case,
        "UserTask_ReviewDispute",
        people["hr"],
        review_decision="withdraw",
        review_reasons="Protected belief, expressed moderately (Higgs).",
        proportionality_considered=True,
    )
    assert case.status == "withdrawn" and case.closed_at is not None
    assert {p.role for p in case.parties if p.user_id == people["hr"].id} == {"HR"}
    assert ("takedown_withdrawn", people["manager"].email) in outbox(db, case)


def test_dispute_upheld_then_still_visible_after_final_notice_escalates(ctx, db, case, people):
    complete(ctx, case, "UserTask_Respond", people["employee"], response="dispute", dispute_grounds="Not my post")
    clock.advance(timedelta(hours=1))
    complete(
        ctx,
        case,
        "UserTask_ReviewDispute",
        people["hr"],
        review_decision="uphold",
        review_reasons="It is their account.",
        proportionality_considered=True,
    )
    assert outbox(db, case)[-1] == ("takedown_final_notice", people["employee"].email)
    respond = ready_task(db, case, "UserTask_Respond")
    assert respond.due_at == START + timedelta(hours=25)  # a fresh deadline from the final notice
    with pytest.raises(InvalidInput, match="already reviewed your dispute"):
        complete(ctx, case, "UserTask_Respond", people["employee"], response="dispute", dispute_grounds="Again")
    complete(ctx, case, "UserTask_Respond", people["employee"], response="removed")
    complete(
        ctx,
        case,
        "UserTask_Verify",
        people["manager"],
        verification="still_visible",
        verification_notes="Still on their public profile.",
    )
    assert case.status == "escalated"
    decide = ready_task(db, case, "UserTask_DecideEscalation")
    assert decide.assignee_id == people["hr"].id  # HR already on the case keeps it
    complete(
        ctx,
        case,
        "UserTask_DecideEscalation",
        people["hr"],
        escalation_decision="open_investigation",
        escalation_reasons="Repeated after a final notice.",
    )
    assert case.status == "investigation_opened" and case.closed_at is not None
    assert ("takedown_investigation", people["employee"].email) in outbox(db, case)


def test_still_visible_once_gets_a_final_notice(ctx, db, case, people):
    complete(ctx, case, "UserTask_Respond", people["employee"], response="removed")
    complete(
        ctx,
        case,
        "UserTask_Verify",
        people["manager"],
        verification="still_visible",
        verification_notes="Still on their public profile.",
    )
    assert case.status == "open"
    assert ready_task(db, case, "UserTask_Respond")
    assert outbox(db, case)[-1][0] == "takedown_final_notice"
    # Nobody has heard their side yet: the final notice still offers a dispute.
    complete(ctx, case, "UserTask_Respond", people["employee"], response="dispute", dispute_grounds="Not my account.")
    assert ready_task(db, case, "UserTask_ReviewDispute")


def test_refusal_escalates_and_hr_may_close_without_investigation(ctx, db, case, people):
    complete(
        ctx, case, "UserTask_Respond", people["employee"], response="refuse", dispute_grounds="I am entitled to say it."
    )
    assert case.status == "escalated"
    assert ("takedown_escalated", people["hr"].email) in outbox(db, case)
    complete(
        ctx,
        case,
        "UserTask_DecideEscalation",
        people["hr"],
        escalation_decision="no_further_action",
        escalation_reasons="Removed since, with an apology.",
    )
    assert case.status == "closed"


def test_hr_can_escalate_a_dispute(ctx, db, case, people):
    complete(ctx, case, "UserTask_Respond", people["employee"], response="dispute", dispute_grounds="No")
    complete(
        ctx,
        case,
        "UserTask_ReviewDispute",
        people["hr"],
        review_decision="escalate",
        review_reasons="Abusive wording about a colleague.",
        proportionality_considered=True,
    )
    assert case.status == "escalated"
    assert ready_task(db, case, "UserTask_DecideEscalation")


def test_reminder_at_half_time_then_deadline_escalates(ctx, db, case, people):
    clock.advance(timedelta(hours=11, minutes=59))
    assert fire_due_timers(ctx) == 0
    clock.advance(timedelta(minutes=2))
    assert fire_due_timers(ctx) == 1
    assert outbox(db, case)[-1] == ("takedown_reminder", people["employee"].email)
    assert ready_task(db, case, "UserTask_Respond")  # non-interrupting: still answerable
    assert case.next_timer_at == START + timedelta(hours=24)
    clock.advance(timedelta(hours=12))
    assert fire_due_timers(ctx) == 1
    assert case.status == "escalated"
    assert [t.bpmn_id for t in ready_tasks(db, case)] == ["UserTask_DecideEscalation"]
    assert actions(db, case).count("timer_fired") == 2
    assert case.next_timer_at is None


def test_deadline_on_a_final_notice_escalates(ctx, db, case, people):
    complete(ctx, case, "UserTask_Respond", people["employee"], response="removed")
    complete(
        ctx,
        case,
        "UserTask_Verify",
        people["manager"],
        verification="still_visible",
        verification_notes="Still on their public profile.",
    )
    clock.advance(timedelta(hours=25))
    assert fire_due_timers(ctx) == 1  # reminder and deadline both due: one firing, both run
    assert case.status == "escalated"
    assert {"takedown_reminder", "takedown_escalated"} <= {t for t, _ in outbox(db, case)}


def test_case_data_is_rebuilt_from_the_stored_deltas(ctx, db, case, people):
    """Pages read task data from the JSON without deserializing the workflow."""
    from workflows.engine.queries import case_data

    complete(ctx, case, "UserTask_Respond", people["employee"], response="dispute", dispute_grounds="Not mine")
    review = ready_task(db, case, "UserTask_ReviewDispute")
    data = case_data(case, review.spiff_task_id)
    workflow = ctx.library.restore(db, case.spec_hash, case.state)
    from uuid import UUID

    assert data == workflow.get_task_from_id(UUID(review.spiff_task_id)).data
    assert data["urls"] == ["https://facebook.com/posts/123"] and data["response"] == "dispute"
    assert data["deadline_at"] == (START + timedelta(hours=24)).isoformat()


def test_state_read_back_from_the_database_restores_every_task_s_data(ctx, db, case):
    """Guards the column type: JSONB would reorder tasks and lose their data deltas."""
    from models import Case
    from workflows.engine.projection import ready_human_tasks

    db.expire_all()
    stored = db.get(Case, case.id)
    workflow = ctx.library.restore(db, stored.spec_hash, stored.state)
    [respond] = ready_human_tasks(workflow)
    assert respond.data["urls"] == ["https://facebook.com/posts/123"]
    assert respond.data["deadline_at"] == (START + timedelta(hours=24)).isoformat()


def test_the_worker_sleeps_only_until_the_next_timer(ctx, case):
    from workflows.engine.timers import seconds_until_next_timer

    assert seconds_until_next_timer(ctx, 1.0) == 1.0  # the reminder is 12 hours away
    clock.advance(timedelta(hours=12) - timedelta(seconds=0.25))
    assert seconds_until_next_timer(ctx, 1.0) == pytest.approx(0.25)


def test_an_answer_after_the_deadline_is_overtaken_by_it(ctx, db, case, people):
    """The worker has not fired yet, but the deadline has passed: the case
    escalates first and the late answer does not count."""
    from workflows.engine.tasks import Overtaken

    clock.advance(timedelta(hours=24, minutes=1))
    with pytest.raises(Overtaken) as late:
        complete(ctx, case, "UserTask_Respond", people["employee"], response="removed")
    assert late.value.by == "its deadline" and late.value.at == START + timedelta(hours=24)
    assert case.status == "escalated"
    assert [t.bpmn_id for t in ready_tasks(db, case)] == ["UserTask_DecideEscalation"]
    assert "task_completed" not in actions(db, case)
    sent = [t for t, _ in outbox(db, case)]
    assert sent.index("takedown_reminder") < sent.index("takedown_escalated")  # in the order they fell due


def test_an_answer_after_the_reminder_but_before_the_deadline_counts(ctx, db, case, people):
    clock.advance(timedelta(hours=13))  # the reminder is due but not yet sent
    complete(ctx, case, "UserTask_Respond", people["employee"], response="removed")
    assert ready_task(db, case, "UserTask_Verify")
    assert actions(db, case).count("timer_fired") == 1  # the reminder, recorded as it fell due


def test_the_steps_due_in_days_fall_on_working_days(ctx, db, people):
    clock.advance(timedelta(days=4))  # Friday 6 March
    case = make_takedown(ctx, people["manager"], people["employee"])
    complete(ctx, case, "UserTask_Respond", people["employee"], response="removed", confirmation="Deleted")
    verify = ready_task(db, case, "UserTask_Verify")
    assert verify.due_at == START + timedelta(days=8)  # 2 working days: Tuesday 10 March, not Sunday
    complete(ctx, case, "UserTask_Verify", people["manager"], verification="still_visible", verification_notes="Shared")
    complete(ctx, case, "UserTask_Respond", people["employee"], response="dispute", dispute_grounds="It is satire.")
    assert ready_task(db, case, "UserTask_ReviewDispute").due_at == START + timedelta(days=9)  # Wednesday

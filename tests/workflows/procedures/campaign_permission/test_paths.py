"""Every branch and timer of bpmn/campaign_permission.bpmn, with a moved
clock: approval (on the register, closed when its end date passes), a
refusal, changes asked then the request sent again or withdrawn, and the
Hub Manager's reminder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import OutboxMessage, Role
from tests.factories import make_user
from tests.workflows.helpers import actions, complete, outbox, ready_task, ready_tasks
from workflows.engine import clock, queries
from workflows.engine.timers import fire_due_timers
from workflows.procedures.campaign_permission import approved_campaigns

from . import as_step, authorise, make_campaign

SMP_4_3 = "obtain permission from the Hub Manager before embarking on a public campaign using social media"
SMP_4_1 = "use the same safeguards as they would with any other type of communication about the organisation"
THURSDAY = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)  # Monday 2 March + 3 working days
END_OF_31_MARCH = datetime(2026, 3, 31, 22, 59, 59, tzinfo=UTC)  # 23:59:59 UK summer time


@pytest.fixture
def staff(ctx, db):
    hub = make_user(db, "Grace Hub", roles=(Role.HUB_MANAGER,))
    requester = make_user(db, "Sam Comms")
    authorise(ctx, hub, requester)
    return {"hub": hub, "requester": requester, "hub2": make_user(db, "Rosa Hub", roles=(Role.HUB_MANAGER,))}


@pytest.fixture
def case(ctx, staff):
    return make_campaign(ctx, staff["requester"])


def body(db, case, template: str, to: str) -> str:
    return db.scalars(
        select(OutboxMessage.body)
        .where(OutboxMessage.case_id == case.id, OutboxMessage.template == template, OutboxMessage.to_email == to)
        .order_by(OutboxMessage.id.desc())
    ).first()


def decide(ctx, case, user, decision: str, reasons: str = "A clear purpose, and safe.", **more):
    complete(ctx, case, "UserTask_Decide", user, campaign_decision=decision, decision_reasons=reasons, **more)


def test_a_request_goes_to_every_hub_manager_with_a_reminder_set(db, case, staff):
    task = ready_task(db, case, "UserTask_Decide")
    assert task.assignee_id is None and task.pool_role == Role.HUB_MANAGER
    assert task.due_at == THURSDAY and case.next_timer_at == THURSDAY
    assert case.reference.startswith("CP-2026-") and case.status == "open" and case.clauses == []
    assert case.title == "Campaign: Spring volunteer drive"
    assert sorted(outbox(db, case)) == sorted(
        [("campaign_requested", staff["hub"].email), ("campaign_requested", staff["hub2"].email)]
    )
    notice = body(db, case, "campaign_requested", staff["hub"].email)
    assert SMP_4_3 in notice and SMP_4_1 in notice and "[SMP-4.4]" in notice
    assert "Instagram: @bcwhub" in notice and "Monday 9 March 2026 to Tuesday 31 March 2026" in notice


def test_approved_it_is_on_the_register_and_closes_itself_when_its_end_date_passes(ctx, db, case, staff):
    decide(ctx, case, staff["hub"], "approve", "Good for recruitment.", guidelines="Tag posts #BCWVolunteers.")
    assert case.status == "approved" and case.closed_at is None
    assert ready_tasks(db, case) == [] and case.next_timer_at == END_OF_31_MARCH
    notice = body(db, case, "campaign_approved", staff["requester"].email)
    assert "The Hub Manager has approved your campaign" in notice and "Reasons: Good for recruitment." in notice
    assert "Guidelines the campaign must follow: Tag posts #BCWVolunteers." in notice and SMP_4_1 in notice
    [running] = approved_campaigns.approved(db)
    assert running.case.id == case.id and running.ends_on.isoformat() == "2026-03-31"
    clock.freeze(END_OF_31_MARCH - timedelta(minutes=1))
    assert fire_due_timers(ctx) == 0 and case.status == "approved"
    clock.freeze(END_OF_31_MARCH + timedelta(seconds=1))
    assert fire_due_timers(ctx) == 1
    assert case.status == "closed" and case.closed_at is not None and approved_campaigns.approved(db) == []
    assert outbox(db, case)[-1] == ("campaign_ended", staff["requester"].email)
    assert actions(db, case)[-1] == "case_closed"


def test_declined_the_requester_is_told_why(ctx, db, case, staff):
    decide(ctx, case, staff["hub"], "decline", "We run no campaigns during the purdah period.")
    assert case.status == "declined" and case.closed_at is not None and case.next_timer_at is None
    notice = body(db, case, "campaign_declined", staff["requester"].email)
    assert "declined your campaign" in notice and "Reasons: We run no campaigns during the purdah period." in notice
    assert SMP_4_3 in notice and approved_campaigns.approved(db) == []


def test_changes_asked_then_sent_again_goes_back_to_the_same_hub_manager(ctx, db, case, staff):
    decide(ctx, case, staff["hub"], "changes", "Say how you will get volunteers' consent.")
    assert case.status == "changes_asked"
    revise = ready_task(db, case, "UserTask_Revise")
    assert revise.assignee_id == staff["requester"].id
    notice = body(db, case, "campaign_changes_asked", staff["requester"].email)
    assert "asked for changes" in notice and "Reasons: Say how you will get volunteers' consent." in notice
    clock.advance(timedelta(days=1))
    safer = "Each volunteer signs the consent form before their story is posted; no service user appears."
    complete(ctx, case, "UserTask_Revise", staff["requester"], **as_step(safeguards=safer, what_changed="Consent."))
    assert case.status == "open"
    again = ready_task(db, case, "UserTask_Decide")
    assert again.assignee_id == staff["hub"].id  # who asked for the changes answers them
    assert again.due_at == datetime(2026, 3, 6, 9, 0, tzinfo=UTC)  # a new reminder: Tuesday + 3 working days
    assert "revised as you asked: Consent." in body(db, case, "campaign_requested", staff["hub"].email)
    decide(ctx, case, staff["hub"], "approve")
    [running] = approved_campaigns.approved(db)
    assert running.safeguards == safer and case.status == "approved"


def test_changes_asked_then_withdrawn_closes_it_and_tells_the_hub_manager(ctx, db, case, staff):
    decide(ctx, case, staff["hub"], "changes", "The dates clash with the open day.")
    complete(ctx, case, "UserTask_Revise", staff["requester"], revision="withdraw", purpose="")
    assert case.status == "withdrawn" and case.closed_at is not None
    assert queries.case_data(case)["purpose"] == "Recruit ten befriending volunteers for the spring."
    assert outbox(db, case)[-1] == ("campaign_withdrawn", staff["hub"].email)
    assert approved_campaigns.approved(db) == []


def test_the_hub_manager_is_reminded_and_the_step_stays_theirs(ctx, db, case, staff):
    clock.freeze(THURSDAY - timedelta(minutes=1))
    assert fire_due_timers(ctx) == 0
    clock.freeze(THURSDAY + timedelta(minutes=1))
    assert fire_due_timers(ctx) == 1
    reminded = [to for template, to in outbox(db, case) if template == "campaign_reminder"]
    assert sorted(reminded) == sorted([staff["hub"].email, staff["hub2"].email])
    assert ready_task(db, case, "UserTask_Decide") and case.next_timer_at is None
    decide(ctx, case, staff["hub2"], "decline")
    assert case.status == "declined"

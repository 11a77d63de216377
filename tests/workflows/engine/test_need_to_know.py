"""Need to know, through the operations: nobody acts on, is asked about or
is told about their own case through a staff role (workflows/engine/access.py,
queries.my_tasks, outbox.recipients)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import Role
from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import complete, outbox, ready_task
from workflows.engine import clock, queries
from workflows.engine.errors import Forbidden
from workflows.engine.tasks import complete_task, open_task
from workflows.engine.timers import fire_due_timers
from workflows.procedures.breach.opening import BreachReport, open_breach


@pytest.fixture
def people(db):
    return {
        "manager": make_manager(db, "Mark Taylor"),
        "subject_hr": make_hr(db, "Harriet Subject-HR"),
        "hr": make_hr(db, "Hana Hussain"),
        "other_hr": make_hr(db, "Omar Other-HR"),
    }


@pytest.fixture
def escalated(ctx, db, people):
    """A takedown to an HR officer, refused: HR's decision waits in the HR pool."""
    case = make_takedown(ctx, people["manager"], people["subject_hr"])
    complete(
        ctx, case, "UserTask_Respond", people["subject_hr"], response="refuse", dispute_grounds="It is my own account."
    )
    assert case.status == "escalated"
    decide = ready_task(db, case, "UserTask_DecideEscalation")
    assert decide.assignee_id is None and decide.pool_role == Role.HR
    return case, decide


def test_the_subject_cannot_open_the_hr_pool_task_of_their_own_case_but_other_hr_can(ctx, db, people, escalated):
    case, decide = escalated
    with pytest.raises(Forbidden):
        open_task(db, people["subject_hr"], decide.id)
    opened = open_task(db, people["other_hr"], decide.id)  # any other HR officer may take it
    complete_task(
        ctx,
        opened,
        {"escalation_decision": "no_further_action", "escalation_reasons": "Removed since, with an apology."},
    )
    assert case.status == "closed"
    assert {p.role for p in case.parties if p.user_id == people["other_hr"].id} == {"HR"}
    assert not any(p.role == "HR" for p in case.parties if p.user_id == people["subject_hr"].id)


def test_a_reporter_in_the_pool_cannot_take_the_breach_s_pool_task_but_another_member_can(ctx, db):
    """Rita (HR and a Hub Manager) reported the breach: its overdue ICO decision
    waits in the Hub Manager pool, and is never hers to open."""
    hr, employee = make_hr(db, "Hana Hussain"), make_user(db, "Ellie Jones")
    reporter = make_user(db, "Rita Reporter", roles=(Role.HUB_MANAGER, Role.HR))
    other_hub = make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,))
    case = open_breach(
        ctx,
        hr,
        BreachReport(
            subject=employee,
            source="manager_report",
            clauses=["SMP-5.5"],
            reported_by=reporter,
            description="Posted a photo of a service user.",
        ),
    )
    complete(
        ctx,
        case,
        "UserTask_Triage",
        hr,
        severity="serious",
        personal_data_published=True,
        suspension_needed=False,
        suspension_reason="",
        investigator_id=make_manager(db).id,
        manager_conflict_reason="",
    )
    clock.advance(timedelta(hours=72, minutes=1))
    assert fire_due_timers(ctx) == 1
    ico = ready_task(db, case, "UserTask_HubManagerIco")
    assert ico.assignee_id is None and ico.pool_role == Role.HUB_MANAGER
    with pytest.raises(Forbidden):
        open_task(db, reporter, ico.id)
    assert ico not in queries.my_tasks(db, reporter)
    assert ico in queries.my_tasks(db, other_hub)
    told = {to for template, to in outbox(db, case) if template == "data_breach_overdue"}
    assert told == {other_hub.email}  # the reporter is not emailed about the case she reported
    complete_task(
        ctx,
        open_task(db, other_hub, ico.id),
        {"ico_decision": "reported", "ico_reasons": "Risk to a vulnerable service user.", "ico_reference": "ICO-123"},
    )


def test_an_hr_subject_never_sees_their_own_case_s_pool_task_in_my_tasks_but_other_hr_do(db, people, escalated):
    _case, decide = escalated
    assert decide not in queries.my_tasks(db, people["subject_hr"])
    assert decide in queries.my_tasks(db, people["hr"])
    assert decide in queries.my_tasks(db, people["other_hr"])


def test_an_escalation_about_an_hr_officer_emails_the_other_hr_officers_not_the_subject(ctx, db, people):
    case = make_takedown(ctx, people["manager"], people["subject_hr"])
    clock.advance(timedelta(hours=24, minutes=1))  # the deadline passes unanswered
    assert fire_due_timers(ctx) == 1
    assert case.status == "escalated"
    told = {to for template, to in outbox(db, case) if template == "takedown_escalated"}
    assert told == {people["hr"].email, people["other_hr"].email, people["manager"].email}
    assert ("takedown_escalated", people["subject_hr"].email) not in outbox(db, case)

"""Need to know, where it leaked: through a pool step (a complainant in the
pool, a pool member not yet on the case), through a completed step's address,
and through a linked case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Role
from tests.factories import make_breach, make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import complete, outbox, ready_task
from workflows.engine import clock
from workflows.engine.timers import fire_due_timers

NOTES = "Sam saw the post on Sunday."


@pytest.fixture
def people(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "manager": manager,
        "investigator": make_manager(db, "Ivan Investigator"),
        "employee": make_user(db, "Ellie Jones", line_manager=manager),
    }


def overdue_ico(ctx, db, people, reported_by=None):
    """A breach with published personal data whose 72-hour decision lapsed:
    the decision waits in the Hub Manager pool."""
    case = make_breach(ctx, people["hr"], people["employee"], reported_by=reported_by)
    complete(
        ctx,
        case,
        "UserTask_Triage",
        people["hr"],
        severity="serious",
        personal_data_published=True,
        suspension_needed=False,
        investigator_id=people["investigator"].id,
    )
    from workflows.engine.casefile import add_interview_note

    add_interview_note(ctx, case, people["investigator"], "Sam Wright", clock.now().date(), NOTES)
    clock.advance(timedelta(hours=73))
    assert fire_due_timers(ctx) == 1
    return case


def test_a_pool_member_offered_a_step_sees_the_step_not_the_case_file(ctx, db, web, people):
    hub = make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,))
    case = overdue_ico(ctx, db, people)
    step = ready_task(db, case, "UserTask_HubManagerIco")
    assert step.pool_role == Role.HUB_MANAGER
    web.login(hub)
    page = web.text(f"/cases/{case.reference}")
    assert f"/tasks/{step.id}" in page and "Posted a photo of a service user" in page  # the step and what it is about
    assert NOTES not in page and "Interview notes" not in page and 'id="case-diagram"' not in page
    assert "Timeline" not in page and "Interview recorded" not in page
    web.submit(
        f"/tasks/{step.id}",
        {"ico_decision": "reported", "ico_reasons": "Risk to a service user.", "ico_reference": "ICO-1"},
    )
    page = web.text(f"/cases/{case.reference}")  # now on the case as its Hub Manager: the whole file
    assert NOTES in page and 'id="case-diagram"' in page


def test_a_complainant_in_the_pool_is_never_offered_the_step_and_hr_takes_it(ctx, db, web, people):
    reporter = make_user(db, "Rita Reporter", roles=(Role.HUB_MANAGER,))  # the only Hub Manager
    case = overdue_ico(ctx, db, people, reported_by=reporter)
    step = ready_task(db, case, "UserTask_HubManagerIco")
    assert step.pool_role == Role.HR and step.lane == "Hub Manager"
    note = db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "step_rerouted"))
    assert note.data["to"] == Role.HR and "hub_manager" in note.data["reason"]
    told = {to for template, to in outbox(db, case) if template == "data_breach_overdue"}
    assert told == {people["hr"].email}
    web.login(reporter)
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert web.client.get(f"/tasks/{step.id}").status_code == 403
    assert f"/tasks/{step.id}" not in web.text("/")


def test_the_subject_learns_nothing_from_the_address_of_a_step_of_hr_s(ctx, db, web, people):
    case = make_breach(ctx, people["hr"], people["employee"])
    triage = ready_task(db, case, "UserTask_Triage")
    complete(
        ctx,
        case,
        "UserTask_Triage",
        people["hr"],
        severity="low",
        personal_data_published=False,
        suspension_needed=False,
        investigator_id=people["investigator"].id,
    )
    web.login(people["employee"])
    response = web.client.get(f"/tasks/{triage.id}")
    assert response.status_code == 403
    assert "Hana Hussain" not in response.get_data(as_text=True) and "Triage" not in response.get_data(as_text=True)
    web.logout()
    web.login(people["investigator"])  # on the case file: told who did it
    assert "already completed by <strong>Hana Hussain</strong>" in web.client.get(f"/tasks/{triage.id}").get_data(
        as_text=True
    )


def test_the_requester_does_not_see_the_investigation_opened_from_their_takedown(ctx, db, web, people):
    takedown = make_takedown(ctx, people["manager"], people["employee"])
    complete(
        ctx, takedown, "UserTask_Respond", people["employee"], response="refuse", dispute_grounds="It is my account."
    )
    complete(
        ctx,
        takedown,
        "UserTask_DecideEscalation",
        people["hr"],
        escalation_decision="open_investigation",
        escalation_reasons="Refused after a clear request.",
    )
    web.login(people["hr"])
    assert "Linked cases" in web.text(f"/cases/{takedown.reference}")
    web.logout()
    web.login(people["manager"])
    page = web.text(f"/cases/{takedown.reference}")
    assert "Linked cases" not in page and "Possible breach by" not in page

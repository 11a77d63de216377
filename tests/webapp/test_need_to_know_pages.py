"""Need to know, through the pages: an HR officer whose own takedown was
escalated to HR neither sees nor opens HR's step on it; other HR officers do."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, CaseTask, Role, TaskState

from ..factories import make_hr, make_manager, make_takedown
from ..workflows.helpers import complete, ready_task


@pytest.fixture
def people(db):
    return {
        "manager": make_manager(db, "Mark Taylor"),
        "subject_hr": make_hr(db, "Harriet Subject-HR"),
        "other_hr": make_hr(db, "Omar Other-HR"),
    }


@pytest.fixture
def escalated(ctx, db, people):
    case = make_takedown(ctx, people["manager"], people["subject_hr"])
    complete(
        ctx, case, "UserTask_Respond", people["subject_hr"], response="refuse", dispute_grounds="It is my own account."
    )
    decide = ready_task(db, case, "UserTask_DecideEscalation")
    assert decide.pool_role == Role.HR and decide.assignee_id is None
    return case, decide


def test_an_hr_subject_s_inbox_leaves_out_their_own_case_while_other_hr_see_it(db, web, people, escalated):
    case, decide = escalated
    web.login(people["other_hr"])
    inbox = web.text("/")
    assert f"/tasks/{decide.id}" in inbox and case.reference in inbox
    assert "Decide on breach investigation" in inbox
    web.logout()
    web.login(people["subject_hr"])
    inbox = web.text("/")
    assert f"/tasks/{decide.id}" not in inbox and case.reference not in inbox
    assert "Decide on breach investigation" not in inbox
    assert "Nothing needs you right now." in inbox


def test_an_hr_subject_cannot_open_or_complete_hr_s_step_on_their_own_case(db, web, people, escalated):
    case, decide = escalated
    url = f"/tasks/{decide.id}"
    web.login(people["subject_hr"])
    assert web.client.get(url).status_code == 403
    token = web.token("/")
    posted = web.client.post(
        url,
        data={
            "escalation_decision": "no_further_action",
            "escalation_reasons": "Nothing to see here, honestly.",
            "csrf_token": token,
        },
    )
    assert posted.status_code == 403
    db.refresh(decide)
    assert decide.state == TaskState.READY
    denied = db.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "access_denied")
    ).all()
    assert len(denied) == 2 and all(e.actor_id == people["subject_hr"].id for e in denied)
    # Her own case page is the subject's view, with no way into HR's step.
    page = web.text(f"/cases/{case.reference}")
    assert "Notices sent to you" in page and url not in page
    web.logout()
    web.login(people["other_hr"])
    assert (
        web.submit(
            url, {"escalation_decision": "no_further_action", "escalation_reasons": "Removed since, with an apology."}
        ).status_code
        == 302
    )
    row = db.get(CaseTask, decide.id)
    db.refresh(row)
    assert row.state == TaskState.COMPLETED and row.completed_by_id == people["other_hr"].id

"""An HR officer who asked for a takedown never reviews its dispute or
decides its escalation, nor is emailed that the dispute waits: refused (403,
audited) with the reason and who else may, while another HR officer is told
and takes both steps."""

from __future__ import annotations

from sqlalchemy import select

from models import AuditEvent, CaseTask, TaskState
from tests.factories import make_hr, make_takedown, make_user
from tests.workflows.helpers import outbox


def task_of(db, case, bpmn_id) -> CaseTask:
    return db.scalar(
        select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )


def test_the_requester_is_kept_off_hr_s_steps_and_another_hr_officer_takes_them(ctx, db, web):
    requester, other = make_hr(db, "Hana Hussain"), make_hr(db, "Harriet Hill")
    employee = make_user(db, "Ellie Jones")
    case = make_takedown(ctx, requester, employee)
    web.login(employee)
    web.submit(
        f"/tasks/{task_of(db, case, 'UserTask_Respond').id}",
        {"response": "dispute", "dispute_grounds": "It is my religious belief."},
    )
    web.logout()
    # Only the other HR officer is told a dispute waits: the step is not the requester's.
    assert [to for template, to in outbox(db, case) if template == "dispute_to_review"] == [other.email]
    web.login(requester)
    review = f"/tasks/{task_of(db, case, 'UserTask_ReviewDispute').id}"
    assert review not in web.text("/")  # not offered in their tasks
    page = web.client.get(review)
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "You asked for this takedown" in text and "Harriet Hill" in text
    form = {"review_decision": "withdraw", "review_reasons": "Mine to withdraw.", "proportionality_considered": "y"}
    submitted = web.submit(review, form, form_page="/")  # its own page refuses: a token from another
    assert submitted.status_code == 403
    refused = db.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "access_denied"))
    assert [e.actor_id for e in refused] == [requester.id, requester.id]
    assert task_of(db, case, "UserTask_ReviewDispute") is not None  # nothing was taken
    web.logout()
    web.login(other)
    assert review in web.text("/")  # offered to the other HR officer
    escalated = web.submit(
        review, {"review_decision": "escalate", "review_reasons": "Abusive wording.", "proportionality_considered": "y"}
    )
    assert escalated.status_code == 302
    web.logout()
    web.login(requester)
    decide = f"/tasks/{task_of(db, case, 'UserTask_DecideEscalation').id}"
    assert web.client.get(decide).status_code == 403
    web.logout()
    web.login(other)
    decided = web.submit(decide, {"escalation_decision": "no_further_action", "escalation_reasons": "Removed since."})
    assert decided.status_code == 302
    db.refresh(case)
    assert case.status == "closed"

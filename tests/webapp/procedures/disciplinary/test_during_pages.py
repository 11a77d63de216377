"""Recording what happens to the employee during a disciplinary, and HR's
decisions about it: each form refuses bad input beside the field and keeps
what was typed (never a 500); the pages are HR's, never the subject's or the
hearing officer's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import CaseTask, Letter, Role, TaskState
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import complete
from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary


@pytest.fixture
def people(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "other_hr": make_hr(db, "Harriet Hale"),
        "officer": make_manager(db, "Priya Shah"),
        "hub": make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,)),
        "employee": make_user(db, "Ellie Jones", line_manager=manager),
    }


@pytest.fixture
def case(ctx, people):
    """Invited to a hearing on Tuesday 10 March 2026 (the clock: Monday 2 March)."""
    opening = DisciplinaryOpening(
        subject=people["employee"],
        clauses=["SMP-5.5"],
        reason="Admitted in writing.",
        allegation="Posted a photo of a service user without consent.",
    )
    case = open_disciplinary(ctx, people["hr"], opening)
    hr = people["hr"]
    complete(ctx, case, "UserTask_AppointHearingOfficer", hr, hearing_officer_id=people["officer"].id)
    complete(ctx, case, "UserTask_Invite", hr, hearing_at="2026-03-10T10:00", place="Room 2")
    return case


def as_user(web, user):
    web.logout()
    web.login(user)


def task_url(db, case, bpmn_id) -> str:
    task = db.scalar(
        select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )
    assert task, f"{bpmn_id} is not ready"
    return f"/tasks/{task.id}"


def url(case, what) -> str:
    return f"/disciplinary/{case.reference}/record/{what}"


def test_hr_records_a_grievance_and_decides_with_errors_beside_the_fields(db, web, people, case):
    web.login(people["hr"])
    page = web.text(f"/cases/{case.reference}")
    assert "Record a grievance" in page and "Record a request for written reasons" in page
    html = web.submit(url(case, "grievance"), {"grievance_raised_on": "", "grievance_summary": ""}).get_data(
        as_text=True
    )
    assert "Give the date the grievance was raised." in html and "Say what the grievance is about." in html
    data = {"grievance_raised_on": "2026-03-20", "grievance_summary": "Raised on a day to come."}
    html = web.submit(url(case, "grievance"), data).get_data(as_text=True)
    assert "cannot be in the future" in html and 'value="2026-03-20"' in html and "day to come.</textarea>" in html
    html = web.submit(
        url(case, "grievance"), {"grievance_raised_on": "not a date", "grievance_summary": "Hm"}
    ).get_data(as_text=True)
    assert "Not a valid date value" in html and "Hm</textarea>" in html
    summary = "The hearing officer has been unfair to me."
    response = web.submit(url(case, "grievance"), {"grievance_raised_on": "2026-03-02", "grievance_summary": summary})
    assert response.status_code == 302
    decision = task_url(db, case, "During_GrievanceDecision")
    page = web.text(decision)
    assert summary in page  # what was recorded, beside the decision
    html = web.submit(decision, {"grievance_reasons": "Short"}).get_data(as_text=True)
    assert "Choose how the grievance will be handled." in html and "Short</textarea>" in html
    reasons = "It is about the hearing officer, so it is heard first."
    assert web.submit(decision, {"grievance_handling": "pause", "grievance_reasons": reasons}).status_code == 302
    resume = task_url(db, case, "During_GrievanceResume")
    assert "Say how the grievance was resolved." in web.submit(resume, {}).get_data(as_text=True)
    assert web.submit(resume, {"grievance_outcome": "Not upheld, after a meeting."}).status_code == 302
    kinds = set(db.scalars(select(Letter.kind).where(Letter.case_id == case.id)))
    assert {"grievance_decision", "procedure_resumed"} <= kinds


def test_a_resignation_closes_the_case_and_the_links_go(db, web, people, case):
    web.login(people["hr"])
    data = {"resigned_on": "2026-03-02", "employment_ends_on": "2026-03-01", "resignation_notes": "By email."}
    html = web.submit(url(case, "resignation"), data).get_data(as_text=True)
    assert (
        "cannot end before the resignation" in html and 'value="2026-03-01"' in html and "By email.</textarea>" in html
    )
    assert web.submit(url(case, "resignation"), {**data, "employment_ends_on": "2026-03-27"}).status_code == 302
    decision = task_url(db, case, "During_ResignationDecision")
    html = web.submit(decision, {"resignation_choice": "close", "resignation_reasons": ""}).get_data(as_text=True)
    assert "Field must be between 10 and 4000 characters long." in html
    reasons = "She leaves on 27 March; no finding is needed."
    assert web.submit(decision, {"resignation_choice": "close", "resignation_reasons": reasons}).status_code == 302
    page = web.text(f"/cases/{case.reference}")
    assert "Closed: the employee resigned" in page and "Record a grievance" not in page
    html = web.submit(url(case, "grievance"), {"grievance_raised_on": "2026-03-02", "grievance_summary": "Late one."})
    assert "can no longer be recorded" in html.get_data(as_text=True)


def test_postponing_for_sickness_names_what_is_missing(db, web, people, case):
    web.login(people["hr"])
    html = web.submit(url(case, "sickness"), {"sick_from": "2026-03-02", "fit_note_until": "2026-02-27"}).get_data(
        as_text=True
    )
    assert "cannot end before the absence starts" in html
    assert (
        web.submit(url(case, "sickness"), {"sick_from": "2026-03-02", "fit_note_until": "2026-03-13"}).status_code
        == 302
    )
    decision = task_url(db, case, "During_SicknessDecision")
    html = web.submit(decision, {"sickness_postpone": "yes", "sickness_reasons": "Her fit note runs on."}).get_data(
        as_text=True
    )
    assert "Give the new date and time of the hearing." in html
    data = {
        "sickness_postpone": "yes",
        "sickness_hearing_at": "2026-03-05T10:00",
        "sickness_reasons": "Fit note to 13 March.",
    }
    html = web.submit(decision, data).get_data(as_text=True)
    assert "Monday 9 March 2026 at the earliest" in html and 'value="2026-03-05T10:00"' in html
    data = {**data, "sickness_hearing_at": "2026-03-17T10:00", "sickness_reasons": "Her fit note runs to 13 March."}
    assert web.submit(decision, data).status_code == 302
    assert "17 Mar 2026" in web.text(f"/cases/{case.reference}") or "2026-03-17" in web.text(f"/cases/{case.reference}")


def test_written_reasons_need_a_dismissal(db, web, people, case):
    web.login(people["hr"])
    html = web.submit(url(case, "written-reasons"), {"written_reasons_requested_on": "2026-03-02"}).get_data(
        as_text=True
    )
    assert "no dismissal decided" in html and 'value="2026-03-02"' in html


def test_the_pages_are_hr_s_never_the_subject_s_or_the_hearing_officer_s(db, web, people, case):
    web.login(people["hr"])
    web.submit(url(case, "grievance"), {"grievance_raised_on": "2026-03-02", "grievance_summary": "About the case."})
    decision = task_url(db, case, "During_GrievanceDecision")
    for who in ("employee", "officer", "hub"):
        as_user(web, people[who])
        for what in ("grievance", "resignation", "sickness", "written-reasons"):
            assert web.client.get(url(case, what)).status_code == 403, (who, what)
        assert web.client.get(decision).status_code == 403, who
        assert web.client.post(decision, data={"grievance_handling": "together"}).status_code in (400, 403)
    as_user(web, people["employee"])
    assert "Record a grievance" not in web.text(f"/cases/{case.reference}")
    as_user(web, people["other_hr"])  # another HR officer may record; the decision is the HR party's
    assert web.client.get(url(case, "sickness")).status_code == 200
    assert web.client.get(decision).status_code == 403
    assert web.client.get(url(case, "nothing-such")).status_code == 404


def test_hr_reviews_a_carried_over_suspension_with_errors_beside_the_fields(ctx, db, web, people):
    from datetime import timedelta

    from workflows.engine import clock
    from workflows.engine.timers import fire_due_timers

    opening = DisciplinaryOpening(
        subject=people["employee"],
        clauses=["SMP-5.5"],
        reason="Referred by the investigation.",
        allegation="Posted a photo of a service user without consent.",
        findings={"suspension_live": True, "suspended_since": "2026-02-20", "suspension_reason": "Serious."},
    )
    case = open_disciplinary(ctx, people["hr"], opening)
    web.login(people["hr"])
    review_at = clock.london(case.next_timer_at).strftime("%a %-d %b %Y, %H:%M")
    assert f"next deadline {review_at}" in web.text(f"/cases/{case.reference}")  # the suspension's review
    as_user(web, people["employee"])
    assert "next deadline" not in web.text(f"/cases/{case.reference}")  # HR's working, not theirs
    web.logout()
    clock.advance(timedelta(days=14, minutes=1))
    fire_due_timers(ctx)
    review = task_url(db, case, "During_ReviewSuspension")
    web.login(people["employee"])
    assert web.client.get(review).status_code == 403  # HR's working, not the subject's
    as_user(web, people["hr"])
    assert "On full pay since 2026-02-20" in web.text(f"/cases/{case.reference}")
    html = web.submit(review, {"suspension_review_reasons": "Too s"}).get_data(as_text=True)
    assert "Choose a decision." in html and "Too s</textarea>" in html
    html = web.submit(review, {"suspension_decision": "lift", "suspension_review_reasons": ""}).get_data(as_text=True)
    assert "This field is required." in html and 'checked class="form-check-input" id="suspension_decision-1"' in html
    assert (
        web.submit(
            review, {"suspension_decision": "lift", "suspension_review_reasons": "Evidence is secured now."}
        ).status_code
        == 302
    )
    assert "suspension_lifted" in db.scalars(select(Letter.kind).where(Letter.case_id == case.id)).all()

"""Disciplinary pages: each form refuses bad input beside the field and keeps
what was typed; the employee sees their letters and steps, never HR's working;
a person's record is HR's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import Case, CaseTask, Letter, PersonType, Role, TaskState
from tests.factories import make_hr, make_manager, make_user
from workflows.engine import clock


@pytest.fixture
def people(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "manager": manager,
        "officer": make_manager(db, "Priya Shah"),
        "hub": make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,)),
        "employee": make_user(db, "Ellie Jones", line_manager=manager),
        "volunteer": make_user(db, "Vic Patel", person_type=PersonType.VOLUNTEER),
    }


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


@pytest.fixture
def case(db, web, people):
    web.login(people["hr"])
    page = web.text("/disciplinary/new")
    assert "Vic Patel" not in page  # volunteers have their own procedure
    bad = web.submit("/disciplinary/new", {"subject": "0", "allegation": "Too short", "reason": ""})
    html = bad.get_data(as_text=True)
    assert "Choose the employee." in html and "Choose at least one clause." in html and "Too short</textarea>" in html
    response = web.submit(
        "/disciplinary/new",
        {
            "subject": str(people["employee"].id),
            "clauses": ["SMP-5.5"],
            "allegation": "Posted a photo of a service user on a public page without consent.",
            "reason": "She admitted it in writing; the facts are not in dispute.",
        },
    )
    assert response.status_code == 302
    return db.scalar(select(Case).where(Case.kind == "disciplinary"))


def test_hr_appoints_and_invites_with_errors_beside_the_fields(db, web, people, case):
    url = task_url(db, case, "UserTask_AppointHearingOfficer")
    page = web.submit(url, {"hearing_officer_id": str(people["manager"].id)}).get_data(as_text=True)
    assert "Mark Taylor is Ellie Jones&#39;s line manager" in page
    assert web.submit(url, {"hearing_officer_id": str(people["officer"].id)}).status_code == 302
    url = task_url(db, case, "UserTask_Invite")
    page = web.submit(url, {"hearing_at": "", "place": ""}).get_data(as_text=True)
    assert "Give the date and time of the hearing." in page and "Say where the hearing will be held" in page
    page = web.submit(url, {"hearing_at": "2026-03-05T10:00", "place": "Room 2"}).get_data(as_text=True)
    assert "Monday 9 March 2026 at the earliest" in page
    assert 'value="2026-03-05T10:00"' in page and 'value="Room 2"' in page  # kept as typed
    assert web.submit(url, {"hearing_at": "2026-03-10T10:00", "place": "Room 2"}).status_code == 302
    assert {"hearing_invitation", "evidence_pack"} <= set(
        db.scalars(select(Letter.kind).where(Letter.case_id == case.id))
    )


def drive_to_hearing(db, web, people, case):
    web.submit(task_url(db, case, "UserTask_AppointHearingOfficer"), {"hearing_officer_id": str(people["officer"].id)})
    web.submit(task_url(db, case, "UserTask_Invite"), {"hearing_at": "2026-03-10T10:00", "place": "Room 2"})
    as_user(web, people["employee"])
    url = task_url(db, case, "UserTask_Companion")
    page = web.text(url)
    assert "a trade union official" in page and "within 5 working days" in page
    html = web.submit(url, {"companion_choice": "union_rep"}).get_data(as_text=True)
    assert "Give your companion&#39;s name." in html
    assert web.submit(url, {"companion_choice": "union_rep", "companion_name": "Una Union"}).status_code == 302


def test_the_employee_sees_their_letters_never_hr_s_working(db, web, people, case):
    drive_to_hearing(db, web, people, case)
    page = web.text(f"/cases/{case.reference}")
    assert "Invitation to a disciplinary hearing" in page and "Evidence pack" in page
    assert "Appoint a hearing officer" not in page and 'id="case-diagram"' not in page
    assert "The procedure so far" in page  # the checklist is theirs to read too
    letter = db.scalar(select(Letter).where(Letter.case_id == case.id, Letter.kind == "hearing_invitation"))
    assert "Tuesday 10 March 2026 at 10:00" in web.text(f"/cases/letters/{letter.id}")


def test_the_hearing_and_decision_forms_name_what_is_missing(db, web, people, case):
    drive_to_hearing(db, web, people, case)
    as_user(web, people["officer"])
    clock.advance(timedelta(days=8, hours=2))  # the hearing was at 10:00 on Tuesday 10 March
    url = task_url(db, case, "UserTask_Hearing")
    html = web.submit(url, {"attendance": "attended"}).get_data(as_text=True)
    assert "Record the notes of the hearing." in html and "Record the employee&#39;s response." in html
    web.submit(url, {"attendance": "attended", "hearing_notes": "She accepted it.", "employee_response": "Sorry."})
    url = task_url(db, case, "UserTask_Decide")
    page = web.text(url)
    assert "Earlier outcomes on these clauses" in page and "Live warnings when the case opened" in page
    html = web.submit(
        url,
        {
            "misconduct_found": "misconduct",
            "sanction": "dismissal_notice",
            "clauses_found": ["SMP-5.5"],
            "decision_reasons": "A serious breach of confidence.",
            "dismissal_on": "2026-03-31",
            "notice_weeks": "4",
        },
    ).get_data(as_text=True)
    assert "needs a live final written warning" in html and "Higgs" in html
    assert "A serious breach of confidence.</textarea>" in html
    assert (
        web.submit(
            url,
            {
                "misconduct_found": "misconduct",
                "sanction": "first_written",
                "clauses_found": ["SMP-5.5"],
                "decision_reasons": "A serious breach of confidence.",
                "targets_manner": "y",
                "proportionality_reasons": "A warning is enough given her prompt removal.",
                "mitigation_considered": "Removed at once, apologised.",
                "consistency_considered": "y",
            },
        ).status_code
        == 302
    )
    as_user(web, people["hr"])
    record = web.text(f"/disciplinary/people/{people['employee'].id}")
    assert "First written warning" in record and "Live" in record
    assert f"{case.reference}</a> Disciplinary: Ellie Jones (decided): First written warning</li>" in record
    as_user(web, people["employee"])
    assert web.client.get(f"/disciplinary/people/{people['employee'].id}").status_code == 403
    assert web.client.get(f"/disciplinary/people/{people['officer'].id}").status_code == 403

"""Breach investigation pages: each form, its invalid input, and who sees what."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import select

from models import (
    AuditEvent,
    Case,
    CaseTask,
    Evidence,
    InterviewNote,
    Letter,
    Role,
    TaskState,
)
from tests.factories import make_hr, make_manager, make_user
from workflows.demo import DEMO_PNG


@pytest.fixture
def people(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "manager": manager,
        "investigator": make_manager(db, "Ivan Investigator"),
        "employee": make_user(db, "Ellie Jones", line_manager=manager),
        "outsider": make_manager(db, "Olly Outsider"),
    }


def task_url(db, case, bpmn_id) -> str:
    task = db.scalar(
        select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )
    assert task, f"{bpmn_id} is not ready"
    return f"/tasks/{task.id}"


def as_user(web, user):
    web.logout()
    web.login(user)


@pytest.fixture
def case(db, web, people):
    web.login(people["hr"])
    response = web.submit(
        "/breach/new",
        {
            "subject": str(people["employee"].id),
            "source": "manager_report",
            "reported_by": str(people["manager"].id),
            "clauses": ["SMP-5.5"],
            "description": "Posted a photo of a service user without their consent.",
            "evidence": (BytesIO(DEMO_PNG), "photo.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return db.scalar(select(Case).where(Case.kind == "breach_investigation"))


def test_opening_needs_the_hr_role_and_valid_input(db, web, people):
    web.login(people["manager"])
    assert web.client.get("/breach/new").status_code == 403
    as_user(web, people["hr"])
    page = web.submit(
        "/breach/new", {"subject": "0", "source": "monitoring", "reported_by": "0", "description": "too short"}
    )
    html = page.get_data(as_text=True)
    assert "Choose the person the concern is about." in html and "Choose at least one clause." in html
    assert "too short</textarea>" in html
    assert db.scalar(select(Case.id)) is None


def test_triage_refuses_bad_input_and_the_reporter_as_investigator(db, web, people, case):
    url = task_url(db, case, "UserTask_Triage")
    page = web.submit(url, {"suspension_needed": "yes", "investigator_id": "0"})
    html = page.get_data(as_text=True)
    assert "Choose a severity." in html and "Give the reason for suspension." in html
    assert f'value="{people["manager"].id}"' not in html.split('id="investigator_id"')[1].split("</select>")[0]
    page = web.submit(
        url,
        {
            "severity": "serious",
            "personal_data_published": "no",
            "suspension_needed": "no",
            "investigator_id": str(people["manager"].id),
        },
    )
    assert "neither the subject nor the person who reported it" in page.get_data(as_text=True)
    page = web.submit(
        url,
        {
            "severity": "serious",
            "personal_data_published": "no",
            "suspension_needed": "no",
            "investigator_id": str(people["investigator"].id),
        },
    )
    assert page.status_code == 302


def run_to_account(db, web, people, case, **triage):
    """Triage, then the investigator adds an interview note and unshared
    evidence (checked as stored: the routes redirect whether or not they
    added anything) and invites the subject's account."""
    assert (
        web.submit(
            task_url(db, case, "UserTask_Triage"),
            {
                "severity": "serious",
                "personal_data_published": "no",
                "suspension_needed": "no",
                "investigator_id": str(people["investigator"].id),
                **triage,
            },
        ).status_code
        == 302
    )
    as_user(web, people["investigator"])
    page = f"/cases/{case.reference}"
    added = web.submit(
        f"{page}/interviews",
        {"witness": "Sam Wright", "interviewed_on": "2026-03-02", "notes": "Saw the post on Sunday."},
        form_page=page,
    )
    assert added.status_code == 302 and added.headers["Location"].endswith(f"{page}#case-file")
    note = db.scalar(select(InterviewNote).where(InterviewNote.case_id == case.id))
    assert note is not None and note.notes == "Saw the post on Sunday." and note.witness == "Sam Wright"
    assert note.added_by_id == people["investigator"].id
    added = web.submit(
        f"{page}/evidence",
        {
            "description": "Witness screenshot",
            "shared_with_subject": "no",
            "file": (BytesIO(DEMO_PNG + b"2"), "witness.png"),
        },
        form_page=page,
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    evidence = db.scalar(
        select(Evidence).where(Evidence.case_id == case.id, Evidence.description == "Witness screenshot")
    )
    assert evidence is not None and evidence.shared_with_subject is False
    assert (
        web.submit(
            task_url(db, case, "UserTask_Investigate"),
            {"account_days": "7", "invitation_message": "Tell us your side."},
        ).status_code
        == 302
    )


def test_the_subject_sees_the_allegation_but_never_notes_or_unshared_evidence(db, web, people, case):
    run_to_account(db, web, people, case)
    as_user(web, people["employee"])
    url = task_url(db, case, "UserTask_Account")
    html = web.text(url)
    assert "include personal information or data about the organisation" in html  # SMP-5.5 quoted
    assert "Tell us your side." in html and "Witness screenshot" not in html
    page = web.text(f"/cases/{case.reference}")
    assert "Saw the post on Sunday." not in page and "Interview notes" not in page
    hidden = db.scalar(select(Evidence).where(Evidence.case_id == case.id, Evidence.shared_with_subject.is_(False)))
    assert web.client.get(f"/cases/evidence/{hidden.id}").status_code == 403
    page = web.submit(url, {"account_choice": "give"})
    assert "Write your statement." in page.get_data(as_text=True)
    assert web.submit(url, {"account_choice": "give", "account_statement": "I'm sorry."}).status_code == 302


def test_interview_notes_and_evidence_are_for_hr_and_the_investigator(db, web, people, case):
    run_to_account(db, web, people, case)
    page = web.text(f"/cases/{case.reference}")
    assert "Saw the post on Sunday." in page and "Witness screenshot" in page
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "interview_recorded"))
    bad = web.submit(
        f"/cases/{case.reference}/interviews",
        {"witness": "X", "interviewed_on": "2030-01-01", "notes": "Future"},
        form_page=f"/cases/{case.reference}",
        follow_redirects=True,
    )
    assert "The interview date must be between 2 March 2026, when the case was opened, and today, 2 March 2026." in (
        bad.get_data(as_text=True)
    )
    as_user(web, people["outsider"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    as_user(web, people["manager"])  # the reporter sees nothing of the investigation
    assert web.client.get(f"/cases/{case.reference}").status_code == 403


def step_done(title: str) -> str:
    """How the timeline shows a completed step."""
    return f'<strong>Task completed</strong> · <span class="text-muted">{title}</span>'


def test_the_subject_s_timeline_shows_their_own_steps_never_hr_s_or_the_investigator_s_working(db, web, people, case):
    run_to_account(db, web, people, case)
    as_user(web, people["employee"])
    assert (
        web.submit(
            task_url(db, case, "UserTask_Account"), {"account_choice": "give", "account_statement": "I'm sorry."}
        ).status_code
        == 302
    )
    mine = web.text(f"/cases/{case.reference}")
    assert "<strong>Case opened</strong>" in mine and step_done("Give your account") in mine
    assert "Interview recorded" not in mine
    assert step_done("Triage") not in mine
    assert "Investigate and invite the subject" not in mine
    assert "Party assigned" not in mine and "Evidence added" not in mine
    as_user(web, people["hr"])
    theirs = web.text(f"/cases/{case.reference}")
    assert "<strong>Interview recorded</strong>" in theirs
    assert step_done("Triage") in theirs and step_done("Give your account") in theirs
    assert "Investigate and invite the subject&#39;s account" in theirs


def close_by_pages(db, web, people, case):
    """From the account step to the outcome: the case ends (no case to answer)."""
    as_user(web, people["employee"])
    assert web.submit(task_url(db, case, "UserTask_Account"), {"account_choice": "decline"}).status_code == 302
    as_user(web, people["investigator"])
    assert (
        web.submit(
            task_url(db, case, "UserTask_Findings"),
            {"facts_found": "The photo was posted, with consent shown later.", "recommendation": "no_case_to_answer"},
        ).status_code
        == 302
    )
    as_user(web, people["hr"])
    assert (
        web.submit(
            task_url(db, case, "UserTask_Outcome"),
            {"outcome": "no_case_to_answer", "outcome_reasons": "Consent was later shown."},
        ).status_code
        == 302
    )
    db.refresh(case)
    assert case.closed_at is not None


def test_nothing_can_be_added_to_the_case_file_once_the_case_has_ended(db, web, people, case):
    run_to_account(db, web, people, case)  # adding to the open case worked (it asserts so)
    close_by_pages(db, web, people, case)
    as_user(web, people["investigator"])
    page = f"/cases/{case.reference}"
    assert "Add interview notes" not in web.text(page)  # the forms are gone...
    refused = web.submit(
        f"{page}/interviews",
        {  # ...and a post is refused all the same
            "witness": "Late Witness",
            "interviewed_on": "2026-03-02",
            "notes": "Remembered later.",
        },
        form_page="/",
        follow_redirects=True,
    )
    assert "Interview notes not added: This case has ended: nothing more can be added to it." in (
        refused.get_data(as_text=True)
    )
    refused = web.submit(
        f"{page}/evidence",
        {"description": "A late screenshot", "shared_with_subject": "no", "url": "https://facebook.com/posts/999"},
        form_page="/",
        follow_redirects=True,
    )
    assert "Evidence not added: This case has ended: nothing more can be added to it." in (
        refused.get_data(as_text=True)
    )
    assert db.scalar(select(InterviewNote).where(InterviewNote.witness == "Late Witness")) is None
    assert db.scalar(select(Evidence).where(Evidence.description == "A late screenshot")) is None
    assert list(db.scalars(select(InterviewNote.witness).where(InterviewNote.case_id == case.id))) == ["Sam Wright"]


def test_findings_outcome_and_the_letter(db, web, people, case):
    run_to_account(db, web, people, case)
    as_user(web, people["employee"])
    web.submit(task_url(db, case, "UserTask_Account"), {"account_choice": "decline"})
    as_user(web, people["investigator"])
    url = task_url(db, case, "UserTask_Findings")
    assert "Choose a recommendation." in web.submit(url, {"facts_found": "The photo was posted."}).get_data(
        as_text=True
    )
    web.submit(
        url,
        {
            "facts_found": "The photo was posted on Sunday.",
            "clauses_breached": ["SMP-5.5"],
            "mitigation": "Removed quickly.",
            "recommendation": "informal_action",
        },
    )
    as_user(web, people["hr"])
    url = task_url(db, case, "UserTask_Outcome")
    assert "Describe the informal action." in web.submit(
        url, {"outcome": "informal_action", "outcome_reasons": "Breach, but mitigated."}
    ).get_data(as_text=True)
    web.submit(
        url,
        {
            "outcome": "informal_action",
            "outcome_reasons": "Breach, but mitigated.",
            "informal_action": "Complete data protection training.",
        },
    )
    letter = db.scalar(select(Letter).where(Letter.case_id == case.id))
    as_user(web, people["employee"])
    assert "Complete data protection training." in web.text(f"/cases/letters/{letter.id}")
    pdf = web.client.get(f"/cases/letters/{letter.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)))
    assert {"letter_viewed", "letter_downloaded", "letter_issued"} <= actions
    as_user(web, people["outsider"])
    assert web.client.get(f"/cases/letters/{letter.id}").status_code == 403


def test_hub_manager_can_take_the_overdue_data_breach_decision(ctx, db, web, people, case):
    from datetime import timedelta

    from workflows.engine import clock
    from workflows.engine.timers import fire_due_timers

    hub = make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,))
    web.submit(
        task_url(db, case, "UserTask_Triage"),
        {
            "severity": "serious",
            "personal_data_published": "yes",
            "suspension_needed": "no",
            "investigator_id": str(people["investigator"].id),
        },
    )
    clock.advance(timedelta(hours=73))
    fire_due_timers(ctx)
    as_user(web, hub)
    assert "Decide on ICO report (overdue)" in web.text("/")
    url = task_url(db, case, "UserTask_HubManagerIco")
    assert "Record the decision." in web.submit(url, {"ico_reasons": "Because."}).get_data(as_text=True)
    assert (
        web.submit(
            url, {"ico_decision": "reported", "ico_reasons": "High risk to a service user.", "ico_reference": "ICO-1"}
        ).status_code
        == 302
    )


def test_suspension_review_and_invitation_forms_refuse_bad_input(ctx, db, web, people, case):
    from datetime import timedelta

    from workflows.engine import clock
    from workflows.engine.timers import fire_due_timers

    web.submit(
        task_url(db, case, "UserTask_Triage"),
        {
            "severity": "potential_gross_misconduct",
            "personal_data_published": "no",
            "suspension_needed": "yes",
            "suspension_reason": "To protect a service user.",
            "investigator_id": str(people["investigator"].id),
        },
    )
    clock.advance(timedelta(days=14, minutes=1))
    fire_due_timers(ctx)
    url = task_url(db, case, "UserTask_ReviewSuspension")
    page = web.submit(url, {"suspension_review_reasons": "Still needed."}).get_data(as_text=True)
    assert "Choose a decision." in page and "Still needed.</textarea>" in page
    assert (
        web.submit(url, {"suspension_decision": "lift", "suspension_review_reasons": "Evidence secured."}).status_code
        == 302
    )
    as_user(web, people["investigator"])
    url = task_url(db, case, "UserTask_Investigate")
    page = web.submit(url, {"account_days": "90"}).get_data(as_text=True)
    assert "Number must be between 1 and 30." in page
    page = web.submit(url, {"account_days": "abc"}).get_data(as_text=True)
    assert page.count("Enter a whole number, such as 7.") == 1 and "Not a valid integer" not in page


def test_a_forged_upload_to_the_case_file_is_refused_and_nothing_is_stored(db, web, people, case, settings):
    before = {p for p in settings.evidence_dir.rglob("*") if p.is_file()}
    page = web.submit(
        f"/cases/{case.reference}/evidence",
        {
            "description": "Looks like a screenshot",
            "shared_with_subject": "no",
            "file": (BytesIO(b"#!/bin/sh\necho hi\n"), "screenshot.png"),
        },
        form_page=f"/cases/{case.reference}",
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Evidence not added: see the message beside each field." in html
    beside_the_file = html[html.index('name="file"') : html.index('name="url"')]
    assert "Only screenshots and documents can be stored as evidence" in beside_the_file
    assert "Looks like a screenshot</textarea>" in html  # what was typed is kept
    assert {p for p in settings.evidence_dir.rglob("*") if p.is_file()} == before
    assert db.scalar(select(Evidence).where(Evidence.description == "Looks like a screenshot")) is None

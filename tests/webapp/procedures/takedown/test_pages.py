"""Every takedown page: success, invalid input (errors shown, values kept),
who may see what, uploads refused politely, and double submits."""

from __future__ import annotations

import hashlib
import re
from io import BytesIO

import pytest
from sqlalchemy import select

from models import AuditEvent, Case, CaseTask, Evidence, OutboxMessage, PersonType, TaskState
from tests.factories import make_hr, make_manager, make_takedown, make_user
from workflows.demo import DEMO_PNG


@pytest.fixture
def people(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "manager": manager,
        "hr": make_hr(db, "Hana Hussain"),
        "employee": make_user(db, "Ellie Jones", line_manager=manager),
        "volunteer": make_user(db, "Vic Patel", person_type=PersonType.VOLUNTEER),
        "outsider": make_user(db, "Olly Outsider"),
    }


def request_form(subject, **overrides):
    data = {
        "subject": str(subject.id),
        "platform": "Facebook",
        "urls": "https://facebook.com/posts/1\nhttps://facebook.com/posts/2",
        "clauses": ["SMP-5.6", "SMP-5.4"],
        "reasons": "Insulting comments about a colleague.",
        "deadline_hours": "24",
        "captured_at": "2026-03-02T08:30",
        "evidence": (BytesIO(DEMO_PNG), "screenshot.png"),
    }
    data.update(overrides)
    return data


def open_request(web, subject, **overrides):
    return web.submit("/takedown/new", request_form(subject, **overrides), content_type="multipart/form-data")


def task_of(db, case, bpmn_id) -> CaseTask:
    return db.scalar(
        select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )


def test_manager_sends_a_request_with_a_screenshot(db, web, people):
    web.login(people["manager"])
    response = open_request(web, people["employee"])
    assert response.status_code == 302
    case = db.scalar(select(Case).order_by(Case.id.desc()))
    assert response.headers["Location"] == f"/cases/{case.reference}"
    assert case.subject_id == people["employee"].id and case.clauses == ["SMP-5.4", "SMP-5.6"]
    evidence = db.scalar(select(Evidence).where(Evidence.case_id == case.id))
    assert evidence.sha256 == hashlib.sha256(DEMO_PNG).hexdigest()
    assert evidence.captured_at.isoformat() == "2026-03-02T08:30:00+00:00"  # GMT in March
    page = web.text(response.headers["Location"])
    assert "Respond to takedown notice" in page and "Ellie Jones" in page


def test_invalid_request_shows_errors_and_keeps_what_was_typed(db, web, people):
    web.login(people["manager"])
    page = open_request(web, people["employee"], urls="not a link", reasons="short", clauses=[], deadline_hours="0")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Not a web link: not a link" in html
    assert "Choose at least one clause." in html
    assert "Field must be between 10 and 4000 characters long." in html
    assert "Give between 0.05 and 336 hours (two weeks)." in html
    assert "\nnot a link</textarea>" in html and "\nshort</textarea>" in html
    assert "please choose the file again" in html
    assert db.scalar(select(Case.id)) is None


def test_a_capture_time_in_1900_is_refused_beside_the_field_with_the_range(db, web, people):
    web.login(people["manager"])
    html = open_request(web, people["employee"], captured_at="1900-01-01T08:30").get_data(as_text=True)
    assert "The capture time must be between 2 March 2025, 09:00" in html
    assert html.index("The capture time must be") > html.index('name="captured_at"')  # beside it, not at the top
    assert "Insulting comments about a colleague.</textarea>" in html
    assert db.scalar(select(Case.id)) is None


def test_a_step_s_text_shows_its_limit_and_over_it_is_refused_not_cut(ctx, db, web, people):
    case = make_takedown(ctx, people["manager"], people["employee"])
    web.login(people["employee"])
    url = f"/tasks/{task_of(db, case, 'UserTask_Respond').id}"
    form = web.text(url)
    assert 'data-max-length="4000"' in form and "At most 4,000 characters." in form and "maxlength" not in form
    grounds = "z" * 5000
    html = web.submit(url, {"response": "dispute", "dispute_grounds": grounds}).get_data(as_text=True)
    assert "At most 4,000 characters: this has 5,000. Please shorten it (nothing was cut)." in html
    assert f"{grounds}</textarea>" in html
    assert task_of(db, case, "UserTask_Respond") is not None  # still waiting: nothing was recorded


def test_the_request_s_reasons_over_the_limit_are_refused_not_cut(db, web, people):
    web.login(people["manager"])
    form = web.text("/takedown/new")
    assert "maxlength" not in form and "At most 4,000 characters." in form
    html = open_request(web, people["employee"], reasons="r" * 5000).get_data(as_text=True)
    assert "At most 4,000 characters: this has 5,000." in html and ("r" * 5000 + "</textarea>") in html
    assert db.scalar(select(Case.id)) is None


def test_the_timeline_reads_as_a_person_writes_it(ctx, db, web, people):
    from tests.workflows.helpers import complete

    case = make_takedown(ctx, people["manager"], people["employee"])
    complete(ctx, case, "UserTask_Respond", people["employee"], response="removed")
    web.login(people["hr"])
    page = web.text(f"/cases/{case.reference}")
    timeline = page[page.index('<ol class="list-unstyled timeline">') :]
    assert "Deadline hours: 24\n" in timeline and "24.0" not in timeline
    assert "Evidence captured at: 2 March 2026, 09:00 (UK time)" in timeline
    assert "2026-03-02T09:00:00+00:00" not in timeline
    assert "Response: I have removed the content" in timeline and "Response: Removed" not in timeline
    assert not re.search(r" · #\d+</div>", timeline)  # numbered with gaps (page views left out): not numbered


def test_letters_in_the_hours_get_one_plain_message(db, web, people):
    web.login(people["manager"])
    html = open_request(web, people["employee"], deadline_hours="abc").get_data(as_text=True)
    assert html.count("Enter a number, such as 24.") == 1
    assert "Not a valid float value" not in html and "Give between" not in html
    assert db.scalar(select(Case.id)) is None


def test_the_escalation_and_the_upheld_dispute_read_as_sentences(ctx, db, web, people):
    from tests.workflows.helpers import complete, outbox

    refused = make_takedown(ctx, people["manager"], people["employee"])
    complete(ctx, refused, "UserTask_Respond", people["employee"], response="refuse", dispute_grounds="My opinion.")
    web.login(people["hr"])
    page = web.text(f"/tasks/{task_of(db, refused, 'UserTask_DecideEscalation').id}")
    assert "<strong>Escalated because:</strong> the person refused to remove the content.</p>" in page

    upheld = make_takedown(ctx, people["manager"], people["employee"])
    complete(ctx, upheld, "UserTask_Respond", people["employee"], response="dispute", dispute_grounds="Mine.")
    complete(
        ctx,
        upheld,
        "UserTask_ReviewDispute",
        people["hr"],
        review_decision="uphold",
        review_reasons="Abusive wording.",
        proportionality_considered=True,
    )
    web.logout()
    web.login(people["employee"])
    page = web.text(f"/tasks/{task_of(db, upheld, 'UserTask_Respond').id}")
    assert "upheld the request: <em>Abusive wording.</em></p>" in page
    notice = db.scalar(
        select(OutboxMessage.body).where(
            OutboxMessage.case_id == upheld.id, OutboxMessage.subject.like("Final notice%")
        )
    )
    assert "upheld the request: Abusive wording.\n" in notice and "wording.." not in notice
    assert ("takedown_final_notice", people["employee"].email) in outbox(db, upheld)


@pytest.mark.parametrize(
    "upload, message",
    [
        ((BytesIO(b"MZ\x90\x00 not really an image"), "photo.png"), "Only screenshots and documents"),
        ((BytesIO(b"%PDF-1.7 a document"), "screenshot.png"), "its contents are application/pdf"),
        ((BytesIO(b""), "empty.png"), "The file is empty."),
    ],
)
def test_disallowed_or_forged_files_are_refused_and_nothing_is_stored(db, web, people, settings, upload, message):
    web.login(people["manager"])
    page = open_request(web, people["employee"], evidence=upload)
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
    assert db.scalar(select(Case.id)) is None
    stored = [p for p in settings.evidence_dir.rglob("*") if p.is_file()] if settings.evidence_dir.exists() else []
    assert stored == []


def test_oversized_upload_is_refused_politely(db, web, people):
    web.login(people["manager"])
    big = DEMO_PNG + b"\0" * (11 * 1024 * 1024)
    page = open_request(web, people["employee"], evidence=(BytesIO(big), "huge.png"))
    assert page.status_code == 413
    assert "larger than the 10 MB limit" in page.get_data(as_text=True)


def test_an_employee_cannot_open_requests_and_the_attempt_is_audited(db, web, people):
    web.login(people["employee"])
    assert web.client.get("/takedown/new").status_code == 403
    denied = db.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied"))
    assert denied.actor_id == people["employee"].id


def test_the_notice_quotes_the_clause_and_the_london_deadline(ctx, db, web, people):
    case = make_takedown(ctx, people["manager"], people["employee"], clauses=["SMP-5.6"])
    web.login(people["employee"])
    inbox = web.text("/")
    assert "Respond to takedown notice" in inbox
    html = web.text(f"/tasks/{task_of(db, case, 'UserTask_Respond').id}")
    assert "Employees and volunteers must remove any offending content immediately" in html
    assert "make any derogatory, offensive, discriminatory, untrue" in html
    assert "Tue 3 Mar 2026, 09:00" in html  # 24 h after 09:00 UTC Monday, GMT
    assert "open an investigation under the policy (SMP-7.1)" in html


def test_a_volunteer_notice_avoids_employment_words(ctx, db, web, people):
    case = make_takedown(ctx, people["manager"], people["volunteer"])
    web.login(people["volunteer"])
    html = web.text(f"/tasks/{task_of(db, case, 'UserTask_Respond').id}")
    assert "volunteer problem-solving procedure" in html
    assert "disciplinary" not in html.lower()


def test_dispute_without_grounds_is_refused_and_keeps_the_choice(ctx, db, web, people):
    case = make_takedown(ctx, people["manager"], people["employee"])
    web.login(people["employee"])
    url = f"/tasks/{task_of(db, case, 'UserTask_Respond').id}"
    page = web.submit(url, {"response": "dispute", "confirmation": "typed text"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Tell us your reasons." in html
    assert (
        '<input checked class="form-check-input" id="response-1" name="response" required '
        'type="radio" value="dispute">' in html
    )
    assert "typed text</textarea>" in html


def test_full_path_in_pages_removed_then_verified(ctx, db, web, people):
    case = make_takedown(ctx, people["manager"], people["employee"])
    web.login(people["employee"])
    respond = task_of(db, case, "UserTask_Respond")
    assert web.submit(f"/tasks/{respond.id}", {"response": "removed", "confirmation": "Deleted"}).status_code == 302
    web.logout()
    web.login(people["manager"])
    verify = task_of(db, case, "UserTask_Verify")
    page = web.submit(f"/tasks/{verify.id}", {"verification": "still_visible"})
    assert "Say where it is still visible." in page.get_data(as_text=True)
    assert web.submit(f"/tasks/{verify.id}", {"verification": "removed"}).status_code == 302
    html = web.text(f"/cases/{case.reference}")
    for step in ("Case opened", "Task completed", "Notification queued", "Case closed"):
        assert step in html
    db.refresh(case)
    assert case.status == "closed"


def test_hr_review_and_escalation_forms(ctx, db, web, people):
    case = make_takedown(ctx, people["manager"], people["employee"])
    web.login(people["employee"])
    web.submit(
        f"/tasks/{task_of(db, case, 'UserTask_Respond').id}",
        {"response": "dispute", "dispute_grounds": "It is my religious belief."},
    )
    web.logout()
    web.login(people["hr"])
    review_url = f"/tasks/{task_of(db, case, 'UserTask_ReviewDispute').id}"
    page = web.submit(review_url, {"review_decision": "escalate", "review_reasons": "Abusive wording."})
    assert "Confirm the proportionality assessment." in page.get_data(as_text=True)
    assert "Abusive wording.</textarea>" in page.get_data(as_text=True)
    assert (
        web.submit(
            review_url,
            {"review_decision": "escalate", "review_reasons": "Abusive wording.", "proportionality_considered": "y"},
        ).status_code
        == 302
    )
    decide_url = f"/tasks/{task_of(db, case, 'UserTask_DecideEscalation').id}"
    assert "Choose a decision." in web.submit(decide_url, {"escalation_reasons": "Because."}).get_data(as_text=True)
    assert (
        web.submit(
            decide_url, {"escalation_decision": "open_investigation", "escalation_reasons": "Serious and repeated."}
        ).status_code
        == 302
    )
    db.refresh(case)
    assert case.status == "investigation_opened"


def test_a_takedown_whose_investigation_is_open_says_so_with_the_link_and_leaves_the_escalated_list(
    ctx, db, web, people
):
    from tests.workflows.helpers import complete

    case = make_takedown(ctx, people["manager"], people["employee"])
    complete(ctx, case, "UserTask_Respond", people["employee"], response="refuse", dispute_grounds="My opinion.")
    waiting = make_takedown(ctx, people["manager"], people["employee"])
    complete(ctx, waiting, "UserTask_Respond", people["employee"], response="refuse", dispute_grounds="Mine.")
    web.login(people["hr"])
    assert case.reference in web.text("/cases/?status=escalated")
    complete(
        ctx,
        case,
        "UserTask_DecideEscalation",
        people["hr"],
        escalation_decision="open_investigation",
        escalation_reasons="Refused to remove it.",
    )
    investigation = db.scalar(select(Case).where(Case.parent_id == case.id))
    page = web.text(f"/cases/{case.reference}")
    assert "Investigation opened" in page
    assert f'Investigation opened: <a href="/cases/{investigation.reference}">{investigation.reference}</a>' in page
    still_escalated = web.text("/cases/?status=escalated")
    assert case.reference not in still_escalated and waiting.reference in still_escalated
    assert case.reference in web.text("/cases/?status=investigation_opened")


def test_a_second_submit_gets_a_page_naming_who_completed_it(ctx, db, web, people):
    case = make_takedown(ctx, people["manager"], people["employee"])
    web.login(people["employee"])
    url = f"/tasks/{task_of(db, case, 'UserTask_Respond').id}"
    token = web.token(url)
    first = web.client.post(url, data={"response": "removed", "csrf_token": token})
    second = web.client.post(url, data={"response": "removed", "csrf_token": token})
    assert first.status_code == 302
    assert second.status_code == 409
    assert "already completed by <strong>Ellie Jones</strong>" in second.get_data(as_text=True)


def test_an_answer_sent_after_the_deadline_gets_the_deadline_page_and_the_case_escalates(ctx, db, web, people):
    from datetime import timedelta

    from workflows.engine import clock

    case = make_takedown(ctx, people["manager"], people["employee"])
    web.login(people["employee"])
    url = f"/tasks/{task_of(db, case, 'UserTask_Respond').id}"
    token = web.token(url)  # the form was open when the deadline passed
    clock.advance(timedelta(hours=24, minutes=5))
    late = web.client.post(url, data={"response": "removed", "csrf_token": token})
    assert late.status_code == 409
    assert "already closed by <strong>its deadline</strong>" in late.get_data(as_text=True)
    db.refresh(case)
    assert case.status == "escalated"  # kept: the request moved on, not rolled back
    assert task_of(db, case, "UserTask_DecideEscalation") is not None


def test_people_not_on_a_case_get_403_and_it_is_audited(ctx, db, web, people):
    from workflows.engine.evidence import store_upload

    shot = store_upload(ctx.settings, BytesIO(DEMO_PNG), "post.png", people["manager"])
    case = make_takedown(ctx, people["manager"], people["employee"], evidence=[shot])
    web.login(people["outsider"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert web.client.get(f"/tasks/{task_of(db, case, 'UserTask_Respond').id}").status_code == 403
    assert web.client.get(f"/cases/evidence/{shot.id}").status_code == 403
    denied = db.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "access_denied")
    ).all()
    assert len(denied) == 3 and all(e.actor_id == people["outsider"].id for e in denied)
    assert web.client.get("/cases/TD-1999-9999").status_code == 404


def test_hr_sees_every_case_except_their_own(ctx, db, web, people):
    own = make_takedown(ctx, people["manager"], people["hr"])
    other = make_takedown(ctx, people["manager"], people["employee"])
    web.login(people["hr"])
    assert web.client.get(f"/cases/{other.reference}").status_code == 200
    listing = web.text("/cases/")
    assert other.reference in listing
    # As the subject, HR sees their own notice view, never the HR case file.
    html = web.text(f"/cases/{own.reference}")
    assert "Notices sent to you" in html and 'id="case-diagram"' not in html


def test_evidence_download_is_audited(ctx, db, web, people):
    web.login(people["manager"])
    open_request(web, people["employee"])
    evidence = db.scalar(select(Evidence).order_by(Evidence.id.desc()))
    response = web.client.get(f"/cases/evidence/{evidence.id}")
    assert response.status_code == 200 and response.data == DEMO_PNG
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "evidence_downloaded"))


def test_case_list_filters_and_search(ctx, db, web, people):
    make_takedown(ctx, people["manager"], people["employee"])
    make_takedown(ctx, people["manager"], people["volunteer"])
    web.login(people["manager"])
    found = web.text("/cases/?q=vic")
    assert "Vic Patel" in found and "Ellie Jones" not in found
    assert "No cases match." in web.text("/cases/?status=closed")
    assert "2 cases" in web.text("/cases/?status=open")


def test_a_reference_finds_its_case(ctx, db, web, people):
    first = make_takedown(ctx, people["manager"], people["employee"])
    make_takedown(ctx, people["manager"], people["volunteer"])
    web.login(people["hr"])
    found = web.text(f"/cases/?q={first.reference.lower()}")
    assert first.reference in found and "1 case." in found


def test_the_case_page_shows_the_reminder_and_the_deadline_it_waits_for(ctx, db, web, people):
    case = make_takedown(ctx, people["manager"], people["employee"])
    web.login(people["manager"])
    html = web.text(f"/cases/{case.reference}")
    assert "Reminder at half time — Mon 2 Mar 2026, 21:00" in html and "Deadline passed — Tue 3 Mar 2026, 09:00" in html

"""The report page and the deciders' forms [SMP-5.12]: success, invalid input
(errors beside the field, typed values kept, nothing recorded), uploads
refused politely."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Case, CaseTask, Evidence, PersonType, Role, TaskState
from tests.factories import make_inaccuracy_report, make_manager, make_user
from workflows.demo import DEMO_PNG

NEW = "/inaccurate-information/new"
SMP_5_12 = (
    "Should employees notice any inaccurate information about BCW Hub online, "
    "they should report this to their line manager in the first instance."
)


@pytest.fixture
def staff(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "manager": manager,
        "hub": make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,)),
        "reporter": make_user(db, "Sam Wright", line_manager=manager),
        "volunteer": make_user(db, "Vic Patel", person_type=PersonType.VOLUNTEER, line_manager=manager),
    }


def report_form(**overrides):
    data = {
        "platform": "A news site",
        "url": "https://news.example.org/hub-story",
        "inaccuracy": "The article says the Hub closed in 2024.",
        "correction": "The Hub is open and moved to Mill Street.",
    }
    data.update(overrides)
    return data


def send(web, **overrides):
    return web.submit(NEW, report_form(**overrides), content_type="multipart/form-data")


def nothing_recorded(db, settings) -> bool:
    stored = [p for p in settings.evidence_dir.rglob("*") if p.is_file()] if settings.evidence_dir.exists() else []
    cases = db.scalar(select(func.count(Case.id)))
    opened = db.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "case_opened"))
    return cases == 0 and opened == 0 and stored == []


def task_of(db, case, bpmn_id) -> CaseTask:
    return db.scalar(
        select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )


def test_anyone_without_a_role_can_report_with_a_link(db, web, staff):
    web.login(staff["reporter"])
    inbox = web.text("/")
    assert f'href="{NEW}"' in inbox and "Report inaccurate information" in inbox
    form = web.text(NEW)
    assert SMP_5_12 in form and "your line manager, Mark Taylor" in form
    response = send(web)
    assert response.status_code == 302
    case = db.scalar(select(Case))
    assert response.headers["Location"] == f"/cases/{case.reference}"
    assert case.kind == "inaccurate_information_report" and case.subject_id == staff["reporter"].id
    page = web.text(response.headers["Location"])
    assert "has gone to your line manager, Mark Taylor" in page
    assert "The article says the Hub closed in 2024." in page and SMP_5_12 in page
    assert 'href="https://news.example.org/hub-story"' in page
    assert 'id="case-diagram"' not in page  # the reporter's view: their report, not the working


def test_a_volunteer_can_report_with_a_screenshot_only(db, web, staff):
    web.login(staff["volunteer"])
    response = send(web, url="", screenshot=(BytesIO(DEMO_PNG), "listing.png"))
    assert response.status_code == 302
    evidence = db.scalar(select(Evidence))
    assert evidence.filename == "listing.png" and evidence.shared_with_subject
    assert web.client.get(f"/cases/evidence/{evidence.id}").data == DEMO_PNG  # their own screenshot


def test_without_a_link_or_a_screenshot_it_is_refused_beside_both(db, web, staff, settings):
    web.login(staff["reporter"])
    page = send(web, url="")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("Give a link to it or attach a screenshot: one of the two is enough.") == 2
    assert "The article says the Hub closed in 2024.</textarea>" in html
    assert "The Hub is open and moved to Mill Street.</textarea>" in html
    assert '<option selected value="A news site">' in html
    assert nothing_recorded(db, settings)


@pytest.mark.parametrize(
    "overrides, message, kept",
    [
        ({"url": "javascript:alert(1)"}, "one that starts with https:// or http://.", 'value="javascript:alert(1)"'),
        ({"url": "ftp://example.org/file"}, "Give a web link", 'value="ftp://example.org/file"'),
        ({"inaccuracy": "  "}, "Say what is inaccurate.", 'value="https://news.example.org/hub-story"'),
        ({"platform": ""}, "Choose where you saw it.", "The article says the Hub closed in 2024.</textarea>"),
        ({"platform": "Myspace"}, "Not a valid choice.", "The article says the Hub closed in 2024.</textarea>"),
        ({"correction": "x" * 4001}, "At most 4,000 characters: this has 4,001.", 'value="https://news.example.org/hub-story"'),
    ],
)  # fmt: skip
def test_each_bad_answer_is_named_beside_its_field(db, web, staff, settings, overrides, message, kept):
    web.login(staff["reporter"])
    page = send(web, **overrides)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert message in html and kept in html
    assert nothing_recorded(db, settings)


def test_a_chosen_file_must_be_chosen_again_after_an_error(db, web, staff, settings):
    web.login(staff["reporter"])
    page = send(web, inaccuracy="", screenshot=(BytesIO(DEMO_PNG), "listing.png"))
    html = page.get_data(as_text=True)
    assert "Say what is inaccurate." in html and "please choose the file again" in html
    assert nothing_recorded(db, settings)


@pytest.mark.parametrize(
    "upload, message",
    [
        ((BytesIO(b"MZ\x90\x00 not really an image"), "photo.png"), "Only screenshots and documents"),
        ((BytesIO(b"%PDF-1.7 a document"), "screenshot.png"), "its contents are application/pdf"),
        ((BytesIO(b""), "empty.png"), "The file is empty."),
    ],
)
def test_a_wrong_file_is_refused_politely_and_nothing_is_kept(db, web, staff, settings, upload, message):
    web.login(staff["reporter"])
    page = send(web, url="", screenshot=upload)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and message in html
    assert "The article says the Hub closed in 2024.</textarea>" in html
    assert nothing_recorded(db, settings)


def test_an_oversized_screenshot_is_refused_politely(db, web, staff, settings):
    web.login(staff["reporter"])
    big = DEMO_PNG + b"\0" * (11 * 1024 * 1024)
    page = send(web, screenshot=(BytesIO(big), "huge.png"))
    assert page.status_code == 413
    assert "larger than the 10 MB limit" in page.get_data(as_text=True)
    assert db.scalar(select(func.count(Case.id))) == 0


def test_a_file_just_over_the_limit_is_named_beside_the_field(db, web, staff, settings):
    web.login(staff["reporter"])
    over = DEMO_PNG + b"\0" * (settings.max_evidence_bytes + 1 - len(DEMO_PNG))  # under the request limit
    page = send(web, screenshot=(BytesIO(over), "big.png"))
    assert page.status_code == 200
    assert "The file is larger than the 10 MB limit." in page.get_data(as_text=True)
    assert nothing_recorded(db, settings)


def test_the_line_manager_decides_in_the_page_and_the_reporter_reads_the_outcome(ctx, db, web, staff):
    case = make_inaccuracy_report(ctx, staff["reporter"])
    web.login(staff["manager"])
    url = f"/tasks/{task_of(db, case, 'UserTask_Decide').id}"
    form = web.text(url)
    assert "The listing says the Hub is closed on Tuesdays." in form and SMP_5_12 in form
    assert "Sam Wright will be told your decision" in form
    assert web.submit(url, {"decision": "correct", "reasons": "I will update our own listing."}).status_code == 302
    web.logout()
    web.login(staff["reporter"])
    page = web.text(f"/cases/{case.reference}")
    assert "Notices sent to you" in page and "The outcome of the report of inaccurate information" in page
    assert "Correct it through BCW Hub&#39;s own channels" in page and "I will update our own listing." in page


def test_a_decision_without_an_answer_shows_errors_and_keeps_what_was_typed(ctx, db, web, staff):
    case = make_inaccuracy_report(ctx, staff["reporter"])
    web.login(staff["manager"])
    task = task_of(db, case, "UserTask_Decide")
    url = f"/tasks/{task.id}"
    html = web.submit(url, {"reasons": "Will do"}).get_data(as_text=True)
    assert "Choose what to do about the report." in html
    assert "Field must be between 10 and 4000 characters long." in html
    assert "Will do</textarea>" in html
    html = web.submit(url, {"decision": "pass_to_hub_manager", "reasons": ""}).get_data(as_text=True)
    assert "Say what will be done, or why not: the person reporting is told." in html
    assert 'checked class="form-check-input" id="decision-3" name="decision" required type="radio"' in html
    html = web.submit(url, {"decision": "discipline", "reasons": "Ten characters at least"}).get_data(as_text=True)
    assert "Choose what to do about the report." in html
    db.refresh(task)
    assert task.state == TaskState.READY
    assert db.scalar(select(AuditEvent.id).where(AuditEvent.action == "task_completed")) is None


def test_the_hub_manager_form_refuses_bad_input_then_decides(ctx, db, web, staff):
    case = make_inaccuracy_report(ctx, staff["reporter"])
    web.login(staff["manager"])
    web.submit(
        f"/tasks/{task_of(db, case, 'UserTask_Decide').id}",
        {"decision": "pass_to_hub_manager", "reasons": "A newspaper: the Hub Manager should answer."},
    )
    web.logout()
    web.login(staff["hub"])
    url = f"/tasks/{task_of(db, case, 'UserTask_HubDecide').id}"
    form = web.text(url)
    assert "Pass it to the Hub Manager" in form and "A newspaper: the Hub Manager should answer." in form
    assert 'value="pass_to_hub_manager"' not in form  # the Hub Manager decides; nobody to pass it to
    html = web.submit(url, {"hub_decision": "pass_to_hub_manager", "hub_reasons": "Short"}).get_data(as_text=True)
    assert "Choose what to do about the report." in html and "Short</textarea>" in html
    assert task_of(db, case, "UserTask_HubDecide") is not None
    done = web.submit(url, {"hub_decision": "ask_platform", "hub_reasons": "I will write to the editor."})
    assert done.status_code == 302
    db.refresh(case)
    assert case.status == "closed"

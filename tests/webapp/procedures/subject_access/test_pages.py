"""The subject access pages: recording a request, HR's review and the
redactions, each form's bad input (errors beside the field, typed values
kept, nothing recorded), and who sees them: HR only, never the person
asking (not even an HR officer asking for their own)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Case, CaseTask, Evidence, TaskState
from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import complete
from tests.workflows.procedures.subject_access import make_request, releasing

NEW = "/subject-access/new"


@pytest.fixture
def staff(db):
    return {
        "hana": make_hr(db, "Hana Hussain"),
        "harriet": make_hr(db, "Harriet Hale"),
        "mark": make_manager(db, "Mark Taylor"),
        "ellie": make_user(db, "Ellie Jones"),
    }


def request_form(person, **overrides) -> dict:
    return {"person": str(person.id) if person else "0", "name": "", "email": "", "received_on": "2026-03-02",
            "route": "email", **overrides}  # fmt: skip


def field_error(page: str, message: str) -> bool:
    """The message sits in the field's invalid-feedback, not only somewhere on the page."""
    return re.search(r"invalid-feedback[^>]*>\s*" + re.escape(message), page) is not None


def review_task(db, case) -> CaseTask:
    return db.scalar(select(CaseTask).where(CaseTask.case_id == case.id, CaseTask.state == TaskState.READY))


def cases(db) -> int:
    return db.scalar(select(func.count(Case.id)))


def test_hr_records_a_request_and_it_waits_for_hr_with_its_deadline(db, web, staff):
    web.login(staff["hana"])
    assert f'href="{NEW}"' in web.text("/")
    response = web.submit(NEW, request_form(staff["ellie"]))
    assert response.status_code == 302
    case = db.scalar(select(Case).where(Case.kind == "subject_access_request"))
    assert response.location.endswith(f"/cases/{case.reference}")
    page = web.text(f"/cases/{case.reference}")
    assert "Ellie Jones" in page and "the end of 2026-04-02" in page and "Review the compiled data" in page


def test_a_request_from_someone_not_in_the_system_is_answered_nothing_held(db, web, staff):
    web.login(staff["hana"])
    response = web.submit(NEW, request_form(None, name="Pat Public", email="pat@example.org"), follow_redirects=True)
    assert "Nothing is held about Pat Public" in response.get_data(as_text=True)
    assert cases(db) == 0
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "subject_access_answered"))
    assert event.data["name"] == "Pat Public" and event.data["answer"] == "nothing_held"


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"received_on": "2026-03-03"},
         "The date received must be between Sunday 2 March 2025 and Monday 2 March 2026 (today)."),
        ({"received_on": "2024-01-01"},
         "The date received must be between Sunday 2 March 2025 and Monday 2 March 2026 (today)."),
        ({"received_on": ""}, "Give the date the request was received."),
        ({"received_on": "2026-02-31"}, "Not a valid date value."),
        ({"route": ""}, "Choose how the request was made."),
        ({"route": "pigeon"}, "Not a valid choice."),
    ],
)  # fmt: skip
def test_bad_request_input_is_shown_beside_its_field_and_nothing_is_recorded(db, web, staff, overrides, field_message):
    web.login(staff["hana"])
    response = web.submit(NEW, request_form(staff["ellie"], **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(page, field_message), page[:3000]
    assert cases(db) == 0


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"name": "", "email": "pat@example.org"}, "Choose the person, or give the name of someone not in the system."),
        ({"name": "Pat Public", "email": "not an address"}, "Give their email address, such as name@example.org."),
    ],
)
def test_someone_not_in_the_system_needs_a_name_and_an_email(db, web, staff, overrides, field_message):
    web.login(staff["hana"])
    response = web.submit(NEW, request_form(None, **overrides))
    page = response.get_data(as_text=True)
    assert field_error(page, field_message), page[:3000]
    assert f'value="{overrides["email"]}"' in page  # what was typed is kept
    assert db.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "subject_access_answered")) == 0


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"decision": "extend"}, "Say why the request needs longer"),
        ({"decision": "release", "exemptions": "legal_privilege"}, "Say how each exemption applies"),
        ({}, "Choose whether to release it or extend the deadline."),
    ],
)
def test_bad_review_input_is_shown_beside_its_field(ctx, db, web, staff, data, field_message):
    case = make_request(ctx, staff["hana"], staff["ellie"])
    web.login(staff["harriet"])
    url = f"/tasks/{review_task(db, case).id}"
    response = web.submit(url, {"extension_reason": "", "exemption_reasons": "", **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(page, field_message), page[:3000]
    assert review_task(db, case) is not None and case.status == "open"


def test_extending_with_a_reason_and_then_releasing(ctx, db, web, staff):
    case = make_request(ctx, staff["hana"], staff["ellie"])
    web.login(staff["harriet"])
    reason = "Records across many cases need checking."
    response = web.submit(f"/tasks/{review_task(db, case).id}", {"decision": "extend", "extension_reason": reason})
    assert response.status_code == 302
    page = web.text(f"/cases/{case.reference}")
    assert "the end of 2026-06-02" in page and reason in page
    response = web.submit(f"/tasks/{review_task(db, case).id}", {"decision": "release"})
    assert response.status_code == 302
    release = db.scalar(select(Evidence).where(Evidence.case_id == case.id))
    assert "Download the release" in web.text(f"/cases/{case.reference}")
    download = web.client.get(f"/cases/evidence/{release.id}")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    downloaded = db.scalar(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "evidence_downloaded")
    )
    assert downloaded.actor_id == staff["harriet"].id


def test_the_review_shows_the_redacted_compilation_and_the_key(ctx, db, web, staff):
    make_takedown(ctx, staff["mark"], staff["ellie"], reasons="Mark Taylor saw it first.")
    case = make_request(ctx, staff["hana"], staff["ellie"])
    web.login(staff["harriet"])
    page = web.text(f"/tasks/{review_task(db, case).id}")
    assert "Person A saw it first." in page and "Person A</strong>: Mark Taylor" in page
    compiled = db.scalar(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "subject_data_compiled")
    )
    assert compiled.actor_id == staff["harriet"].id


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"unredact": "Person Q"}, "Person Q is not in this compilation"),
        ({"redact_also": "x"}, "Give at most 50 words or phrases to redact"),
        ({"redact_also": "\n".join(f"word {n}" for n in range(51))}, "Give at most 50 words or phrases to redact"),
        ({"unredact": "P" * 2001}, "At most 2,000 characters: this has 2,001."),
    ],
)
def test_bad_redactions_are_shown_beside_their_field_and_typed_values_kept(ctx, db, web, staff, data, field_message):
    make_takedown(ctx, staff["mark"], staff["ellie"], reasons="Mark Taylor saw it first.")
    case = make_request(ctx, staff["hana"], staff["ellie"])
    web.login(staff["harriet"])
    url = f"/subject-access/{case.reference}/redactions"
    response = web.submit(url, {"unredact": "", "redact_also": "", **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(page, field_message), page[:3000]
    typed = next(iter(data.values()))
    assert typed.split("\n")[0][:30] in page
    assert db.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "redactions_adjusted")) == 0


def test_redactions_saved_show_in_the_preview(ctx, db, web, staff):
    make_takedown(ctx, staff["mark"], staff["ellie"], reasons="Mark Taylor saw it at the drop-in.")
    case = make_request(ctx, staff["hana"], staff["ellie"])
    web.login(staff["harriet"])
    url = f"/subject-access/{case.reference}/redactions"
    response = web.submit(url, {"unredact": "Person A", "redact_also": "drop-in"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Mark Taylor saw it at the [redacted]." in page


def test_a_released_request_s_redactions_cannot_change(ctx, db, web, staff):
    case = make_request(ctx, staff["hana"], staff["ellie"])
    complete(ctx, case, "UserTask_Review", staff["hana"], **releasing())
    web.login(staff["harriet"])
    page = web.text(f"/subject-access/{case.reference}/redactions")
    assert "Released: the redactions can no longer change." in page


def test_the_person_asking_sees_nothing_of_their_request_and_is_recorded(ctx, db, web, staff):
    case = make_request(ctx, staff["hana"], staff["ellie"])
    complete(ctx, case, "UserTask_Review", staff["hana"], **releasing())
    release = db.scalar(select(Evidence).where(Evidence.case_id == case.id))
    web.login(staff["ellie"])
    for url in (f"/cases/{case.reference}", f"/subject-access/{case.reference}/redactions",
                f"/cases/evidence/{release.id}", NEW):  # fmt: skip
        assert web.client.get(url).status_code == 403, url
    assert case.reference not in web.text("/cases/")
    denied = db.scalars(select(AuditEvent).where(AuditEvent.action == "access_denied")).all()
    assert len(denied) == 4 and all(e.actor_id == staff["ellie"].id for e in denied)


def test_a_manager_sees_nothing_of_it(ctx, db, web, staff):
    case = make_request(ctx, staff["hana"], staff["ellie"])
    web.login(staff["mark"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert web.client.get(f"/tasks/{review_task(db, case).id}").status_code == 403
    assert web.client.get(f"/subject-access/{case.reference}/redactions").status_code == 403
    assert f'href="{NEW}"' not in web.text("/")


def test_an_hr_officer_s_own_request_goes_to_the_other_hr_officers(ctx, db, web, staff):
    case = make_request(ctx, staff["harriet"], staff["hana"])
    web.login(staff["hana"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert web.client.get(f"/tasks/{review_task(db, case).id}").status_code == 403
    assert case.reference not in web.text("/cases/") and "Review the compiled data" not in web.text("/")
    web.logout()
    web.login(staff["harriet"])
    assert web.client.get(f"/tasks/{review_task(db, case).id}").status_code == 200
    assert "Review the compiled data" in web.text("/")

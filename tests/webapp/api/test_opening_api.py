"""Opening a takedown request or a breach case through /api/v1: the same
right to open it as the pages, the same checks (all faults named at once, in
the API's field names), the notice sent, every refusal audited."""

from __future__ import annotations

import base64
import json

from sqlalchemy import select

from models import AuditEvent, Case, Evidence, OutboxMessage, Role
from tests.factories import make_hr, make_manager, make_user
from workflows.demo import DEMO_PNG

from .tokens import bearer

SCREENSHOT = {"filename": "post.png", "content_base64": base64.b64encode(DEMO_PNG).decode()}


def _takedown(subject, **overrides) -> dict:
    return {
        "subject_email": subject.email,
        "platform": "Instagram",
        "urls": ["https://instagram.com/p/abc"],
        "clauses": ["SMP-5.6"],
        "reasons": "A story mocking a service user at the drop-in.",
        "deadline_hours": 48,
        "evidence": SCREENSHOT,
        **overrides,
    }


def test_a_manager_sends_a_takedown_request_and_the_person_gets_the_notice(client, db):
    manager, subject = make_manager(db), make_user(db, "Ellie Jones")
    response = client.post("/api/v1/takedowns", json=_takedown(subject), headers=bearer(db, manager))
    assert response.status_code == 201, response.json
    case = db.scalar(select(Case).where(Case.reference == response.json["reference"]))
    assert (case.kind, case.subject_id, case.opened_by_id, response.json["your_roles"]) == (
        "takedown_request",
        subject.id,
        manager.id,
        ["Requester"],
    )
    (evidence,) = db.scalars(select(Evidence).where(Evidence.case_id == case.id))
    assert (evidence.filename, evidence.shared_with_subject) == ("post.png", True)
    mail = db.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id)).all()
    assert [m.to_email for m in mail] == [subject.email]


def test_every_fault_is_named_at_once_in_the_apis_words_and_nothing_opens(client, db):
    manager, subject = make_manager(db), make_user(db, "Ellie Jones")
    headers = bearer(db, manager)
    wrong = _takedown(
        subject, platform="MySpace", urls=["ftp://x"], clauses=["SMP-6"], reasons="short", deadline_hours=1000
    )
    response = client.post("/api/v1/takedowns", json=wrong, headers=headers)
    assert response.status_code == 400
    assert set(response.json["fields"]) == {"platform", "urls", "clauses", "reasons", "deadline_hours"}
    cases = [
        (_takedown(manager), "subject_email", "yourself"),
        (_takedown(subject, subject_email="nobody@bcwhub.org.uk"), "subject_email", "Nobody has"),
        (_takedown(subject, evidence={**SCREENSHOT, "content_base64": "%%%"}), "evidence", "base64"),
        (_takedown(subject, evidence={"filename": "post.png", "content_base64": "aGVsbG8="}), "evidence", ""),
        (_takedown(subject, evidence={**SCREENSHOT, "captured_at": "1900-01-01T00:00:00Z"}), "evidence", "between"),
        ({k: v for k, v in _takedown(subject).items() if k != "evidence"}, "evidence", ""),
        (_takedown(subject, reasons="A story\u0000 mocking"), "reasons", "NUL"),
        (_takedown(subject, colour="red"), "colour", ""),
    ]
    for body, field, words in cases:
        answer = client.post("/api/v1/takedowns", json=body, headers=headers)
        assert answer.status_code == 400 and field in answer.json["fields"], (body, answer.json)
        assert words in " ".join(answer.json["fields"][field]), answer.json
    assert db.scalar(select(Case.id).where(Case.kind == "takedown_request")) is None


def test_only_those_who_may_open_it_on_the_page_may_open_it_here_and_refusals_are_audited(client, db):
    employee, subject, hr = make_user(db, "Eve Employee"), make_user(db, "Ellie Jones"), make_hr(db)
    response = client.post("/api/v1/takedowns", json=_takedown(subject), headers=bearer(db, employee))
    assert response.status_code == 403 and response.json["code"] == "forbidden"
    denied = db.scalars(select(AuditEvent).where(AuditEvent.action == "access_denied")).all()
    assert [e.data["attempted"] for e in denied] == [
        "opened a takedown request through the API without the role for it"
    ]
    reading = bearer(db, make_manager(db, "Mo Manager"), scopes=("read",))
    assert client.post("/api/v1/takedowns", json=_takedown(subject), headers=reading).status_code == 403
    breach = {
        "subject_email": subject.email,
        "source": "manager_report",
        "clauses": ["SMP-5.5"],
        "description": "Posted a photo of a service user without consent.",
    }
    assert client.post("/api/v1/breaches", json=breach, headers=bearer(db, make_manager(db, "Max"))).status_code == 403
    assert client.post("/api/v1/breaches", json=breach, headers=bearer(db, hr)).status_code == 201
    assert db.scalar(select(Case.id).where(Case.kind == "takedown_request")) is None


def test_hr_opens_a_breach_case_with_a_reporter_and_evidence(client, db):
    hr, subject, reporter = make_hr(db), make_user(db, "Ellie Jones"), make_manager(db, "Mo Manager")
    body = {
        "subject_email": subject.email,
        "source": "manager_report",
        "clauses": ["SMP-5.5"],
        "description": "Posted a photo of a service user without consent.",
        "reported_by_email": reporter.email,
        "evidence": SCREENSHOT,
    }
    response = client.post("/api/v1/breaches", json=body, headers=bearer(db, hr))
    assert response.status_code == 201, response.json
    case = db.scalar(select(Case).where(Case.reference == response.json["reference"]))
    assert {p.role: p.user_id for p in case.parties} == {"HR": hr.id, "Subject": subject.id, "Reporter": reporter.id}
    assert [e.filename for e in db.scalars(select(Evidence).where(Evidence.case_id == case.id))] == ["post.png"]
    wrong = {**body, "source": "rumour", "clauses": ["SMP-1"], "description": " ", "subject_email": hr.email}
    answer = client.post("/api/v1/breaches", json=wrong, headers=bearer(db, hr))
    assert answer.status_code == 400
    assert set(answer.json["fields"]) == {"source", "clauses", "description", "subject_email"}


def test_bodies_the_new_endpoints_cannot_take_are_400s_naming_the_field(client, db):
    staff = make_user(db, "Ada Admin", roles=(Role.ADMIN, Role.MANAGER, Role.HR))
    headers, subject = bearer(db, staff, scopes=("tasks", "people")), make_user(db, "Ellie Jones")
    for url in ("/api/v1/takedowns", "/api/v1/breaches", "/api/v1/people"):
        broken = client.post(url, data="{not json", content_type="application/json", headers=headers)
        assert broken.status_code == 400 and "json" in broken.json["fields"], url
        assert client.post(url, json=[1], headers=headers).json["fields"].keys() == {"json"}, url
    huge = client.post("/api/v1/people", json={"email": "a@b.uk", "name": "x" * 600_000}, headers=headers)
    assert huge.status_code == 400 and "json" in huge.json["fields"]
    endless = _takedown(subject, deadline_hours=1e400)  # JSON's 1e400 reads as infinity
    answer = client.post(
        "/api/v1/takedowns",
        data=json.dumps(endless).replace("Infinity", "1e400"),
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 400 and "deadline_hours" in answer.json["fields"], answer.json
    nul = client.post("/api/v1/people", json={"email": "a@b.uk", "name": "Sam\x00"}, headers=headers)
    assert nul.status_code == 400 and "name" in nul.json["fields"]
    assert client.post("/api/v1/takedowns", json=_takedown(subject, urls="https://x.uk"), headers=headers).json[
        "fields"
    ].keys() == {"urls"}

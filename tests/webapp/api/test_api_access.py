"""/api/v1 has exactly its token's person's rights: who may, who must not,
and every use and refusal audited with the token's id."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import AuditEvent
from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import ready_task
from workflows.engine import clock, people
from workflows.engine.audit import Actor

from .tokens import bearer


def _takedown(ctx, db):
    requester, subject = make_manager(db, "Mo Manager"), make_user(db, "Ellie Jones")
    case = make_takedown(ctx, requester, subject)
    return case, requester, subject, ready_task(db, case, "UserTask_Respond")


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_without_a_usable_token_every_route_is_a_json_401(client, db):
    person = make_user(db, "Ellie Jones")
    expired = bearer(db, person, days=1)
    revoked_headers = bearer(db, person)
    from workflows.engine import tokens

    tokens.revoke(db, person, tokens.mine(db, person)[0].id)
    clock.advance(timedelta(days=2))
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}, expired, revoked_headers):
        response = client.get("/api/v1/tasks", headers=headers)
        assert response.status_code == 401, headers
        assert response.json["code"] == "unauthenticated" and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "expired" in client.get("/api/v1/tasks", headers=expired).json["message"]
    assert "revoked" in client.get("/api/v1/tasks", headers=revoked_headers).json["message"]


def test_a_deactivated_persons_token_stops_working(client, db):
    person = make_user(db, "Ellie Jones")
    headers = bearer(db, person)
    assert client.get("/api/v1/tasks", headers=headers).status_code == 200
    people.deactivate(db, person, Actor.person(make_hr(db)))
    assert client.get("/api/v1/tasks", headers=headers).status_code == 401


def test_my_tasks_lists_only_the_tokens_persons_steps(client, ctx, db):
    case, _requester, subject, task = _takedown(ctx, db)
    listed = client.get("/api/v1/tasks", headers=bearer(db, subject)).json
    assert [(t["id"], t["case"], t["waiting_on"]) for t in listed] == [(task.id, case.reference, "you")]
    assert client.get("/api/v1/tasks", headers=bearer(db, make_user(db, "Outsider"))).json == []


def test_a_task_gives_its_contract_to_its_person_and_refuses_anyone_else(client, ctx, db):
    case, _requester, subject, task = _takedown(ctx, db)
    mine = client.get(f"/api/v1/tasks/{task.id}", headers=bearer(db, subject))
    assert mine.status_code == 200
    assert set(mine.json["contract"]["properties"]) == {"response", "confirmation", "dispute_grounds"}
    assert "removed" in mine.json["answers"]["response"]
    outsider = make_user(db, "Outsider")
    refused = client.get(f"/api/v1/tasks/{task.id}", headers=bearer(db, outsider))
    assert refused.status_code == 403 and refused.json["code"] == "forbidden"
    denied = _events(db, "access_denied")[-1]
    assert denied.actor_id == outsider.id and denied.case_id == case.id
    assert client.get("/api/v1/tasks/999999", headers=bearer(db, subject)).status_code == 404


def test_completing_a_task_takes_the_same_check_and_says_who_did_it_first(client, ctx, db):
    case, _requester, subject, task = _takedown(ctx, db)
    headers = bearer(db, subject)
    refused = client.post(f"/api/v1/tasks/{task.id}", json={"response": "dispute"}, headers=headers)
    assert refused.status_code == 400 and refused.json["fields"] == {"dispute_grounds": ["Tell us your reasons."]}
    unknown = client.post(f"/api/v1/tasks/{task.id}", json={"response": "removed", "colour": "red"}, headers=headers)
    assert unknown.status_code == 400 and "colour" in unknown.json["fields"]
    done = client.post(f"/api/v1/tasks/{task.id}", json={"response": "removed"}, headers=headers)
    assert done.status_code == 200 and done.json["reference"] == case.reference
    again = client.post(f"/api/v1/tasks/{task.id}", json={"response": "removed"}, headers=headers)
    assert again.status_code == 409 and "already completed by Ellie Jones" in again.json["message"]


def test_a_read_only_token_cannot_act_and_the_refusal_is_audited_with_its_id(client, ctx, db):
    case, _requester, subject, task = _takedown(ctx, db)
    headers = bearer(db, subject, scopes=("read",))
    response = client.post(f"/api/v1/tasks/{task.id}", json={"response": "removed"}, headers=headers)
    assert response.status_code == 403 and "“tasks” scope" in response.json["message"]
    from workflows.engine import tokens

    token_id = tokens.mine(db, subject)[0].id
    assert f"API token #{token_id} without the tasks scope" in _events(db, "access_denied")[-1].data["attempted"]
    used = _events(db, "api_token_used")[-1]
    assert used.data == {"token_id": token_id, "method": "POST", "path": f"/api/v1/tasks/{task.id}", "status": 403}
    assert ready_task(db, case, "UserTask_Respond").id == task.id  # nothing was done


def test_every_use_is_audited_with_the_tokens_id_and_answer(client, ctx, db):
    _case, _requester, subject, task = _takedown(ctx, db)
    headers = bearer(db, subject)
    client.get("/api/v1/tasks", headers=headers)
    client.post(f"/api/v1/tasks/{task.id}", json={"response": "dispute"}, headers=headers)
    uses = [(e.data["method"], e.data["status"], e.actor_id) for e in _events(db, "api_token_used")]
    assert uses == [("GET", 200, subject.id), ("POST", 400, subject.id)]


def test_a_case_shows_each_reader_what_the_page_would(client, ctx, db):
    case, _requester, subject, task = _takedown(ctx, db)
    hr = make_hr(db)
    as_hr = client.get(f"/api/v1/cases/{case.reference}", headers=bearer(db, hr)).json
    assert as_hr["subject"] == "Ellie Jones" and [s["task_id"] for s in as_hr["waiting"]] == [None]
    as_subject = client.get(f"/api/v1/cases/{case.reference}", headers=bearer(db, subject)).json
    assert as_subject["your_roles"] == ["Subject"] and [s["task_id"] for s in as_subject["waiting"]] == [task.id]
    outsider = make_user(db, "Outsider")
    refused = client.get(f"/api/v1/cases/{case.reference}", headers=bearer(db, outsider))
    assert refused.status_code == 403 and _events(db, "access_denied")[-1].actor_id == outsider.id
    assert client.get("/api/v1/cases/TD-2026-9999", headers=bearer(db, hr)).status_code == 404
    assert [e.actor_id for e in _events(db, "case_viewed")] == [hr.id, subject.id]


def test_bodies_it_cannot_take_are_400s_naming_the_field(client, ctx, db):
    case, _requester, subject, task = _takedown(ctx, db)
    headers = bearer(db, subject)
    url = f"/api/v1/tasks/{task.id}"
    broken = client.post(url, data="{not json", content_type="application/json", headers=headers)
    assert broken.status_code == 400 and "json" in broken.json["fields"]
    assert client.post(url, json=["removed"], headers=headers).status_code == 400
    assert client.post(url, data="response=removed", headers=headers).json["fields"].keys() == {"json"}
    nul = client.post(url, json={"response": "removed", "confirmation": "a\x00b"}, headers=headers)
    assert nul.status_code == 400 and "confirmation" in nul.json["fields"]
    huge = client.post(url, json={"response": "removed", "confirmation": "x" * 600_000}, headers=headers)
    assert huge.status_code == 400 and "json" in huge.json["fields"]
    wrong_type = client.post(url, json={"response": 12}, headers=headers)
    assert wrong_type.status_code == 400 and "response" in wrong_type.json["fields"]
    assert ready_task(db, case, "UserTask_Respond").id == task.id


def test_the_clauses_say_which_can_be_breached(client, db):
    listed = client.get("/api/v1/clauses", headers=bearer(db, make_user(db, "Ellie Jones"))).json
    by_id = {c["id"]: c for c in listed}
    assert by_id["SMP-5.8"]["breachable"] and by_id["SMP-5.8"]["kind"] == "rule"
    assert not by_id["SMP-5.12"]["breachable"] and by_id["SMP-5.12"]["kind"] == "duty"


def test_the_document_and_its_page_are_served_without_a_cdn(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.") and "/api/v1/tasks/{task_id}" in document["paths"]
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "https://" not in page

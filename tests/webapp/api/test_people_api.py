"""/api/v1/people: an HR system keeps the directory in sync through an
admin's (or a service account's) token with the "people" scope. Who may, who
must not, every change audited with what it was, and deactivation keeping
a person's cases whole."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, Case, OutboxMessage, Role
from tests.factories import make_hr, make_manager, make_takedown, make_user
from workflows.engine import directory, people, tokens
from workflows.engine.errors import Forbidden, InvalidInput

from .tokens import bearer

ALL = ("read", "tasks", "people")


def _admin(db):
    return make_user(db, "Ada Admin", roles=(Role.ADMIN,))


def _last(db, action: str) -> AuditEvent:
    return db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())).first()


def test_an_admin_adds_a_person_with_a_line_manager_and_finds_them_by_email(client, db):
    manager = make_manager(db, "Mo Manager")
    headers = bearer(db, _admin(db), scopes=ALL)
    sent = {
        "email": " Sam.Lee@BCWhub.org.uk ",
        "name": "Sam Lee",
        "person_type": "volunteer",
        "job_title": "Drop-in volunteer",
        "line_manager_email": manager.email,
    }
    response = client.post("/api/v1/people", json=sent, headers=headers)
    assert response.status_code == 201, response.json
    made = response.json
    assert (made["email"], made["line_manager_email"], made["person_type"], made["active"]) == (
        "sam.lee@bcwhub.org.uk",
        manager.email,
        "volunteer",
        True,
    )
    found = client.get("/api/v1/people", query_string={"email": "SAM.LEE@bcwhub.org.uk"}, headers=headers).json
    assert [p["id"] for p in found] == [made["id"]]
    assert _last(db, "user_created").data["user_id"] == made["id"]
    # Made without a password anyone knows: they are emailed a link to choose one.
    assert people.authenticate(db, "sam.lee@bcwhub.org.uk", "") is None
    assert _mail_to(db, "sam.lee@bcwhub.org.uk") == ["invitation"]
    quiet = client.post(
        "/api/v1/people", json={"email": "kit@bcwhub.org.uk", "name": "Kit", "invite": False}, headers=headers
    )
    assert quiet.status_code == 201 and _mail_to(db, "kit@bcwhub.org.uk") == []
    assert client.post(f"/api/v1/people/{quiet.json['id']}/invite", headers=headers).status_code == 200
    assert _mail_to(db, "kit@bcwhub.org.uk") == ["invitation"]


def _mail_to(db, email: str) -> list[str]:
    return list(db.scalars(select(OutboxMessage.template).where(OutboxMessage.to_email == email)))


def test_a_change_touches_only_the_fields_sent_and_is_audited_with_what_it_was(client, db):
    old, new = make_manager(db, "Old Manager"), make_manager(db, "New Manager")
    person = make_user(db, "Sam Lee", line_manager=old)
    headers, title_before = bearer(db, _admin(db), scopes=ALL), person.job_title
    response = client.patch(
        f"/api/v1/people/{person.id}",
        json={"line_manager_email": new.email, "job_title": "Coordinator"},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    assert (response.json["line_manager_email"], response.json["job_title"], response.json["name"]) == (
        new.email,
        "Coordinator",
        "Sam Lee",
    )
    event = _last(db, "user_updated")
    assert event.data["before"] == {"line_manager": old.email, "job_title": title_before}
    assert event.data["after"] == {"line_manager": new.email, "job_title": "Coordinator"}
    assert (
        client.patch(f"/api/v1/people/{person.id}", json={"job_title": "Coordinator"}, headers=headers).status_code
        == 200
    )
    assert _last(db, "user_updated").id == event.id  # no change, no event


def test_every_fault_of_a_change_is_named_at_once_and_nothing_is_kept(client, db):
    boss = make_manager(db, "Mo Manager")
    report = make_user(db, "Sam Lee", line_manager=boss)
    taken = make_user(db, "Taken Name")
    headers = bearer(db, _admin(db), scopes=ALL)
    response = client.patch(
        f"/api/v1/people/{boss.id}",
        json={
            "email": taken.email.upper(),
            "person_type": "contractor",
            "roles": ["boss"],
            "name": "  ",
            "line_manager_email": report.email,
        },
        headers=headers,
    )
    assert response.status_code == 400
    assert set(response.json["fields"]) == {"email", "person_type", "roles", "name", "line_manager_email"}
    assert "in Mo Manager's line" in response.json["fields"]["line_manager_email"][0]
    db.refresh(boss)
    assert (boss.name, boss.line_manager_id) == ("Mo Manager", None)
    for body, field in (({"emial": "x@y.uk"}, "emial"), ({"roles": "hr"}, "roles"), ({"name": 5}, "name")):
        answer = client.patch(f"/api/v1/people/{boss.id}", json=body, headers=headers)
        assert answer.status_code == 400 and field in answer.json["fields"], answer.json
    added = client.post("/api/v1/people", json={"name": "No Email"}, headers=headers)
    assert added.status_code == 400 and "email" in added.json["fields"]


def test_deactivating_stops_sign_in_and_tokens_but_keeps_the_persons_cases(client, ctx, db):
    requester, subject = make_manager(db, "Mo Manager"), make_user(db, "Ellie Jones")
    case = make_takedown(ctx, requester, subject)
    their_token = bearer(db, subject)
    headers = bearer(db, _admin(db), scopes=ALL)
    response = client.post(f"/api/v1/people/{subject.id}/deactivate", headers=headers)
    assert response.status_code == 200 and response.json["active"] is False
    assert client.get("/api/v1/tasks", headers=their_token).status_code == 401
    assert db.get(Case, case.id).subject_id == subject.id  # nothing deleted
    seen = client.get(f"/api/v1/cases/{case.reference}", headers=bearer(db, requester)).json
    assert seen["subject"] == "Ellie Jones"
    assert client.get(f"/api/v1/people/{subject.id}", headers=headers).json["active"] is False
    assert client.post("/api/v1/people/999999/deactivate", headers=headers).status_code == 404


def test_nobody_but_an_admin_changes_the_directory_and_each_refusal_is_audited(client, db):
    hr, admin = make_hr(db), _admin(db)
    person = make_user(db, "Sam Lee")
    # A person who is not an admin cannot make a token that manages people at all.
    with pytest.raises(InvalidInput, match="Only an admin"):
        bearer(db, hr, scopes=ALL)
    # An admin's token without the scope is refused, and so is a token whose admin role was taken away.
    reading = bearer(db, admin, scopes=("read",))
    assert client.get("/api/v1/people", headers=reading).status_code == 403
    assert "people" in _last(db, "access_denied").data["attempted"]
    managing = bearer(db, admin, scopes=ALL)
    admin.role_rows.clear()
    db.flush()
    response = client.patch(f"/api/v1/people/{person.id}", json={"name": "Changed"}, headers=managing)
    assert response.status_code == 403 and response.json["code"] == "forbidden"
    assert _last(db, "access_denied").data["attempted"] == f"read person #{person.id} in the directory"
    db.refresh(person)
    assert person.name == "Sam Lee"


def test_an_admin_makes_a_service_account_that_syncs_but_never_signs_in_or_appears_on_a_case(client, db):
    admin = _admin(db)
    account = directory.add_service_account(db, admin, "HR system sync")
    made = tokens.create(db, account, name="sync", scopes=["people"], expires_on=_soon(), made_by=admin)
    headers = {"Authorization": f"Bearer {made.secret}"}
    assert (
        client.post(
            "/api/v1/people", json={"email": "new@bcwhub.org.uk", "name": "New Person"}, headers=headers
        ).status_code
        == 201
    )
    assert _last(db, "user_created").actor_label == "HR system sync"
    assert account not in people.active_people(db)
    assert account.id not in [p["id"] for p in client.get("/api/v1/people", headers=headers).json]
    assert people.authenticate(db, account.email, "anything") is None
    # An admin revokes it; nobody else makes or revokes a service account's token.
    hr = make_hr(db)
    with pytest.raises(Forbidden):
        tokens.create(db, account, name="mine", scopes=["read"], expires_on=_soon(), made_by=hr)
    tokens.revoke(db, admin, made.row.id)
    assert client.get("/api/v1/people", headers=headers).status_code == 401


def _soon():
    from datetime import timedelta

    from workflows.engine import clock

    return clock.now().date() + timedelta(days=30)

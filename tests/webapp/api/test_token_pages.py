"""The API tokens page: a token's secret is shown once and kept only as a
hash; a refused form keeps what was typed; only its person revokes it."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import ApiToken, AuditEvent
from tests.factories import make_user
from workflows.engine import tokens

SECRET = re.compile(r'id="new-token">(bcw_[^<]+)<')


def _make(web, **fields):
    data = {"name": "HR system sync", "scopes": ["read"], "expires_on": "2027-01-31", **fields}
    return web.submit("/account/tokens/", data)


def test_a_token_is_shown_once_and_kept_only_as_its_hash(web, client, db):
    person = make_user(db, "Ellie Jones")
    web.login(person)
    made = _make(web, scopes=["read", "tasks"])
    secret = SECRET.search(made.get_data(as_text=True)).group(1)
    row = db.scalar(select(ApiToken))
    assert row.secret_sha256 == tokens.digest(secret) and secret not in repr(row.__dict__)
    assert row.scopes == "read tasks" and row.user_id == person.id
    later = web.text("/account/tokens/")
    assert "HR system sync" in later and secret not in later
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    created = db.scalar(select(AuditEvent).where(AuditEvent.action == "api_token_created"))
    assert created.data["token_id"] == row.id and created.chain == f"signin-{person.id}"


def test_a_refused_token_form_says_why_beside_each_field_and_keeps_what_was_typed(web, db):
    web.login(make_user(db, "Ellie Jones"))
    page = _make(web, name="", scopes=[], expires_on="2030-01-01").get_data(as_text=True)
    assert "Give the token a name that says what uses it." in page
    assert "Choose at least one." in page
    assert db.scalar(select(ApiToken)) is None
    late = _make(web, expires_on="2030-01-01").get_data(as_text=True)
    assert "no later than" in late and 'value="HR system sync"' in late and 'value="2030-01-01"' in late
    past = _make(web, expires_on="2020-01-01").get_data(as_text=True)
    assert "Choose an expiry after today" in past and "bcw_" not in past


def test_only_its_person_can_revoke_a_token(web, client, db):
    owner, other = make_user(db, "Ellie Jones"), make_user(db, "Sam Other")
    web.login(owner)
    secret = SECRET.search(_make(web).get_data(as_text=True)).group(1)
    row = db.scalar(select(ApiToken))
    web.logout()
    web.login(other)
    refused = web.submit(f"/account/tokens/{row.id}/revoke", {}, form_page="/account/tokens/")
    assert refused.status_code == 403 and row.revoked_at is None
    denied = db.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied"))
    assert denied.actor_id == other.id and f"#{row.id}" in denied.data["attempted"]
    web.logout()
    web.login(owner)
    web.submit(f"/account/tokens/{row.id}/revoke", {}, form_page="/account/tokens/")
    assert "Revoked" in web.text("/account/tokens/")
    assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_an_admin_adds_a_service_account_and_makes_its_people_token_and_nobody_else_may(web, client, db):
    from models import Role, User

    admin = make_user(db, "Ada Admin", roles=(Role.ADMIN,))
    web.login(admin)
    assert "Service accounts" in web.text("/")
    web.submit("/account/tokens/service-accounts/", {"name": "HR system sync"})
    account = db.scalar(select(User).where(User.service_account.is_(True)))
    assert account.name == "HR system sync" and account.roles == {"admin"}
    page = web.submit(
        f"/account/tokens/service-accounts/{account.id}",
        {"name": "sync", "scopes": ["people"], "expires_on": "2026-06-01"},
    ).get_data(as_text=True)
    secret = SECRET.search(page).group(1)
    row = db.scalar(select(ApiToken).where(ApiToken.user_id == account.id))
    assert (row.created_by_id, row.scopes) == (admin.id, "people")
    assert client.get("/api/v1/people", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    page = f"/account/tokens/service-accounts/{account.id}"
    revoked = web.submit(f"/account/tokens/{row.id}/revoke", {}, form_page=page)
    assert revoked.headers["Location"].endswith(page)
    db.refresh(row)
    assert row.revoked_at is not None
    # Someone without the admin role sees neither page, and each refusal is recorded.
    web.logout()
    web.login(make_user(db, "Hana HR", roles=(Role.HR,)))
    assert "Service accounts" not in web.text("/")
    assert client.get("/account/tokens/service-accounts/").status_code == 403
    assert client.get(f"/account/tokens/service-accounts/{account.id}").status_code == 403
    denied = db.scalars(select(AuditEvent).where(AuditEvent.action == "access_denied")).all()
    assert [e.data["attempted"] for e in denied] == [
        "listed the service accounts",
        f"opened service account #{account.id}",
    ]
    # Their own token page does not offer "people", and takes no token with it.
    assert 'value="people"' not in web.text("/account/tokens/")
    assert "not a valid choice" in _make(web, scopes=["people"]).get_data(as_text=True)
    assert (
        db.scalar(select(ApiToken.id).where(ApiToken.scopes.contains("people"), ApiToken.user_id != account.id)) is None
    )

"""Failed sign-ins are limited per account and per address: past the limit
even the right password gets a clear 429 page, audited; people who sign in
right are never counted; and failures for different accounts never queue on
one audit chain's row lock."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from models import AuditEvent
from workflows.engine import audit, people

from ..factories import PASSWORD, make_manager, make_user
from .browserless import Web


def sign_in(web: Web, email: str, password: str, address: str = "192.0.2.10"):
    token = web.token("/login")
    return web.client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_ten_wrong_passwords_then_even_the_right_one_is_refused_with_a_429(db, web):
    user = make_manager(db)
    for _ in range(10):
        assert sign_in(web, user.email, "wrong").status_code == 200
    refused = sign_in(web, user.email, PASSWORD)
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Too many failed sign-ins" in html and "Wait 15 minutes" in html
    assert 800 < int(refused.headers["Retry-After"]) <= 901
    assert web.client.get("/").status_code == 302  # not signed in
    throttled = db.scalars(select(AuditEvent).where(AuditEvent.action == "login_throttled")).all()
    assert len(throttled) == 1
    assert throttled[0].chain == f"signin-{user.id}" and throttled[0].data["email"] == user.email
    assert throttled[0].data["limit"].startswith("per account")


def test_the_limit_is_per_account_and_counts_only_failures(db, web):
    user, other = make_manager(db), make_user(db)
    for _ in range(12):  # signing in right, again and again, never counts
        assert sign_in(web, other.email, PASSWORD).status_code == 302
        web.logout()
    for _ in range(10):
        sign_in(web, user.email, "wrong")
    assert sign_in(web, user.email, PASSWORD).status_code == 429
    assert sign_in(web, other.email, PASSWORD).status_code == 302  # another account, the same address


def test_an_email_that_names_no_account_is_limited_the_same_way(db, web):
    for _ in range(10):
        sign_in(web, "nobody@bcwhub.test", "guess")
    refused = sign_in(web, "Nobody@bcwhub.test ", "guess")
    assert refused.status_code == 429
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "login_throttled"))
    assert event.chain.startswith("signin-unknown-")


def test_the_limit_per_address_stops_guessing_across_accounts(app, db, web):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    targets = [make_user(db) for _ in range(4)]
    for user in targets[:3]:
        assert sign_in(web, user.email, "wrong", address="198.51.100.7").status_code == 200
    refused = sign_in(web, targets[3].email, PASSWORD, address="198.51.100.7")
    assert refused.status_code == 429
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "login_throttled"))
    assert event.data["limit"].startswith("per address") and event.data["source"] == "198.51.100.7"
    assert sign_in(web, targets[3].email, PASSWORD, address="198.51.100.8").status_code == 302


def test_sign_in_events_go_on_each_account_s_chain_and_the_trail_verifies(db, web):
    first, second = make_manager(db), make_user(db)
    sign_in(web, first.email, "wrong")
    sign_in(web, second.email, "wrong")
    sign_in(web, "nobody@bcwhub.test", "wrong")
    assert sign_in(web, first.email, PASSWORD).status_code == 302
    web.logout()
    chains = {(e.action, e.chain) for e in db.scalars(select(AuditEvent).where(AuditEvent.action.like("log%")))}
    assert ("login_failed", f"signin-{first.id}") in chains
    assert ("login_failed", f"signin-{second.id}") in chains
    assert ("login_succeeded", f"signin-{first.id}") in chains
    assert ("logout_succeeded", f"signin-{first.id}") in chains
    assert not any(chain == "system" for _action, chain in chains)
    assert audit.verify(db)[1] == []


def _emails_on_two_chains() -> tuple[str, str]:
    emails = [f"guess{n}@bcwhub.test" for n in range(40)]
    first = emails[0]
    second = next(e for e in emails if audit.signin_chain(None, e) != audit.signin_chain(None, first))
    return first, second


def test_failures_for_different_accounts_never_wait_for_each_other(engine):
    """Two sign-ins fail at once: the second must not queue behind the first's
    (uncommitted) audit row, as every failure did on the one system chain."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one lock for the whole database")
    first_email, second_email = _emails_on_two_chains()
    with Session(engine) as first, Session(engine) as second:
        people.authenticate(first, first_email, "wrong", "192.0.2.1")  # holds its chain's row lock
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        people.authenticate(second, second_email, "wrong", "192.0.2.2")  # would time out on one shared row
        assert {e.chain for e in second.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed"))} == {
            audit.signin_chain(None, second_email)
        }
        second.rollback()
        first.rollback()

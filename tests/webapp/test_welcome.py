"""A person the HR system adds chooses their first password through an
emailed one-time link: it works once, for a week, and a newer link replaces
it; a refused password keeps the page and says why."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, OutboxMessage, Role
from tests.factories import make_user
from workflows.engine import clock, directory, invitations, people
from workflows.engine.audit import Actor
from workflows.engine.errors import InvalidInput

LINK = re.compile(r"/account/welcome/(\S+)")


def _added(db, email="sam.lee@bcwhub.org.uk"):
    admin = make_user(db, "Ada Admin", roles=(Role.ADMIN,))
    person = directory.add(db, admin, {"email": email, "name": "Sam Lee"}, invite_from="https://casework.example")
    (mail,) = db.scalars(select(OutboxMessage).where(OutboxMessage.to_email == email))
    return admin, person, mail


def test_the_emailed_link_sets_a_password_once_and_then_they_sign_in(web, client, db):
    _admin, person, mail = _added(db)
    assert mail.case_id is None and "https://casework.example/account/welcome/" in mail.body
    url = "/account/welcome/" + LINK.search(mail.body).group(1)
    assert "Welcome, Sam Lee" in web.text(url)
    refused = web.submit(url, {"password": "short", "again": "short"}).get_data(as_text=True)
    assert "at least 12 characters" in refused
    differs = web.submit(url, {"password": "river otter lantern", "again": "river otter lanter"})
    assert "The two passwords differ" in differs.get_data(as_text=True)
    done = web.submit(url, {"password": "river otter lantern", "again": "river otter lantern"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    db.expire_all()  # the request saved through its own session
    assert people.authenticate(db, person.email, "river otter lantern") == person
    assert client.get(url).status_code == 404  # once only
    actions = [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.chain == f"signin-{person.id}"))]
    assert actions[:2] == ["invitation_sent", "password_changed"]


def test_a_link_expires_after_a_week_and_a_newer_one_replaces_it(client, db):
    admin, person, mail = _added(db)
    first = LINK.search(mail.body).group(1)
    directory.send_invitation(db, admin, person.id, "https://casework.example")
    assert client.get(f"/account/welcome/{first}").status_code == 404
    newer = db.scalars(select(OutboxMessage).where(OutboxMessage.to_email == person.email).order_by(OutboxMessage.id))
    second = LINK.search(newer.all()[-1].body).group(1)
    assert client.get(f"/account/welcome/{second}").status_code == 200
    clock.advance(invitations.LASTS + timedelta(minutes=1))
    page = client.get(f"/account/welcome/{second}")
    assert page.status_code == 404 and "Ask HR for a new one" in page.get_data(as_text=True)


def test_no_link_for_a_deactivated_person_or_a_program(db):
    admin, person, _mail = _added(db)
    directory.deactivate(db, admin, person.id)
    account = directory.add_service_account(db, admin, "HR system sync")
    for who in (person, account):
        with pytest.raises(InvalidInput, match="cannot sign in"):
            invitations.invite(db, who, Actor.person(admin), "https://casework.example")


def test_the_link_goes_out_over_smtp_once(db):
    from tests.mailserver import MailServer
    from workflows.engine.outbox import MailSettings, send_pending

    _admin, person, _mail = _added(db)
    with MailServer() as server:
        assert send_pending(db, MailSettings(host="127.0.0.1", port=server.port)) == 1
        assert send_pending(db, MailSettings(host="127.0.0.1", port=server.port)) == 0
    [message] = server.inbox.messages
    assert message["To"] == f"Sam Lee <{person.email}>" and "Set your password" in message["Subject"]
    assert "https://casework.example/account/welcome/" in message.get_payload(decode=True).decode()

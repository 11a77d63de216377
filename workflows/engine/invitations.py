"""A person the HR system adds has no password anyone knows: they are
emailed a one-time link to choose one. Only the link's SHA-256 is kept; it
works once, for a week; a newer link replaces older ones. Sending and using
it are audited on the person's own sign-in chain."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import OutboxMessage, PasswordSetup, User

from . import audit, clock, people, texts
from .audit import Actor
from .errors import InvalidInput, NotFound
from .outbox import format_london
from .tokens import digest

LASTS = timedelta(days=7)
SHORTEST_PASSWORD = 12
NOTICES = Path(__file__).parent / "notices"
PATH = "/account/welcome/"


def invite(db: Session, person: User, by: Actor, base_url: str) -> PasswordSetup:
    """Email `person` a fresh link (any earlier one stops working)."""
    if person.service_account or not person.active:
        raise InvalidInput(f"{person.name} cannot sign in, so is not sent a link.", "person")
    now = clock.now()
    db.execute(
        update(PasswordSetup)
        .where(PasswordSetup.user_id == person.id, PasswordSetup.used_at.is_(None))
        .values(expires_at=now)
    )
    secret = secrets.token_urlsafe(32)
    row = PasswordSetup(
        user_id=person.id,
        secret_sha256=digest(secret),
        created_by_id=by.user_id,
        created_at=now,
        expires_at=now + LASTS,
    )
    db.add(row)
    subject, body = texts.render(
        NOTICES,
        "invitation",
        "Subject",
        recipient=person,
        link=f"{base_url}{PATH}{secret}",
        expires_at=row.expires_at,
        format=format_london,
    )
    db.add(
        OutboxMessage(
            case_id=None,
            template="invitation",
            to_email=person.email,
            to_name=person.name,
            subject=subject,
            body=body,
            created_at=now,
        )
    )
    db.flush()
    audit.record(db, None, "invitation_sent", by, {"user_id": person.id}, chain=audit.signin_chain(person.id))
    return row


def live(db: Session, secret: str) -> PasswordSetup:
    """The unused, unexpired link with this secret, or NotFound saying what to do."""
    row = db.scalar(select(PasswordSetup).where(PasswordSetup.secret_sha256 == digest(secret or "")))
    if row is None or row.used_at is not None or row.expires_at <= clock.now() or not row.user.active:
        raise NotFound("This link has been used, has expired or was replaced by a newer one. Ask HR for a new one.")
    return row


def choose_password(db: Session, secret: str, password: str, again: str) -> User:
    row = live(db, secret)
    if len(password) < SHORTEST_PASSWORD:
        raise InvalidInput(f"Choose a password of at least {SHORTEST_PASSWORD} characters.", "password")
    if password != again:
        raise InvalidInput("The two passwords differ: type the same one twice.", "again")
    row.used_at = clock.now()
    people.set_password(db, row.user, password, by=Actor.person(row.user))
    return row.user

"""Personal API tokens: made by a person for themselves, shown once, kept as a
SHA-256, scoped, expiring, revocable. Making, revoking and every use are
audited on the person's own account chain, with the token's id."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import ApiToken, Role, User

from . import audit, clock
from .audit import Actor
from .errors import Forbidden, InvalidInput, NotFound, Refusal

# What a token may do. The API checks a route's scope, then the same access
# rules as the pages: a scope never gives a right its person lacks.
SCOPES = {
    "read": "Read your tasks and the cases you may see",
    "tasks": "Complete your tasks and open cases",
    "people": "Add, change and deactivate people and their line managers (admins only)",
}
PREFIX = "bcw_"  # so a leaked token is recognisable (and findable by secret scanners)
LONGEST = timedelta(days=366)


@dataclass(frozen=True)
class NewToken:
    """A token just made: `secret` exists only here, to be shown once."""

    row: ApiToken
    secret: str


class Unauthenticated(Exception):
    """No usable token: missing, unknown, expired, revoked, or its person deactivated."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(
    db: Session, person: User, *, name: str, scopes: list[str], expires_on: date, made_by: User | None = None
) -> NewToken:
    """A token for `person`, made by themselves, or by an admin (`made_by`)
    for a service account."""
    made_by = made_by or person
    if made_by.id != person.id and not (person.service_account and made_by.has_role(Role.ADMIN)):
        raise Forbidden(
            "Tokens are made by their own person; an admin makes a service account's.",
            Refusal(made_by.id, made_by.name, None, f"made an API token for {person.name}"),
        )
    name = name.strip()
    if not name:
        raise InvalidInput("Give the token a name that says what uses it, such as “HR system sync”.", "name")
    unknown = set(scopes) - set(SCOPES)
    if not scopes or unknown:
        raise InvalidInput("Choose at least one of the scopes listed.", "scopes")
    if "people" in scopes and not person.has_role(Role.ADMIN):
        raise InvalidInput("Only an admin's token may manage people: leave “people” unticked.", "scopes")
    today = clock.now().date()
    if not today < expires_on <= today + LONGEST:
        raise InvalidInput(
            f"Choose an expiry after today and no later than {(today + LONGEST).strftime('%-d %B %Y')}.",
            "expires_on",
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=person.id,
        name=name,
        secret_sha256=digest(secret),
        scopes=" ".join(sorted(set(scopes))),
        created_by_id=made_by.id,
        created_at=clock.now(),
        expires_on=expires_on,
    )
    db.add(row)
    db.flush()
    _record(db, row, "api_token_created", made_by, {"name": name, "scopes": row.scopes, "expires_on": expires_on})
    return NewToken(row, secret)


def mine(db: Session, person: User) -> list[ApiToken]:
    return list(db.scalars(select(ApiToken).where(ApiToken.user_id == person.id).order_by(ApiToken.id.desc())))


def revoke(db: Session, person: User, token_id: int) -> ApiToken:
    """By its own person, or by an admin when it is a service account's."""
    row = db.get(ApiToken, token_id)
    if row is None:
        raise NotFound("There is no such token.")
    if row.user_id != person.id and not (row.user.service_account and person.has_role(Role.ADMIN)):
        raise Forbidden(
            "That token is not yours to revoke.",
            Refusal(person.id, person.name, None, f"revoked API token #{token_id}, which is someone else's"),
        )
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        _record(db, row, "api_token_revoked", person, {})
    return row


def authenticate(db: Session, secret: str) -> ApiToken:
    """The live token with this secret, its person loaded with their roles."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        raise Unauthenticated("That is not an API token of this system.")
    wanted = digest(secret)
    row = db.scalar(
        select(ApiToken)
        .where(ApiToken.secret_sha256 == wanted)
        .options(joinedload(ApiToken.user).joinedload(User.role_rows))
    )
    # The lookup is by an index on the digest; comparing again in constant
    # time costs nothing and keeps the check honest.
    if row is None or not hmac.compare_digest(row.secret_sha256, wanted):
        raise Unauthenticated("The token is not known.")
    if row.revoked_at is not None:
        raise Unauthenticated(f"The token was revoked on {row.revoked_at:%-d %B %Y}.")
    if row.expires_on < clock.now().date():
        raise Unauthenticated(f"The token expired on {row.expires_on:%-d %B %Y}.")
    if not row.user.active:
        raise Unauthenticated("The token's person is no longer active.")
    return row


def record_use(db: Session, row: ApiToken, method: str, path: str, status: int) -> None:
    """Every use: which token, what it asked for, and the answer's status."""
    row.last_used_at = clock.now()
    _record(db, row, "api_token_used", row.user, {"method": method, "path": path, "status": status})


def _record(db: Session, row: ApiToken, action: str, by: User, data: dict) -> None:
    audit.record(
        db, None, action, Actor.person(by), {"token_id": row.id, **data}, chain=audit.signin_chain(row.user_id)
    )

"""The people directory as the organisation's HR system keeps it in sync:
add a person, change their details or line manager, deactivate them, and
service accounts for the programs that do it. Admins only, each change
audited with what it was before. The API (webapp/api/people.py) and any
page call these, so one set of checks holds for both.

Deactivating never deletes: a person's cases, steps taken and trail stay,
and their name still shows on them."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from models import PersonType, Role, User, UserRole

from . import audit, invitations, people
from .audit import Actor
from .errors import Forbidden, InvalidInput, NotFound, Refusal

# What an HR system may set on a person. Email and name are required to add one.
DETAILS = ("email", "name", "person_type", "job_title", "line_manager_email", "roles")
# An email as a person would type it: something@somewhere.tld, no spaces.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LONGEST = {"email": 254, "name": 120, "job_title": 120}
SERVICE_ROLES = (Role.ADMIN,)  # a program keeps people in sync; it never takes a case's step


@dataclass(frozen=True)
class Change:
    """What a sync sent: only the names it holds are changed."""

    values: dict

    def has(self, name: str) -> bool:
        return name in self.values


def check_admin(actor: User, attempted: str) -> None:
    if not actor.has_role(Role.ADMIN):
        raise Forbidden(
            "Only an admin may change the people directory.", Refusal(actor.id, actor.name, None, attempted)
        )


def listing(db: Session, actor: User, email: str = "") -> list[User]:
    check_admin(actor, "listed the people directory")
    query = (
        select(User)
        .where(User.service_account.is_(False))
        .options(joinedload(User.line_manager), joinedload(User.role_rows))
        .order_by(User.id)
    )
    if email:
        query = query.where(func.lower(User.email) == email.strip().lower())
    return list(db.scalars(query).unique())


def person(db: Session, actor: User, person_id: int) -> User:
    check_admin(actor, f"read person #{person_id} in the directory")
    found = db.get(User, person_id)
    if found is None or found.service_account:
        raise NotFound(f"There is no person #{person_id}.")
    return found


def add(db: Session, actor: User, values: dict, invite_from: str | None = None) -> User:
    """Add a person; with `invite_from` (the site's address) they are emailed
    a link to choose their password (workflows/engine/invitations.py)."""
    check_admin(actor, "added a person to the directory")
    change = _checked(db, Change(values), None)
    missing = {name: ["Required to add a person."] for name in ("email", "name") if not change.values.get(name)}
    if missing:
        raise InvalidInput(missing)
    # No password anyone knows: they choose one through the emailed link (or an admin sets one).
    added = people.create_user(
        db,
        email=change.values["email"],
        name=change.values["name"],
        password=secrets.token_urlsafe(32),
        person_type=change.values.get("person_type", PersonType.EMPLOYEE),
        roles=tuple(change.values.get("roles", ())),
        line_manager=change.values.get("line_manager"),
        job_title=change.values.get("job_title", ""),
        created_by=Actor.person(actor),
    )
    if invite_from:
        invitations.invite(db, added, Actor.person(actor), invite_from)
    return added


def send_invitation(db: Session, actor: User, person_id: int, base_url: str) -> User:
    """A fresh link for someone whose link was lost or ran out."""
    found = person(db, actor, person_id)
    invitations.invite(db, found, Actor.person(actor), base_url)
    return found


def update(db: Session, actor: User, person_id: int, values: dict) -> User:
    found = person(db, actor, person_id)
    change = _checked(db, Change(values), found)
    before, after = {}, {}
    for name, value in change.values.items():
        old = _current(found, name)
        new = _shown(name, value)
        if old != new:
            before[name], after[name] = old, new
            _apply(found, name, value)
    if after:
        audit.record(
            db,
            None,
            "user_updated",
            Actor.person(actor),
            {"user_id": found.id, "before": before, "after": after},
            chain=audit.signin_chain(found.id),
        )
    return found


def deactivate(db: Session, actor: User, person_id: int) -> User:
    """No more sign-ins or tokens; the cases they are on are kept whole."""
    found = person(db, actor, person_id)
    if found.id == actor.id:
        raise InvalidInput("An account cannot deactivate itself.", "person")
    if found.active:
        people.deactivate(db, found, Actor.person(actor))
    return found


def add_service_account(db: Session, actor: User, name: str) -> User:
    check_admin(actor, "made a service account")
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Name the program, such as “HR system sync”.", "name")
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "service"
    account = people.create_user(
        db,
        email=f"{slug}.{secrets.token_hex(3)}@service.invalid",  # .invalid: never a real mailbox [RFC 2606]
        name=name[: LONGEST["name"]],
        password=secrets.token_urlsafe(32),
        roles=SERVICE_ROLES,
        created_by=Actor.person(actor),
    )
    account.service_account = True
    return account


def service_accounts(db: Session, actor: User) -> list[User]:
    check_admin(actor, "listed the service accounts")
    return list(db.scalars(select(User).where(User.service_account.is_(True)).order_by(User.id)))


def _checked(db: Session, change: Change, found: User | None) -> Change:
    """Every check at once, so a sync learns of all its faults in one answer."""
    values, errors = dict(change.values), {}
    unknown = set(values) - set(DETAILS)
    for name in unknown:
        errors[name] = ["Not a detail this system keeps."]
    for name, longest in LONGEST.items():
        if name in values:
            values[name] = (values[name] or "").strip()
            if len(values[name]) > longest:
                errors[name] = [f"At most {longest} characters."]
    if "name" in values and not values["name"]:
        errors["name"] = ["Give the person's name."]
    if "email" in values:
        _check_email(db, values, found, errors)
    if "person_type" in values and values["person_type"] not in set(PersonType):
        errors["person_type"] = [f"One of: {', '.join(PersonType)}."]
    if "roles" in values:
        roles = values["roles"] or []
        if set(roles) - set(Role):
            errors["roles"] = [f"Each one of: {', '.join(Role)}."]
        values["roles"] = sorted(set(roles))
    if "line_manager_email" in values:
        _check_manager(db, values, found, errors)
    if errors:
        raise InvalidInput(errors)
    return Change(values)


def _check_email(db: Session, values: dict, found: User | None, errors: dict) -> None:
    email = values["email"].lower()
    values["email"] = email
    if not _EMAIL.match(email):
        errors["email"] = ["Not an email address (such as name@bcwhub.org.uk)."]
        return
    other = db.scalar(select(User.id).where(func.lower(User.email) == email))
    if other is not None and (found is None or other != found.id):
        errors["email"] = [f"Person #{other} already has the email {email}."]


def _check_manager(db: Session, values: dict, found: User | None, errors: dict) -> None:
    email = (values.pop("line_manager_email") or "").strip().lower()
    if not email:
        values["line_manager"] = None
        return
    manager = people.find_by_email(db, email)
    if manager is None or manager.service_account:
        errors["line_manager_email"] = [f"Nobody has the email {email}: add the line manager first."]
    elif not manager.active:
        errors["line_manager_email"] = [f"{manager.name} is deactivated, so cannot manage anyone."]
    elif found is not None and _manages(found, manager):
        errors["line_manager_email"] = [f"{manager.name} cannot manage {found.name}: they are in {found.name}'s line."]
    else:
        values["line_manager"] = manager


def _manages(top: User, below: User) -> bool:
    """Whether `below` is `top` or reports (at any depth) to them: a loop in the line."""
    seen, current = set(), below
    while current is not None and current.id not in seen:
        if current.id == top.id:
            return True
        seen.add(current.id)
        current = current.line_manager
    return False


def _current(found: User, name: str):
    if name == "line_manager":
        return found.line_manager.email if found.line_manager else None
    if name == "roles":
        return sorted(found.roles)
    return getattr(found, name)


def _shown(name: str, value):
    if name == "line_manager":
        return value.email if value else None
    return value


def _apply(found: User, name: str, value) -> None:
    if name == "roles":
        found.role_rows = [row for row in found.role_rows if row.role in value] + [
            UserRole(role=role) for role in value if role not in found.roles
        ]
    elif name == "line_manager":
        found.line_manager = value
    else:
        setattr(found, name, value)

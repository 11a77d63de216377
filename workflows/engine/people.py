"""People and sign-in: argon2 password hashes, roles, failed sign-ins audited
on each account's own chain, and sessions revoked by replacing the account's
session token (sign-out, deactivation, a new password)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import PersonType, Role, User, UserRole
from models.users import new_session_token

from . import audit, clock
from .audit import Actor
from .errors import InvalidInput

_hasher = PasswordHasher()
# Verifying against this when the email is unknown keeps timing the same.
_DUMMY_HASH = _hasher.hash("not a real password")


def create_user(
    db: Session,
    *,
    email: str,
    name: str,
    password: str,
    person_type: str = PersonType.EMPLOYEE,
    roles: tuple[str, ...] = (),
    line_manager: User | None = None,
    job_title: str = "",
    created_by: Actor = audit.SYSTEM,
) -> User:
    email = email.strip().lower()
    if db.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise InvalidInput(f"There is already a user with the email {email}.", "email")
    if person_type not in set(PersonType):
        raise InvalidInput(f"Unknown person type {person_type}.", "person_type")
    unknown = set(roles) - set(Role)
    if unknown:
        raise InvalidInput(f"Unknown roles: {', '.join(sorted(unknown))}.", "roles")
    user = User(
        email=email,
        name=name,
        password_hash=_hasher.hash(password),
        person_type=person_type,
        job_title=job_title,
        line_manager_id=line_manager.id if line_manager else None,
        created_at=clock.now(),
        role_rows=[UserRole(role=r) for r in roles],
    )
    db.add(user)
    db.flush()
    audit.record(
        db,
        None,
        "user_created",
        created_by,
        {"user_id": user.id, "email": email, "roles": sorted(roles), "person_type": person_type},
    )
    return user


def find_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(func.lower(User.email) == _normal(email)))


def authenticate(db: Session, email: str, password: str, source: str = "") -> User | None:
    """The active user with these credentials, or None (and an audit event)."""
    user = find_by_email(db, email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None and user.active and not user.service_account  # a program signs in by token only
    except (VerificationError, InvalidHashError):
        ok = False
    chain = audit.signin_chain(user.id if user else None, _normal(email))
    if not ok:
        audit.record(
            db, None, "login_failed", audit.SYSTEM, {"email": _normal(email)[:254], "source": source}, chain=chain
        )
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    audit.record(db, None, "login_succeeded", Actor.person(user), {"source": source}, chain=chain)
    return user


def record_throttled(db: Session, email: str, source: str, limit: str) -> None:
    """A sign-in refused unheard because too many failed first (webapp/auth/throttle.py)."""
    user = find_by_email(db, email) if email else None
    audit.record(
        db,
        None,
        "login_throttled",
        audit.SYSTEM,
        {"email": _normal(email)[:254], "source": source, "limit": limit},
        chain=audit.signin_chain(user.id if user else None, _normal(email)),
    )


def sign_out(db: Session, user: User, source: str = "") -> None:
    """End every session of this account: a cookie copied before sign-out signs nobody in."""
    revoke_sessions(user)
    audit.record(db, None, "logout_succeeded", Actor.person(user), {"source": source}, chain=_chain_of(user))


def set_password(db: Session, user: User, password: str, by: Actor = audit.SYSTEM) -> None:
    """A new password ends every session signed in with the old one."""
    user.password_hash = _hasher.hash(password)
    revoke_sessions(user)
    audit.record(db, None, "password_changed", by, {"user_id": user.id}, chain=_chain_of(user))


def deactivate(db: Session, user: User, by: Actor = audit.SYSTEM) -> None:
    """No more sign-ins, and every session now open ends."""
    user.active = False
    revoke_sessions(user)
    audit.record(db, None, "user_deactivated", by, {"user_id": user.id}, chain=_chain_of(user))


def revoke_sessions(user: User) -> None:
    user.session_token = new_session_token()


def _chain_of(user: User) -> str:
    return audit.signin_chain(user.id)


def _normal(email: str) -> str:
    return (email or "").strip().lower()


def active_people(db: Session) -> list[User]:
    """Everyone who can be a case's person or take a step: not a program's account."""
    query = select(User).where(User.active.is_(True), User.service_account.is_(False)).order_by(User.name)
    return list(db.scalars(query))

"""Test data: people and cases, made quickly and explicitly."""
from __future__ import annotations

import itertools
from functools import lru_cache

from argon2 import PasswordHasher

from models import PersonType, Role, User, UserRole
from workflows import clock
from workflows.takedown import TakedownRequest, request_takedown

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return PasswordHasher().hash(PASSWORD)  # argon2 is slow on purpose: hash once


def make_user(db, name: str | None = None, *, roles: tuple[str, ...] = (),
              person_type: str = PersonType.EMPLOYEE, line_manager: User | None = None) -> User:
    n = next(_numbers)
    name = name or f"Person {n}"
    user = User(email=f"{name.lower().replace(' ', '.')}.{n}@bcwhub.test", name=name,
                password_hash=_password_hash(), person_type=person_type,
                line_manager_id=line_manager.id if line_manager else None,
                created_at=clock.now(), role_rows=[UserRole(role=r) for r in roles])
    db.add(user)
    db.flush()
    return user


def make_hr(db, name: str | None = None) -> User:
    return make_user(db, name or "Hana HR", roles=(Role.HR,))


def make_manager(db, name: str | None = None) -> User:
    return make_user(db, name or "Mo Manager", roles=(Role.MANAGER,))


def make_takedown(ctx, requester: User, subject: User, *, deadline_hours: float = 24,
                  clauses: list[str] | None = None, evidence=None):
    request = TakedownRequest(
        subject=subject, platform="Facebook", urls=["https://facebook.com/posts/123"],
        clauses=clauses or ["SMP-5.6"], reasons="Derogatory comments about a service user.",
        deadline_hours=deadline_hours, evidence=list(evidence or []), captured_at=clock.now())
    return request_takedown(ctx, requester, request)

"""Pools: everyone holding a system role, who take a case role's steps
while nobody is named in it. Nobody takes a step of their own case, or of a
case they complained of or witnessed, through a pool."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from models import Case, Role, User, UserRole

from .registry import no_view_roles

# When everyone in a pool is kept out of a case, its step goes to HR (with a
# note on the trail) rather than to nobody.
FALLBACK = Role.HR
_CACHE = "pool_members"


def members(db: Session, role: str) -> list[User]:
    """Active holders of a system role, read once per transaction: the
    worker fires a batch of cases that all notify the same HR pool."""
    cache = db.info.setdefault(_CACHE, {})
    if role not in cache:
        cache[role] = list(
            db.scalars(
                select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True)).order_by(User.id)
            )
        )
    return cache[role]


@event.listens_for(Session, "after_transaction_end")
def _forget(db: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction, not a savepoint
        db.info.pop(_CACHE, None)


def kept_out(case: Case) -> set[int]:
    """The case's subject, complainants and witnesses."""
    return {case.subject_id} | {p.user_id for p in case.parties if p.role in no_view_roles()}


def eligible(db: Session, case: Case, role: str) -> list[User]:
    excluded = kept_out(case)
    return [u for u in members(db, role) if u.id not in excluded]


def others(db: Session, case: Case, role: str, *not_these: int) -> str:
    """Who else in the pool may take a step someone is kept off (named in a
    refusal, so the person knows whom to ask)."""
    names = [u.name for u in eligible(db, case, role) if u.id not in not_these]
    return ", ".join(names) if names else f"nobody else holds the {role.replace('_', ' ')} role"


def route(db: Session, case: Case, pool: str) -> str:
    """The pool a step (or notice) of this case goes to: `pool`, unless
    everyone in it is kept out of the case."""
    if pool != FALLBACK and not eligible(db, case, pool):
        return FALLBACK
    return pool

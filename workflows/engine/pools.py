"""Pools: everyone holding a system role, who take a case role's steps
while nobody is named in it. Nobody takes a step of their own case, or of a
case they complained of or witnessed, through a pool.

A role may name a person type to stand in when everyone in its pool is kept
out of the case (`CaseRole.stand_in`): a trustee's referral whose only Chair
is the trustee concerned goes to the other trustees, none of them involved
in it. The person type is then the step's pool: everyone active of that type
who is named neither on the case nor on the case it came from."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from models import Case, CaseTask, PersonType, Role, User, UserRole

from . import registry
from .registry import no_view_roles

# When everyone in a pool is kept out of a case, and its role names no
# stand-in, its step goes to HR (with a note on the trail) rather than to nobody.
FALLBACK = Role.HR
PERSON_TYPES = frozenset(PersonType)
_CACHE = "pool_members"


def members(db: Session, pool: str) -> list[User]:
    """Active holders of a system role (or people of a person type), read
    once per transaction: the worker fires a batch of cases that all notify
    the same HR pool."""
    cache = db.info.setdefault(_CACHE, {})
    if pool not in cache:
        who = User.person_type == pool if pool in PERSON_TYPES else User.id.in_(_holders(pool))
        cache[pool] = list(db.scalars(select(User).where(who, User.active.is_(True)).order_by(User.id)))
    return cache[pool]


def _holders(role: str):
    return select(UserRole.user_id).where(UserRole.role == role)


@event.listens_for(Session, "after_transaction_end")
def _forget(db: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction, not a savepoint
        db.info.pop(_CACHE, None)


def kept_out(case: Case) -> set[int]:
    """The case's subject, complainants and witnesses."""
    return {case.subject_id} | {p.user_id for p in case.parties if p.role in no_view_roles()}


def involved(case: Case) -> set[int]:
    """Everyone named on the case or on the case it came from (the
    investigation), and its subject: none of them stands in."""
    cases = [case] + ([case.parent] if case.parent is not None else [])
    return {case.subject_id} | {p.user_id for c in cases for p in c.parties}


def _excluded(case: Case, pool: str) -> set[int]:
    return involved(case) if pool in PERSON_TYPES else kept_out(case)


def eligible(db: Session, case: Case, pool: str) -> list[User]:
    excluded = _excluded(case, pool)
    return [u for u in members(db, pool) if u.id not in excluded]


def takes_from(user: User, case: Case, pool: str | None) -> bool:
    """Whether `user` may take this case's steps waiting in `pool`."""
    if not pool or not user.active:
        return False
    belongs = user.person_type == pool if pool in PERSON_TYPES else user.has_role(pool)
    return belongs and user.id not in _excluded(case, pool)


def label(pool: str) -> str:
    """A pool as a person reads it: "HR team", "any trustee not involved"."""
    if pool in PERSON_TYPES:
        return f"any {pool} not involved"
    return f"{'HR' if pool == Role.HR else pool.replace('_', ' ').capitalize()} team"


def others(db: Session, case: Case, role: str, *not_these: int) -> str:
    """Who else in the pool may take a step someone is kept off (named in a
    refusal, so the person knows whom to ask)."""
    found = [u.name for u in eligible(db, case, role) if u.id not in not_these]
    return ", ".join(found) if found else f"nobody else holds the {role.replace('_', ' ')} role"


def route(db: Session, case: Case, pool: str, stand_in: str | None = None) -> str:
    """The pool a step (or notice) of this case goes to: `pool`, unless
    everyone in it is kept out of the case. Then its stand-ins, if it has
    any free of the case; with none, it stays in `pool` (nobody can take it
    until someone free of the case joins the pool: `why_nobody`); a role
    with no stand-in goes to HR."""
    if pool == FALLBACK or eligible(db, case, pool):
        return pool
    if stand_in is None:
        return FALLBACK
    return stand_in if eligible(db, case, stand_in) else pool


def why_nobody(db: Session, case: Case, row: CaseTask) -> str | None:
    """Why nobody at all may take this waiting pool step, and who could be
    given its role (for HR, on the case page and by email); None when
    someone may."""
    if row.assignee_id is not None or not row.pool_role or eligible(db, case, row.pool_role):
        return None
    lane = registry.get(case.kind).role(row.lane)
    role = lane.pool.replace("_", " ")
    holders = "; ".join(f"{u.name}, {_part(case, u.id)}" for u in members(db, lane.pool))
    why = f"Nobody can take '{row.title}': " + (
        f"everyone holding the {role} role is kept out of this case ({holders})"
        if holders
        else f"nobody holds the {role} role"
    )
    if lane.stand_in is None:
        return f"{why}. Give the {role} role to someone not involved in the case."
    free = ", ".join(u.name for u in eligible(db, case, lane.stand_in))
    if free:  # someone free of the case joined after the step appeared
        return f"{why}. Give the {role} role to a {lane.stand_in} not involved in it: {free}."
    return (
        f"{why}, and every active {lane.stand_in} is involved in this case or the one it came from, so none can "
        f"stand in. Add a {lane.stand_in} who is not, with the {role} role: the step is then theirs."
    )


def _part(case: Case, user_id: int) -> str:
    if user_id == case.subject_id:
        return "who it is about"
    return " and ".join(f"its {p.role.lower()}" for p in case.parties if p.user_id == user_id) or "not involved"

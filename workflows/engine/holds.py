"""Legal holds ("do not purge", docs/domain.md "Records and data protection"):
HR sets one on a case, or on a person (all their cases), with a reason, and
lifts it with a reason; both audited. While a hold is in force nothing of the
case is anonymised or erased (retention.py, erasure.py)."""

from __future__ import annotations

from sqlalchemy import or_, select, union
from sqlalchemy.orm import Session

from models import Case, CaseParty, LegalHold, Role, User

from . import access, audit, clock
from .audit import Actor
from .context import Context
from .errors import InvalidInput, NotFound

REASON_LIMIT = 1000
NO_REASON = "Say why the hold is needed (a claim, a tribunal, an investigation...)."
NO_LIFT_REASON = "Say why the hold can be lifted."


def may_hold(user: User, case: Case) -> bool:
    """HR, never on a case they are the subject, complainant or witness of ("HR for HR")."""
    return user.has_role(Role.HR) and not access.conflicted(user, case, access.party_roles(user, case))


def may_lift(user: User, hold: LegalHold) -> bool:
    """HR, for a case they may see or a person other than themselves."""
    if not user.has_role(Role.HR):
        return False
    return may_hold(user, hold.case) if hold.case else hold.person_id != user.id


def set_on_case(ctx: Context, by: User, case: Case, reason: str) -> LegalHold:
    if not may_hold(by, case):
        access.refuse(by, case, "set a legal hold without the HR role")
    hold = _new(ctx, by, _reason(reason, NO_REASON), case_id=case.id)
    audit.record(ctx.db, case.id, "legal_hold_set", Actor.person(by), {"hold_id": hold.id, "reason": hold.reason})
    return hold


def set_on_person(ctx: Context, by: User, person: User, reason: str) -> LegalHold:
    """A hold on every case the person is the subject of or a party to, now or later."""
    if not by.has_role(Role.HR) or person.id == by.id:  # nobody holds their own record ("HR for HR")
        access.refuse(by, None, f"set a legal hold on person #{person.id}")
    hold = _new(ctx, by, _reason(reason, NO_REASON), person_id=person.id)
    data = {"hold_id": hold.id, "person_id": person.id, "reason": hold.reason}
    audit.record(ctx.db, None, "legal_hold_set", Actor.person(by), data)
    return hold


def get(db: Session, hold_id: int) -> LegalHold:
    hold = db.get(LegalHold, hold_id)
    if hold is None:
        raise NotFound("There is no such legal hold.")
    return hold


def lift(ctx: Context, by: User, hold_id: int, reason: str) -> LegalHold:
    hold = get(ctx.db, hold_id)
    if not may_lift(by, hold):
        access.refuse(by, hold.case, f"lifted legal hold #{hold.id}")
    if not hold.in_force:
        raise InvalidInput(f"This hold was already lifted by {hold.lifted_by.name}.", "reason")
    hold.lift_reason = _reason(reason, NO_LIFT_REASON)
    hold.lifted_at, hold.lifted_by_id = clock.now(), by.id
    data = {"hold_id": hold.id, "reason": hold.lift_reason}
    if hold.person_id:
        data["person_id"] = hold.person_id
    audit.record(ctx.db, hold.case_id, "legal_hold_lifted", Actor.person(by), data)
    return hold


def _reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(missing, "reason")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput(f"At most {REASON_LIMIT:,} characters: this has {len(reason):,}.", "reason")
    return reason


def _new(ctx: Context, by: User, reason: str, **on) -> LegalHold:
    hold = LegalHold(reason=reason, set_by_id=by.id, set_at=clock.now(), **on)
    ctx.db.add(hold)
    ctx.db.flush()
    return hold


def in_force(db: Session) -> list[LegalHold]:
    return list(db.scalars(select(LegalHold).where(LegalHold.lifted_at.is_(None)).order_by(LegalHold.set_at)))


def holding(db: Session, case: Case) -> list[LegalHold]:
    """The holds in force on the case: its own, and any on its subject or a party."""
    people = select(CaseParty.user_id).where(CaseParty.case_id == case.id)
    return list(
        db.scalars(
            select(LegalHold).where(
                LegalHold.lifted_at.is_(None),
                or_(
                    LegalHold.case_id == case.id,
                    LegalHold.person_id == case.subject_id,
                    LegalHold.person_id.in_(people),
                ),
            )
        )
    )


def held_cases():
    """The condition on `Case` for every case a hold in force keeps, the
    same rule as `holding`, written for the database (the dashboard counts
    with it and the case list narrows by it)."""
    in_force = LegalHold.lifted_at.is_(None)
    people = select(LegalHold.person_id).where(in_force, LegalHold.person_id.is_not(None))
    return Case.id.in_(
        union(
            select(LegalHold.case_id).where(in_force, LegalHold.case_id.is_not(None)),
            select(Case.id).where(Case.subject_id.in_(people)),
            select(CaseParty.case_id).where(CaseParty.user_id.in_(people)),
        )
    )


def is_held(db: Session, case: Case) -> bool:
    return bool(holding(db, case))

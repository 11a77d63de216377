"""The register of who is authorised to contribute to which of BCW Hub's own
social media accounts [SMP-4]: granted and ended by the Hub Manager or an
admin, each on the audit trail; a campaign request checks it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from models import AccountAuthorisation, Role, User
from workflows.engine import audit, clock, workdays
from workflows.engine.audit import Actor
from workflows.engine.context import Context
from workflows.engine.errors import Forbidden, InvalidInput
from workflows.engine.people import active_people

from .vocabulary import ACCOUNTS, MAX_TEXT

GRANTERS = (Role.HUB_MANAGER, Role.ADMIN)


def may_grant(user: User) -> bool:
    return user.has_role(*GRANTERS)


def who_can_authorise(db: Session) -> str:
    """The people to ask, by name: "Grace Okafor (Hub Manager) or Ada Admin (admin)"."""
    named = [
        f"{p.name} ({'Hub Manager' if p.has_role(Role.HUB_MANAGER) else 'admin'})"
        for p in active_people(db)
        if may_grant(p)
    ]
    return " or ".join(named) if named else "the Hub Manager"


def live(db: Session, day: date | None = None) -> list[AccountAuthorisation]:
    """Every authorisation that counts on `day` (today), by person then account."""
    day = day or workdays.today()
    rows = db.scalars(
        select(AccountAuthorisation)
        .where(
            AccountAuthorisation.granted_on <= day,
            AccountAuthorisation.until >= day,
            or_(AccountAuthorisation.ended_on.is_(None), AccountAuthorisation.ended_on > day),
        )
        .options(joinedload(AccountAuthorisation.person), joinedload(AccountAuthorisation.granted_by))
    )
    return sorted(rows, key=lambda a: (a.person.name, a.account, a.id))


def of(db: Session, person: User, day: date | None = None) -> dict[str, AccountAuthorisation]:
    """The person's live authorisations by account (the one lasting longest)."""
    found: dict[str, AccountAuthorisation] = {}
    for row in live(db, day):
        if row.person_id == person.id and (row.account not in found or row.until > found[row.account].until):
            found[row.account] = row
    return found


def grant(ctx: Context, by: User, person: User, account: str, until: date | None) -> AccountAuthorisation:
    if not may_grant(by):
        raise Forbidden("Only the Hub Manager or an admin may authorise someone on BCW Hub's accounts.")
    today = workdays.today()
    if account not in ACCOUNTS:
        raise InvalidInput("Choose one of BCW Hub's accounts.", "account")
    if not person.active:
        raise InvalidInput(f"{person.name} no longer has an active account here.", "person")
    if until is None:
        raise InvalidInput("Give the last day the authorisation counts.", "until")
    if until < today:
        raise InvalidInput(f"The last day must be today ({workdays.long_date(today)}) or later.", "until")
    row = AccountAuthorisation(
        person_id=person.id,
        account=account,
        granted_by_id=by.id,
        granted_on=today,
        until=until,
        recorded_at=clock.now(),
    )
    ctx.db.add(row)
    ctx.db.flush()
    _audit(ctx, by, "authorisation_granted", row, {"until": until.isoformat()})
    return row


def end(ctx: Context, by: User, row: AccountAuthorisation, reason: str) -> None:
    if not may_grant(by):
        raise Forbidden("Only the Hub Manager or an admin may end an authorisation on BCW Hub's accounts.")
    if row.ended_on is not None or not row.live_on(workdays.today()):
        if row.ended_by is not None:
            ended = f"{row.ended_by.name} ended it on {workdays.long_date(row.ended_on)}"
        else:
            ended = f"its last day was {workdays.long_date(row.until)}"
        raise InvalidInput(f"This authorisation has already ended: {ended}.", "reason")
    reason = reason.strip()
    if len(reason) < 10 or len(reason) > MAX_TEXT:
        raise InvalidInput(f"Say why it ends (10 to {MAX_TEXT:,} characters).", "reason")
    row.ended_on, row.ended_by_id, row.ended_reason = workdays.today(), by.id, reason
    ctx.db.flush()
    _audit(ctx, by, "authorisation_ended", row, {"reason": reason})


def _audit(ctx: Context, by: User, action: str, row: AccountAuthorisation, extra: dict) -> None:
    data = {"authorisation_id": row.id, "person_id": row.person_id, "account": row.account, **extra}
    audit.record(ctx.db, None, action, Actor.person(by), data)

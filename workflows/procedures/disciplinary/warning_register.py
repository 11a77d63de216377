"""The register of written warnings: issued by a decision, revoked or
replaced by an appeal, and read (live ones only) when the next sanction is
chosen. A warning for N months issued on 29 January counts until the end of
28 January N months on."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, User, WrittenWarning
from workflows.engine import audit, clock
from workflows.engine.audit import SYSTEM

from .vocabulary import SANCTIONS


def expiry(issued_on: date, months: int) -> date:
    """The last day a warning issued on `issued_on` counts."""
    return issued_on + relativedelta(months=months) - timedelta(days=1)


def warnings_of(db: Session, person: User) -> list[WrittenWarning]:
    return list(
        db.scalars(
            select(WrittenWarning)
            .where(WrittenWarning.person_id == person.id)
            .order_by(WrittenWarning.issued_on, WrittenWarning.id)
        )
    )


def live_warnings(db: Session, person: User, on: date) -> list[WrittenWarning]:
    return [w for w in warnings_of(db, person) if w.live_on(on)]


def snapshot(warnings: list[WrittenWarning]) -> list[dict]:
    """The live warnings as a case records them when it opens."""
    return [
        {
            "level": w.level,
            "label": SANCTIONS[w.level],
            "issued_on": w.issued_on.isoformat(),
            "expires_on": w.expires_on.isoformat(),
            "case": w.case.reference,
        }
        for w in warnings
    ]


def issue(
    db: Session,
    case: Case,
    level: str,
    issued_on: date,
    months: int,
    reasons: str,
    replaces: WrittenWarning | None = None,
) -> WrittenWarning:
    warning = WrittenWarning(
        person_id=case.subject_id,
        case_id=case.id,
        level=level,
        issued_on=issued_on,
        expires_on=expiry(issued_on, months),
        reasons=reasons,
        replaces_id=replaces.id if replaces else None,
        recorded_at=clock.now(),
    )
    db.add(warning)
    db.flush()
    audit.record(
        db,
        case.id,
        "warning_recorded",
        SYSTEM,
        {
            "warning_id": warning.id,
            "level": level,
            "issued_on": issued_on.isoformat(),
            "expires_on": warning.expires_on.isoformat(),
        },
    )
    return warning


def issued_by(db: Session, case: Case) -> WrittenWarning | None:
    """The warning this case's decision gave, and still stands."""
    return db.scalar(
        select(WrittenWarning)
        .where(WrittenWarning.case_id == case.id, WrittenWarning.revoked_on.is_(None))
        .order_by(WrittenWarning.id.desc())
        .limit(1)
    )


def revoke(db: Session, warning: WrittenWarning, on: date, reason: str) -> None:
    warning.revoked_on, warning.revoked_reason = on, reason
    audit.record(
        db,
        warning.case_id,
        "warning_revoked",
        SYSTEM,
        {"warning_id": warning.id, "level": warning.level, "revoked_on": on.isoformat(), "reason": reason},
    )

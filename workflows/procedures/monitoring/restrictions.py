"""The register of access restrictions [SMP-6.6]: the monitoring cases whose
restriction is in force, read from their case data (no table of its own),
and what a letter about a restriction names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import Case, Letter
from workflows import policy
from workflows.engine import queries, workdays

from .vocabulary import ACCESS_ACTIONS, KIND, OCCASIONS


@dataclass(frozen=True)
class Restriction:
    case: Case
    action: str
    sites: str
    starts_on: date
    ends_on: date | None
    review_on: date
    told: bool
    withholding_reason: str

    @property
    def review_due(self) -> bool:
        return self.review_on <= workdays.today()


def in_force(db: Session) -> list[Restriction]:
    """Every restriction in force, the soonest review first."""
    cases = db.scalars(
        select(Case)
        .where(Case.kind == KIND, Case.status == "restricted", Case.closed_at.is_(None))
        .options(joinedload(Case.subject))
    )
    found = [_restriction(case, queries.case_data(case)) for case in cases]
    return sorted(found, key=lambda r: (r.review_on, r.case.id))


def _restriction(case: Case, data: dict) -> Restriction:
    return Restriction(
        case=case,
        action=ACCESS_ACTIONS.get(data.get("access_action", ""), ""),
        sites=data.get("sites", ""),
        starts_on=date.fromisoformat(data["starts_on"]),
        ends_on=date.fromisoformat(data["ends_on"]) if data.get("ends_on") else None,
        review_on=date.fromisoformat(data["review_on"]),
        told=bool(data.get("person_told")),
        withholding_reason="" if data.get("person_told") else data.get("withholding_reason", ""),
    )


def letter_context(db, case: Case, kind: str, data: dict) -> dict:
    def spoken(iso: str | None) -> str:
        return date.fromisoformat(iso).strftime("%-d %B %Y") if iso else ""

    return {
        # The first letter says what was found, whenever it is sent (at the decision, or at a review).
        "first": db.scalar(select(Letter.id).where(Letter.case_id == case.id).limit(1)) is None,
        "occasion": OCCASIONS.get(data.get("occasion", ""), "").lower(),
        "action": ACCESS_ACTIONS.get(data.get("access_action", ""), "restrict access").lower(),
        "purposes": policy.quoted(data.get("purposes", [])),
        "starts": spoken(data.get("starts_on")),
        "ends": spoken(data.get("ends_on")),
        "review": spoken(data.get("review_on")),
    }

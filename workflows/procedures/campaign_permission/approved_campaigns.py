"""The register of approved campaigns [SMP-4.3]: the campaign permission
cases approved and not yet ended, read from their case data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import Case
from workflows.engine import queries

from .vocabulary import ACCOUNTS, KIND


@dataclass(frozen=True)
class ApprovedCampaign:
    case: Case
    name: str
    accounts: list[str]
    starts_on: date
    ends_on: date
    safeguards: str


def approved(db: Session) -> list[ApprovedCampaign]:
    """Every approved campaign still running or to come, the soonest to end first."""
    cases = db.scalars(
        select(Case)
        .where(Case.kind == KIND, Case.status == "approved", Case.closed_at.is_(None))
        .options(joinedload(Case.subject))
    )
    found = [_campaign(case, queries.case_data(case)) for case in cases]
    return sorted(found, key=lambda c: (c.ends_on, c.case.id))


def _campaign(case: Case, data: dict) -> ApprovedCampaign:
    return ApprovedCampaign(
        case=case,
        name=data.get("campaign_name", ""),
        accounts=[ACCOUNTS.get(code, code) for code in data.get("accounts") or []],
        starts_on=date.fromisoformat(data["starts_on"]),
        ends_on=date.fromisoformat(data["ends_on"]),
        safeguards=data.get("safeguards", ""),
    )

"""Opening a breach investigation: by HR from a report, or from another
case's referral (an escalated takedown)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime

from models import Case, Evidence, User
from workflows.engine import clock
from workflows.engine.cases import link, open_case
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import attach_evidence
from workflows.engine.signals import Referral, referral_made

from .vocabulary import SOURCES, alleged_clauses

KIND = "breach_investigation"
START_DATA = (
    "source",
    "clauses",
    "description",
    "subject_person_type",
    "reported_by_id",
    "opened_from",
    "aware_at",
    "suspension_review_days",
)
DESCRIPTION_LONGEST = 8000
# The organisation's choice (README, "Settings"); each case keeps the period it started with.
SUSPENSION_REVIEW_DAYS = int(os.environ.get("BREACH_SUSPENSION_REVIEW_DAYS", "14"))


@dataclass
class BreachReport:
    subject: User
    source: str
    clauses: list[str]
    description: str
    reported_by: User | None = None
    evidence: list[Evidence] = field(default_factory=list)
    # When BCW Hub became aware of what is alleged (the ICO's 72 hours run
    # from then): the case's opening unless an earlier case already knew.
    aware_at: datetime | None = None


def open_breach(ctx: Context, hr_user: User, report: BreachReport, parent: Case | None = None) -> Case:
    check_report(hr_user, report)
    parties = {"HR": hr_user, "Subject": report.subject}
    if report.reported_by and report.reported_by.id != report.subject.id:
        parties["Reporter"] = report.reported_by
    start_data = {
        "source": report.source,
        "clauses": report.clauses,
        "description": report.description,
        "subject_person_type": report.subject.person_type,
        "reported_by_id": report.reported_by.id if report.reported_by else None,
        "opened_from": parent.reference if parent else None,
        "aware_at": (report.aware_at or clock.now()).isoformat(),
        "suspension_review_days": SUSPENSION_REVIEW_DAYS,
    }
    case = open_case(
        ctx,
        KIND,
        parent=parent,
        title=f"Possible breach by {report.subject.name}",
        subject=report.subject,
        opened_by=hr_user,
        clauses=report.clauses,
        parties=parties,
        start_data=start_data,
    )
    attach_evidence(ctx, case, hr_user, report.evidence)
    return case


def check_report(hr_user: User, report: BreachReport) -> None:
    """Every fault at once, each beside its field: the page's and the API's one check."""
    errors: dict[str, list[str]] = {}
    if report.subject.id == hr_user.id:
        errors["subject"] = ["You cannot open a case about yourself; ask another HR officer."]
    elif report.subject.service_account:
        errors["subject"] = [f"{report.subject.name} is a program's account, not a person."]
    if report.source not in SOURCES:
        errors["source"] = [f"Choose how the matter came to light: one of {', '.join(SOURCES)}."]
    if not report.clauses or set(report.clauses) - {cid for cid, _label in alleged_clauses()}:
        errors["clauses"] = ["Choose at least one of the policy's rules (such as SMP-5.6) as alleged."]
    if not report.description.strip() or len(report.description) > DESCRIPTION_LONGEST:
        errors["description"] = [f"Say what is alleged, in at most {DESCRIPTION_LONGEST} characters."]
    if errors:
        raise InvalidInput(errors)


@referral_made.connect_via(KIND)
def open_on_referral(_kind, *, ctx: Context, referral: Referral) -> Case:
    """Another case asked for an investigation: open it linked both ways,
    with what the referring case knew."""
    earlier = referral.from_case
    # A case that already cited published personal data [SMP-5.5] made BCW Hub aware of it when it opened.
    aware_at = earlier.opened_at if "SMP-5.5" in earlier.clauses else None
    report = BreachReport(
        subject=earlier.subject,
        source=referral.source,
        clauses=referral.clauses,
        description=referral.description,
        reported_by=referral.reported_by,
        evidence=referral.evidence,
        aware_at=aware_at,
    )
    case = open_breach(ctx, referral.by, report, parent=earlier)
    link(ctx, earlier, case, referral.by, referral.relations)
    return case

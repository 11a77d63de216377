"""Opening a disciplinary case: from an investigation's referral, or by HR
directly with a recorded reason. Employees only: volunteers and trustees
have procedures of their own. The employee's live warnings at that moment
are recorded on the case."""

from __future__ import annotations

from dataclasses import dataclass, field

from models import Case, Evidence, PersonType, User
from workflows.engine import workdays
from workflows.engine.casefile import copy_interview_notes
from workflows.engine.cases import link, open_case
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import attach_evidence
from workflows.engine.signals import Referral, referral_made

from . import warning_register as register
from .vocabulary import RULES

KIND = "disciplinary"
CARRIED = (
    "facts_found",
    "clauses_breached",
    "recommendation",
    "mitigation",
    "account_statement",
    # A precautionary suspension still in force stays under review here.
    "suspension_live",
    "suspended_since",
    "suspension_reason",
)
START_DATA = (
    "reason",
    "opened_from",
    "allegation",
    *CARRIED,
    "alleged_gross_misconduct",
    "live_warnings",
    "has_live_final_warning",
    "dismissal_possible",
    *RULES.as_start_data(),
)


@dataclass
class DisciplinaryOpening:
    subject: User
    clauses: list[str]
    allegation: str
    reason: str  # why the procedure starts (HR's words, or the referral's)
    alleged_gross_misconduct: bool = False
    findings: dict = field(default_factory=dict)  # carried from an investigation: the names in CARRIED
    evidence: list[Evidence] = field(default_factory=list)
    investigator: User | None = None
    reporter: User | None = None


def open_disciplinary(ctx: Context, hr_user: User, opening: DisciplinaryOpening, parent: Case | None = None) -> Case:
    subject = opening.subject
    if subject.person_type != PersonType.EMPLOYEE:
        raise InvalidInput(
            f"{subject.name} is a {subject.person_type}: the disciplinary procedure is for employees only.", "subject"
        )
    if subject.id == hr_user.id:
        raise InvalidInput("You cannot open a case about yourself; ask another HR officer.", "subject")
    if not opening.reason.strip():
        raise InvalidInput("Record why the disciplinary procedure is starting.", "reason")
    live = register.live_warnings(ctx.db, subject, workdays.today())
    has_final = any(w.level == "final_written" for w in live)
    start_data = {
        "reason": opening.reason.strip(),
        "opened_from": parent.reference if parent else None,
        "allegation": opening.allegation.strip(),
        **{name: opening.findings.get(name) for name in CARRIED},
        "alleged_gross_misconduct": opening.alleged_gross_misconduct,
        "live_warnings": register.snapshot(live),
        "has_live_final_warning": has_final,
        "dismissal_possible": opening.alleged_gross_misconduct or has_final,
        **RULES.as_start_data(),
    }
    parties = {"HR": hr_user, "Subject": subject}
    for role, person in (("Investigating officer", opening.investigator), ("Reporter", opening.reporter)):
        if person is not None and person.id != subject.id:
            parties[role] = person
    case = open_case(
        ctx,
        KIND,
        parent=parent,
        title=f"Disciplinary: {subject.name}",
        subject=subject,
        opened_by=hr_user,
        clauses=opening.clauses,
        parties=parties,
        start_data=start_data,
    )
    attach_evidence(ctx, case, hr_user, opening.evidence)
    return case


@referral_made.connect_via(KIND)
def open_on_referral(_kind, *, ctx: Context, referral: Referral) -> Case:
    """An investigation referred its subject: open the case linked both
    ways, with the findings, the evidence and the statements."""
    earlier = referral.from_case
    investigator = next((p.user for p in earlier.parties if p.role == "Investigator"), None)
    findings = referral.details
    opening = DisciplinaryOpening(
        subject=earlier.subject,
        clauses=findings.get("clauses_breached") or referral.clauses,
        allegation=referral.description,
        reason=f"Referred by the investigation {earlier.reference}.",
        alleged_gross_misconduct=findings.get("recommendation") == "potential_gross_misconduct",
        findings=findings,
        evidence=referral.evidence,
        investigator=investigator,
        reporter=referral.reported_by,
    )
    case = open_disciplinary(ctx, referral.by, opening, parent=earlier)
    copy_interview_notes(ctx, earlier, case, referral.by)
    link(ctx, earlier, case, referral.by, referral.relations)
    return case

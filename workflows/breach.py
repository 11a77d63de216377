"""Breach investigations (DOMAIN.md, "Breach investigation"): opening a case,
the triage rules for choosing an investigator, and the link from a takedown."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Case, Evidence, Role, User

from . import audit, queries
from .audit import Actor, PendingEvent
from .cases import open_case
from .context import Context
from .errors import InvalidInput
from .evidence import attach_evidence

PROCESS_ID = "breach_investigation"
SOURCES = {
    "manager_report": "Report from a manager",
    "monitoring": "Social media monitoring [SMP-6]",
    "takedown_escalation": "Escalated takedown request",
    "public_complaint": "Complaint from a member of the public",
}
SEVERITIES = {
    "low": "Low", "moderate": "Moderate", "serious": "Serious",
    "potential_gross_misconduct": "Potential gross misconduct [SMP-7.2]",
}


@dataclass
class BreachReport:
    subject: User
    source: str
    clauses: list[str]
    description: str
    reported_by: User | None = None
    evidence: list[Evidence] = field(default_factory=list)


def open_breach(ctx: Context, hr_user: User, report: BreachReport, parent: Case | None = None) -> Case:
    if report.subject.id == hr_user.id:
        raise InvalidInput("You cannot open a case about yourself; ask another HR officer.", "subject")
    if report.source not in SOURCES:
        raise InvalidInput("Choose how the matter came to light.", "source")
    parties = {"HR": hr_user, "Subject": report.subject}
    if report.reported_by and report.reported_by.id != report.subject.id:
        parties["Reporter"] = report.reported_by
    start_data = {"source": report.source, "clauses": report.clauses, "description": report.description,
                  "subject_person_type": report.subject.person_type,
                  "reported_by_id": report.reported_by.id if report.reported_by else None,
                  "linked_takedown": parent.reference if parent else None}
    case = open_case(ctx, process_id=PROCESS_ID, prefix="BI", parent=parent,
                     title=f"Possible breach by {report.subject.name}", subject=report.subject,
                     opened_by=hr_user, clauses=report.clauses, parties=parties,
                     start_data=start_data, opening_data=start_data)
    attach_evidence(ctx, case, hr_user, report.evidence)
    return case


def open_from_takedown(ctx: Context, takedown: Case, hr_user: User) -> Case:
    """HR chose to investigate an escalated takedown: open the linked case,
    pre-filled with the takedown's clauses and evidence."""
    data = queries.case_data(takedown)
    requester = next((p.user for p in takedown.parties if p.role == "Requester"), takedown.opened_by)
    copies = [Evidence(kind=e.kind, sha256=e.sha256, filename=e.filename, content_type=e.content_type,
                       size=e.size, url=e.url, description=f"From takedown {takedown.reference}",
                       shared_with_subject=True, captured_at=e.captured_at,
                       added_by_id=e.added_by_id, added_at=e.added_at)
              for e in queries.case_evidence(ctx.db, takedown)]
    copies += [Evidence(kind="url", url=url, description="Content named in the takedown request",
                        shared_with_subject=True, added_by_id=requester.id, added_at=takedown.opened_at)
               for url in data.get("urls", [])]
    description = (f"Escalated from takedown request {takedown.reference} "
                   f"({data.get('escalation_reason', 'escalated')}). Reasons given: {data.get('reasons', '')}")
    report = BreachReport(subject=takedown.subject, source="takedown_escalation",
                          clauses=sorted(set(takedown.clauses) | {"SMP-5.8"}),
                          description=description, reported_by=requester, evidence=copies)
    case = open_breach(ctx, hr_user, report, parent=takedown)
    actor = Actor.person(hr_user)
    audit.append(ctx.db, takedown.id, [PendingEvent("case_linked", actor, {
        "linked_case": case.reference, "relation": "investigation opened from this takedown"})])
    audit.append(ctx.db, case.id, [PendingEvent("case_linked", actor, {
        "linked_case": takedown.reference, "relation": "opened from this escalated takedown"})])
    return case


def investigator_choices(ctx: Context, case: Case) -> list[User]:
    """HR users and managers who may investigate: never the subject or the reporter."""
    excluded = {case.subject_id} | {p.user_id for p in case.parties if p.role == "Reporter"}
    people = ctx.db.scalars(select(User).where(User.active.is_(True)).order_by(User.name)
                            .options(selectinload(User.role_rows)))
    return [u for u in people if u.id not in excluded and u.has_role(Role.HR, Role.MANAGER)]


def check_triage(ctx: Context, case: Case, user: User, data: dict) -> dict[str, User]:
    """Refuse an investigator who may not act; name the one chosen."""
    investigator = ctx.db.get(User, int(data.get("investigator_id") or 0))
    if investigator is None or investigator not in investigator_choices(ctx, case):
        raise InvalidInput("Choose an HR officer or manager who is neither the subject "
                           "nor the person who reported it.", "investigator_id")
    manages = case.subject.line_manager_id == investigator.id
    data["investigator_manages_subject"] = manages
    if manages and not (data.get("manager_conflict_reason") or "").strip():
        raise InvalidInput(f"{investigator.name} is {case.subject.name}'s line manager. Choose someone "
                           "else, or record why they should investigate.", "manager_conflict_reason")
    data["investigator_name"] = investigator.name
    return {"Investigator": investigator}


def after_escalation_decision(ctx: Context, takedown: Case, user: User, data: dict) -> None:
    if data.get("escalation_decision") == "open_investigation":
        open_from_takedown(ctx, takedown, user)

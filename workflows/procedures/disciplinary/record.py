"""What the decision-maker and a tribunal read at a glance: the procedure's
checklist, and the outcomes of earlier cases on the same clauses."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from models import Case
from workflows.engine import queries

from .vocabulary import SANCTIONS


@dataclass(frozen=True)
class Check:
    label: str
    done: bool
    detail: str = ""


def checklist(data: dict) -> list[Check]:
    appealable = data.get("sanction") not in (None, "no_action")
    return [
        Check(
            "Hearing officer appointed", bool(data.get("hearing_officer_name")), data.get("hearing_officer_name", "")
        ),
        Check(
            "Invitation letter issued",
            bool(data.get("invitation_issued_at")),
            data.get("invitation_issued_at", "")[:10],
        ),
        Check(
            "Notice given",
            bool(data.get("notice_respected")),
            f"{data.get('notice_days')} working days" if data.get("notice_respected") else "",
        ),
        Check("Right to be accompanied offered", bool(data.get("invitation_issued_at")), "in the invitation letter"),
        Check(
            "Hearing held",
            bool(data.get("hearing_held_on") or data.get("proceeded_on_evidence")),
            data.get("hearing_held_on")
            or ("decided on the evidence after non-attendance" if data.get("proceeded_on_evidence") else ""),
        ),
        Check("Proportionality recorded", bool(data.get("targets_manner") and data.get("proportionality_reasons"))),
        Check("Decision in writing", bool(data.get("decided_on")), data.get("decided_on") or ""),
        Check(
            "Appeal offered",
            bool(data.get("appeal_deadline_on")) and appealable,
            f"until {data['appeal_deadline_on']}" if data.get("appeal_deadline_on") and appealable else "",
        ),
    ]


def outcome(data: dict) -> str:
    """The case's outcome as HR reads it: the decision, and what an appeal
    changed it to ('' before a decision)."""
    first, final = data.get("sanction"), data.get("final_sanction")
    if not first:
        return ""
    if final and final != first:
        return f"{SANCTIONS[first]}; on appeal: {SANCTIONS[final]}"
    return SANCTIONS[first]


@dataclass(frozen=True)
class EarlierOutcome:
    reference: str
    clauses: list[str]
    finding: str
    sanction: str
    decided_on: str


def earlier_outcomes(db: Session, case: Case, limit: int = 20) -> list[EarlierOutcome]:
    """Decided disciplinary cases sharing a clause with this one, newest first
    (like cases treated alike). Their subjects are not named: only what was decided."""
    others = db.scalars(
        select(Case)
        .where(Case.kind == case.kind, Case.id != case.id, Case.status != "open")
        .options(undefer(Case.state))
        .order_by(Case.id.desc())
        .limit(200)
    )
    found = []
    for other in others:
        data = queries.case_data(other)
        shared = sorted(set(data.get("clauses_found") or other.clauses) & set(case.clauses))
        if shared and data.get("sanction"):
            final = data.get("final_sanction") or data["sanction"]
            found.append(
                EarlierOutcome(
                    other.reference,
                    shared,
                    data.get("misconduct_found", ""),
                    SANCTIONS.get(final, final),
                    data.get("decided_on", ""),
                )
            )
    return found[:limit]

"""The disciplinary procedure's steps, by the form names its diagram uses,
and what its letters are told."""

from __future__ import annotations

from datetime import date, datetime

from workflows.engine import queries, workdays
from workflows.engine.outbox import format_london
from workflows.engine.registry import Step
from workflows.engine.stepdata import StepData, person, text

from . import appointments, decision, hearing
from . import warning_register as register
from .vocabulary import APPEAL_OUTCOMES, COMPANIONS, SANCTIONS, WARNINGS


class HearingOfficer(StepData):
    hearing_officer_id = person("Choose a hearing officer.")
    conflict_reason = text(4000)


class AppealOfficer(StepData):
    appeal_officer_id = person("Choose an appeal officer.")
    seniority_reason = text(4000)


STEPS = {
    "appoint_hearing_officer": Step(
        HearingOfficer,
        check=appointments.check_hearing_officer,
        derives=("hearing_officer_name", "hearing_officer_may_dismiss"),
    ),
    "hearing_invitation": Step(
        hearing.Invitation,
        check=hearing.check_invitation,
        derives=("earliest_hearing_on", "notice_respected", "invitation_issued_at", "consequences"),
    ),
    "companion": Step(hearing.Companion, check=hearing.check_companion, derives=("postponement_asked",)),
    "postponement_decision": Step(hearing.PostponementDecision),
    "hearing_record": Step(hearing.HearingRecord, check=hearing.check_hearing, derives=("hearing_held_on",)),
    "non_attendance_decision": Step(hearing.NonAttendanceDecision),
    "disciplinary_decision": Step(
        decision.Decision,
        check=decision.check_decision,
        derives=(
            "decided_on",
            "decided_by_name",
            "warning_expires_on",
            "appeal_deadline_at",
            "appeal_deadline_on",
            "appeal_closes_at",
        ),
        follow_up=decision.record_warning,
    ),
    "appeal": Step(decision.Appeal, check=decision.check_appeal, derives=("appeal_late", "appealed_on")),
    "late_appeal_decision": Step(decision.LateAppealDecision),
    "appoint_appeal_officer": Step(
        AppealOfficer, check=appointments.check_appeal_officer, derives=("appeal_officer_name",)
    ),
    "appeal_invitation": Step(
        hearing.AppealInvitation, check=hearing.check_appeal_invitation, derives=("appeal_invitation_issued_at",)
    ),
    "appeal_companion": Step(hearing.AppealCompanion),
    "appeal_hearing": Step(
        decision.AppealHearing,
        check=decision.check_appeal_hearing,
        derives=("final_sanction", "reinstated", "appeal_decided_on"),
        follow_up=decision.apply_appeal,
    ),
}


def long_date(value: str | date) -> str:
    return workdays.long_date(date.fromisoformat(value) if isinstance(value, str) else value)


def moment(value: str | datetime) -> str:
    return format_london(value)


def letter_context(db, case, kind: str, data: dict) -> dict:
    final = data.get("final_sanction")
    expiry_of_final = None
    if final in WARNINGS and data.get("decided_on"):
        months = data["first_warning_months" if final == "first_written" else "final_warning_months"]
        expiry_of_final = register.expiry(date.fromisoformat(data["decided_on"]), months)
    return {
        "moment": moment,
        "long_date": long_date,
        "sanctions": SANCTIONS,
        "appeal_outcomes": APPEAL_OUTCOMES,
        "companions": COMPANIONS,
        "expiry_of_final": expiry_of_final,
        "evidence": queries.case_evidence(db, case),
        "notes": queries.interview_notes(db, case),
    }

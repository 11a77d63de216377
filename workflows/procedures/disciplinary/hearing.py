"""The hearing's steps: the invitation (with its notice), the companion and
another time, the hearing itself and what follows a non-attendance. The same
invitation and companion rights apply to the appeal hearing."""

from __future__ import annotations

from datetime import datetime

from workflows.engine import clock, queries, workdays
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.outbox import format_london
from workflows.engine.registry import Derived
from workflows.engine.stepdata import StepData, choice, flag, moment, optional_flag, text

from .vocabulary import ATTENDANCE, COMPANIONS, NAMED_COMPANIONS, NON_ATTENDANCE


class Invitation(StepData):
    hearing_at = moment("Give the date and time of the hearing.")
    place = text(500, required="Say where the hearing will be held (or how to join it).")
    invitation_message = text(4000)


class AppealInvitation(StepData):
    appeal_hearing_at = moment("Give the date and time of the appeal hearing.")
    appeal_place = text(500, required="Say where the appeal hearing will be held (or how to join it).")
    appeal_message = text(4000)


class Companion(StepData):
    companion_choice = choice(COMPANIONS, "Say whether someone will come with you.")
    companion_name = text(200)
    companion_unavailable = optional_flag()
    proposed_at = moment("Give the new date and time as day, month, year and time.", required=False)
    required_when = {
        "companion_name": ("companion_choice", NAMED_COMPANIONS, "Give your companion's name."),
        "proposed_at": ("companion_unavailable", (True,), "Propose another time your companion can attend."),
    }
    derived = ("postponement_asked",)


class AppealCompanion(StepData):
    appeal_companion_choice = choice(COMPANIONS, "Say whether someone will come with you.")
    appeal_companion_name = text(200)
    required_when = {
        "appeal_companion_name": ("appeal_companion_choice", NAMED_COMPANIONS, "Give your companion's name.")
    }


class PostponementDecision(StepData):
    postponement_granted = flag("Say whether the new time is granted.")
    postponement_reasons = text(4000, required=True, min_length=10)


class HearingRecord(StepData):
    attendance = choice(ATTENDANCE, "Say whether the hearing took place.")
    hearing_notes = text(40000)
    employee_response = text(20000)
    evidence_presented = text(8000)
    witnesses = text(2000)
    absence_reason = text(4000)
    new_evidence = optional_flag()
    new_evidence_summary = text(8000)
    required_when = {
        "hearing_notes": ("attendance", ("attended",), "Record the notes of the hearing."),
        "employee_response": ("attendance", ("attended",), "Record the employee's response."),
        "absence_reason": ("attendance", ("absent_good_reason",), "Record the reason given for not attending."),
        "new_evidence_summary": ("new_evidence", (True,), "Say what the new evidence is: it will be disclosed."),
    }


class NonAttendanceDecision(StepData):
    non_attendance_decision = choice(NON_ATTENDANCE, "Choose what happens next.")
    non_attendance_reasons = text(4000, required=True, min_length=10)


def on_notice(known: dict, field: str, at_iso: str) -> dict:
    """Refuse a hearing inside the notice period, naming the earliest day."""
    earliest = workdays.add_working_days(workdays.today(), known["notice_days"])
    day = clock.london(datetime.fromisoformat(at_iso)).date()
    if day < earliest:
        raise InvalidInput(
            f"With {known['notice_days']} working days' notice, the hearing can be on "
            f"{workdays.long_date(earliest)} at the earliest (weekends and bank holidays in England and Wales "
            "do not count).",
            field,
        )
    return {"earliest_hearing_on": earliest.isoformat(), "notice_respected": True}


def consequences(known: dict) -> str:
    if known.get("alleged_gross_misconduct"):
        return (
            "If the allegation is upheld it may be treated as gross misconduct [SMP-7.2], and the outcome "
            "could be your dismissal without notice (summary dismissal)."
        )
    if known.get("has_live_final_warning"):
        return (
            "You have a live final written warning, so if the allegation is upheld the outcome could be "
            "your dismissal with notice."
        )
    return "If the allegation is upheld, the outcome could be a first or a final written warning."


def check_invitation(ctx: Context, case, user, data: dict) -> Derived:
    known = queries.case_data(case)
    return Derived(
        data={
            **on_notice(known, "hearing_at", data["hearing_at"]),
            "invitation_issued_at": clock.now().isoformat(),
            "consequences": consequences(known),
        }
    )


def check_appeal_invitation(ctx: Context, case, user, data: dict) -> Derived:
    known = queries.case_data(case)
    on_notice(known, "appeal_hearing_at", data["appeal_hearing_at"])
    return Derived(data={"appeal_invitation_issued_at": clock.now().isoformat()})


def check_companion(ctx: Context, case, user, data: dict) -> Derived:
    """A new time for a companion who cannot come is within the window
    after the date first set (docs/domain.md, "The companion")."""
    asked = bool(data["companion_unavailable"] and data["proposed_at"])
    if asked:
        known = queries.case_data(case)
        first = clock.london(datetime.fromisoformat(known["hearing_at"])).date()
        latest = workdays.add_working_days(first, known["postpone_days"])
        proposed = datetime.fromisoformat(data["proposed_at"])
        if proposed <= clock.now() or clock.london(proposed).date() > latest:
            raise InvalidInput(
                f"Propose a time from now until {workdays.long_date(latest)}: within "
                f"{known['postpone_days']} working days after the date set.",
                "proposed_at",
            )
    return Derived(data={"postponement_asked": asked})


def not_before(at_iso: str, what: str, field: str) -> None:
    """A hearing is recorded once its time has come, not before."""
    at = datetime.fromisoformat(at_iso)
    if clock.now() < at:
        raise InvalidInput(f"The {what} is on {format_london(at)} (UK time): record it once it has taken place.", field)


def check_hearing(ctx: Context, case, user, data: dict) -> Derived:
    not_before(queries.case_data(case)["hearing_at"], "hearing", "attendance")
    held = data["attendance"] == "attended"
    return Derived(data={"hearing_held_on": workdays.today().isoformat() if held else None})

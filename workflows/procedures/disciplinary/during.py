"""What happens to the employee during the procedure, at any step: a
grievance, a resignation, a sickness absence, a request for written reasons
for a dismissal (docs/domain.md, items 11 and 12).

HR records each from the case page (`workflows.engine.events.record`); the
diagram takes it on a branch of its own beside the main line (the elements
named `During_...`), where HR's decision about it waits. A postponement for
sickness reaches back into the main line as a signal, which moves the hearing.
"""

from __future__ import annotations

from datetime import date

from SpiffWorkflow.util.task import TaskState as SpiffState

from models import Role, TaskState
from workflows.engine import queries, workdays
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.registry import Derived, Recording, Step
from workflows.engine.stepdata import StepData, choice, day, flag, moment, text

from .hearing import on_notice
from .vocabulary import DISMISSALS, GRIEVANCE_HANDLING, RESIGNATION_CHOICES, SUSPENSION_DECISIONS

SIDE = "During_"  # the ids of the side branches' elements
HEARING_STEPS = ("UserTask_Companion", "UserTask_Hearing")  # where a postponement for sickness is caught


# --- what HR records --------------------------------------------------------


class Grievance(StepData):
    grievance_raised_on = day("Give the date the grievance was raised.")
    grievance_summary = text(8000, required="Say what the grievance is about.", min_length=10)


class Resignation(StepData):
    resigned_on = day("Give the date the employee resigned.")
    employment_ends_on = day("Give the date the employment ends.")
    resignation_notes = text(4000)


class Sickness(StepData):
    sick_from = day("Give the first day of the sickness absence.")
    fit_note_until = day("Give a valid date, or leave it blank.", required=False)
    sickness_notes = text(4000)


class WrittenReasonsRequest(StepData):
    written_reasons_requested_on = day("Give the date the request was received.")
    written_reasons_request = text(4000)


def _not_after_today(value: str, field: str, what: str) -> None:
    if date.fromisoformat(value) > workdays.today():
        raise InvalidInput(f"{what} cannot be in the future.", field)


def check_grievance(ctx: Context, case, user, data: dict) -> Derived:
    _not_after_today(data["grievance_raised_on"], "grievance_raised_on", "The date the grievance was raised")
    return Derived()


def check_resignation(ctx: Context, case, user, data: dict) -> Derived:
    _not_after_today(data["resigned_on"], "resigned_on", "The date of the resignation")
    if data["employment_ends_on"] < data["resigned_on"]:
        raise InvalidInput("The employment cannot end before the resignation.", "employment_ends_on")
    return Derived()


def check_sickness(ctx: Context, case, user, data: dict) -> Derived:
    _not_after_today(data["sick_from"], "sick_from", "The first day of the absence")
    if data["fit_note_until"] and data["fit_note_until"] < data["sick_from"]:
        raise InvalidInput("The fit note cannot end before the absence starts.", "fit_note_until")
    return Derived()


def check_written_reasons_request(ctx: Context, case, user, data: dict) -> Derived:
    """Written reasons are owed for a dismissal, from its decision on."""
    known = queries.case_data(case)
    standing = known.get("final_sanction") or known.get("sanction")
    if standing not in DISMISSALS:
        raise InvalidInput(
            "Written reasons are owed for a dismissal, and this case has no dismissal decided.",
            "written_reasons_requested_on",
        )
    requested = data["written_reasons_requested_on"]
    _not_after_today(requested, "written_reasons_requested_on", "The date of the request")
    if requested < known["decided_on"]:
        raise InvalidInput(
            f"The dismissal was decided on {workdays.long_date(date.fromisoformat(known['decided_on']))}: "
            "a request cannot come before it.",
            "written_reasons_requested_on",
        )
    return Derived()


RECORDINGS = {
    "grievance_raised": Recording("a grievance", Grievance, (Role.HR,), check_grievance),
    "resignation_given": Recording("a resignation", Resignation, (Role.HR,), check_resignation),
    "sickness_reported": Recording("a sickness absence", Sickness, (Role.HR,), check_sickness),
    "written_reasons_requested": Recording(
        "a request for written reasons", WrittenReasonsRequest, (Role.HR,), check_written_reasons_request
    ),
}


# --- HR's decisions about them ----------------------------------------------


class GrievanceDecision(StepData):
    grievance_handling = choice(GRIEVANCE_HANDLING, "Choose how the grievance will be handled.")
    grievance_reasons = text(4000, required=True, min_length=10)


class GrievanceResume(StepData):
    grievance_outcome = text(8000, required="Say how the grievance was resolved.", min_length=10)


class ResignationDecision(StepData):
    resignation_choice = choice(RESIGNATION_CHOICES, "Choose whether the procedure continues.")
    resignation_reasons = text(4000, required=True, min_length=10)


class SicknessDecision(StepData):
    sickness_postpone = flag("Say whether the hearing is postponed.")
    sickness_hearing_at = moment("Give the new date and time as day, month, year and time.", required=False)
    sickness_reasons = text(4000, required=True, min_length=10)
    required_when = {
        "sickness_hearing_at": ("sickness_postpone", (True,), "Give the new date and time of the hearing.")
    }


class WrittenReasons(StepData):
    written_reasons = text(20000, required="Write the reasons for the dismissal.", min_length=20)


def check_sickness_decision(ctx: Context, case, user, data: dict) -> Derived:
    """A postponement moves a hearing still to be held, to a date that gives
    the notice an invitation must (the hearing-time timer follows it)."""
    if not data["sickness_postpone"]:
        return Derived()
    waiting = {row.bpmn_id for row in case.ready_tasks if row.state == TaskState.READY}
    if "UserTask_DecidePostponement" in waiting:
        raise InvalidInput(
            "Decide on the employee's request for another time first: the hearing's date is waiting on it.",
            "sickness_postpone",
        )
    if not waiting & set(HEARING_STEPS):
        raise InvalidInput(
            "There is no hearing waiting to be held (none arranged yet, or it has taken place), so there is "
            "nothing to postpone. Record the decision without postponing.",
            "sickness_postpone",
        )
    on_notice(queries.case_data(case), "sickness_hearing_at", data["sickness_hearing_at"])
    return Derived()


class SuspensionReview(StepData):
    """A suspension carried over from the investigation, reviewed while the
    procedure runs; the outcome letter ends it if HR has not lifted it."""

    suspension_decision = choice(SUSPENSION_DECISIONS, "Choose a decision.")
    suspension_review_reasons = text(4000, required=True, min_length=10)


STEPS = {
    "suspension_review": Step(SuspensionReview),
    "grievance_decision": Step(GrievanceDecision),
    "grievance_resume": Step(GrievanceResume),
    "resignation_decision": Step(ResignationDecision),
    "sickness_decision": Step(SicknessDecision, check=check_sickness_decision),
    "written_reasons": Step(WrittenReasons),
}


# --- which data is the case's now --------------------------------------------

_SETTLED = (SpiffState.COMPLETED, SpiffState.READY)


def current_data(case) -> dict:
    """The main line's data: that of its latest step done or waiting. A side
    branch carries a copy of the case's data as it was when the event was
    recorded, so the last task run (often a side branch's) may be out of date."""
    tasks = case.state.get("tasks", {})
    latest, when = None, -1.0
    for key, task in tasks.items():
        main_line = not task.get("task_spec", "").startswith(SIDE)
        if main_line and task.get("state") in _SETTLED and task.get("last_state_change", 0) >= when:
            latest, when = key, task.get("last_state_change", 0)
    return queries.replay(case, latest or case.state.get("last_task"))

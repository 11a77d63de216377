"""Pages for what happens to the employee during the procedure: HR records
a grievance, a resignation, a sickness absence or a request for written
reasons from the case page, and decides about each in a step of its own
(workflows/procedures/disciplinary/during.py)."""

from __future__ import annotations

from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SubmitField, TextAreaField
from wtforms.validators import Optional

from workflows.procedures.disciplinary.opening import KIND
from workflows.procedures.disciplinary.vocabulary import GRIEVANCE_HANDLING, RESIGNATION_CHOICES, SUSPENSION_DECISIONS

from ...forms import TaskForm, answer
from ..recording import Recordable, offered, record_page
from . import bp
from .forms import YES_NO, when


def day(label: str) -> DateField:
    """A date; a blank or unreadable one is the contract's to judge."""
    return DateField(label, validators=[Optional()])


# --- what HR records --------------------------------------------------------


class GrievanceForm(FlaskForm):
    grievance_raised_on = day("Date the grievance was raised")
    grievance_summary = TextAreaField("What the grievance is about", render_kw={"rows": 5})
    submit = SubmitField("Record the grievance")


class ResignationForm(FlaskForm):
    resigned_on = day("Date the employee resigned")
    employment_ends_on = day("Date the employment ends")
    resignation_notes = TextAreaField("Notes (optional)")
    submit = SubmitField("Record the resignation")


class SicknessForm(FlaskForm):
    sick_from = day("First day of the absence")
    fit_note_until = day("Fit note until (optional)")
    sickness_notes = TextAreaField("Notes (optional; keep health details to what the decision needs)")
    submit = SubmitField("Record the sickness absence")


class WrittenReasonsRequestForm(FlaskForm):
    written_reasons_requested_on = day("Date the request was received")
    written_reasons_request = TextAreaField("The request, as made (optional)")
    submit = SubmitField("Record the request")


def _then(heading: str):
    return lambda case: f"{heading[len('Record ') :].capitalize()} recorded. HR's decision about it is in HR's tasks."


# The page's name for each, and what it records.
RECORDABLE = {
    name: Recordable(signal, form, heading, _then(heading))
    for name, (signal, form, heading) in {
        "grievance": ("grievance_raised", GrievanceForm, "Record a grievance"),
        "resignation": ("resignation_given", ResignationForm, "Record a resignation"),
        "sickness": ("sickness_reported", SicknessForm, "Record sickness absence"),
        "written-reasons": (
            "written_reasons_requested",
            WrittenReasonsRequestForm,
            "Record a request for written reasons",
        ),
    }.items()
}


def recordable(case) -> list[tuple[str, str]]:
    return offered(KIND, RECORDABLE, case)


@bp.route("/<reference>/record/<what>", methods=["GET", "POST"])
@login_required
def record_event(reference: str, what: str):
    return record_page(KIND, RECORDABLE, reference, what, "disciplinary/record_event.html")


# --- HR's decisions about them (the steps' forms) ----------------------------

PANEL = "disciplinary/panel_during.html"


class SuspensionReviewForm(TaskForm):
    panel = PANEL
    suspension_decision = answer("Decision", SUSPENSION_DECISIONS)
    suspension_review_reasons = TextAreaField("Reasons (a lifted suspension's go in the letter)", render_kw={"rows": 4})
    submit = SubmitField("Record the review")


class GrievanceDecisionForm(TaskForm):
    panel = PANEL
    grievance_handling = answer("How the grievance will be handled", GRIEVANCE_HANDLING)
    grievance_reasons = TextAreaField("Reasons (these go in the letter)", render_kw={"rows": 5})
    submit = SubmitField("Record the decision")


class GrievanceResumeForm(TaskForm):
    panel = PANEL
    grievance_outcome = TextAreaField("How the grievance was resolved (this goes in the letter)", render_kw={"rows": 5})
    submit = SubmitField("Resume the procedure")


class ResignationDecisionForm(TaskForm):
    panel = PANEL
    resignation_choice = answer("After the resignation", RESIGNATION_CHOICES)
    resignation_reasons = TextAreaField("Reasons (these go in the letter)", render_kw={"rows": 5})
    submit = SubmitField("Record the decision")


class SicknessDecisionForm(TaskForm):
    panel = PANEL
    sickness_postpone = answer("Postpone the hearing?", YES_NO)
    sickness_hearing_at = when("If postponed: the new date and time (UK time)")
    sickness_reasons = TextAreaField("Reasons (these go in the letter)", render_kw={"rows": 4})
    submit = SubmitField("Record the decision")


class WrittenReasonsForm(TaskForm):
    panel = PANEL
    written_reasons = TextAreaField("The reasons for the dismissal (this is the letter)", render_kw={"rows": 10})
    submit = SubmitField("Send the written reasons")


STEP_FORMS = {
    "suspension_review": SuspensionReviewForm,
    "grievance_decision": GrievanceDecisionForm,
    "grievance_resume": GrievanceResumeForm,
    "resignation_decision": ResignationDecisionForm,
    "sickness_decision": SicknessDecisionForm,
    "written_reasons": WrittenReasonsForm,
}

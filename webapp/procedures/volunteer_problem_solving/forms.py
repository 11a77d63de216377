"""Forms for volunteer problem-solving. Step forms carry the fields of their
step's contract (workflows/procedures/volunteer_problem_solving/steps.py),
which checks them."""

from __future__ import annotations

from wtforms import DateTimeLocalField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from workflows.procedures.volunteer_problem_solving import steps
from workflows.procedures.volunteer_problem_solving.vocabulary import OUTCOMES, REVIEW_DECISIONS, REVIEW_REQUEST

from ...forms import TaskForm, answer

PANEL = "volunteer_problem_solving/panel.html"


def _people(people, note=lambda _u: "") -> list[tuple[int, str]]:
    return [(0, "Choose…")] + [(u.id, f"{u.name}{note(u)}") for u in people]


class CoordinatorForm(TaskForm):
    panel = PANEL
    coordinator_id = SelectField("Volunteer coordinator", coerce=int, validate_choice=False)
    submit = SubmitField("Name the coordinator")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        line_manager = case.subject.line_manager_id
        form.coordinator_id.choices = _people(
            steps.coordinator_choices(ctx, case), lambda u: " (line manager)" if u.id == line_manager else ""
        )
        return form


class ArrangeForm(TaskForm):
    panel = PANEL
    conversation_at = DateTimeLocalField(
        "Date and time of the conversation (UK time)", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    place = StringField("Where")
    invitation_message = TextAreaField("A note for the volunteer (optional)")
    submit = SubmitField("Send the invitation")


class ConversationForm(TaskForm):
    panel = PANEL
    supporter = StringField("Friend or supporter who came, if any")
    conversation_notes = TextAreaField("What was talked about", render_kw={"rows": 6})
    outcome = answer("Outcome", OUTCOMES)
    outcome_reasons = TextAreaField("Reasons", description="These go in the letter to the volunteer.")
    new_role = TextAreaField("For a change of role: the new role")
    submit = SubmitField("Record the outcome")


class ReviewRequestForm(TaskForm):
    panel = "volunteer_problem_solving/panel_outcome.html"
    review_choice = answer("Would you like a review?", REVIEW_REQUEST)
    review_grounds = TextAreaField("Why you would like a review")
    submit = SubmitField("Send")


class ReviewerForm(TaskForm):
    panel = PANEL
    reviewer_id = SelectField("Who reviews (the Hub Manager or a trustee)", coerce=int, validate_choice=False)
    submit = SubmitField("Name the reviewer")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.reviewer_id.choices = _people(
            steps.reviewer_choices(ctx, case),
            lambda u: " (trustee)" if u.person_type == "trustee" else " (Hub Manager)",
        )
        return form


class ReviewForm(TaskForm):
    panel = PANEL
    review_decision = answer("Your decision", REVIEW_DECISIONS)
    review_outcome = RadioField(
        "If you change it: the outcome instead", choices=list(OUTCOMES.items()), validate_choice=False
    )
    review_reasons = TextAreaField("Reasons", description="These go in the letter to the volunteer.")
    submit = SubmitField("Record the review")

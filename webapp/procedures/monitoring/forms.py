"""Forms for monitoring findings [SMP-6]. Step forms carry the fields of
their step's contract (workflows/procedures/monitoring/steps.py), which checks them."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from workflows.procedures.monitoring import vocabulary as words

from ...forms import MultiCheckboxField, TaskForm, answer

NOT_REQUIRED = {"render_kw": {}}  # asked only for some decisions: the contract says when


def day(label: str, description: str = "") -> DateField:
    """A date; a blank one is the contract's to judge, an unreadable one the form's."""
    return DateField(label, validators=[Optional()], description=description)


class FindingForm(FlaskForm):
    subject = SelectField("Whose use was monitored", coerce=int, validators=[InputRequired()])
    occasion = RadioField(
        "How it came to light",
        choices=list(words.OCCASIONS.items()),
        validators=[DataRequired("Say whether this was a routine audit or a specific suspicion.")],
    )
    purposes = MultiCheckboxField(
        "Which monitoring purposes it served", validators=[DataRequired("Choose at least one purpose.")]
    )
    found = TextAreaField("What was found", validators=[DataRequired(), Length(min=10, max=8000)])
    submit = SubmitField("Record the finding")

    def __init__(self, people, **kwargs):
        super().__init__(**kwargs)
        self.subject.choices = [(0, "Choose a person…")] + [
            (p.id, f"{p.name} ({p.person_type}{', ' + p.job_title if p.job_title else ''})") for p in people
        ]
        self.purposes.choices = words.purpose_choices()

    def validate_subject(self, field):
        if not field.data:
            raise ValidationError("Choose the person whose use was monitored.")


class FindingDecisionForm(TaskForm):
    panel = "monitoring/panel_finding.html"
    decision = answer("Decision", words.DECISIONS)
    decision_reasons = TextAreaField("Reasons", description="If they are told, the letter gives these reasons.")
    access_action = answer("If restricting: what happens to their access", words.ACCESS_ACTIONS, **NOT_REQUIRED)
    sites = TextAreaField("Which sites (or all internet access)")
    starts_on = day("Restricted from")
    ends_on = day("Restricted until (optional)")
    review_on = day("Review date", "A restriction is always reviewed; it cannot be kept without one.")
    telling = answer("Is the person told in writing?", words.TELLING, **NOT_REQUIRED)
    withholding_reason = TextAreaField(
        "Why telling them would prejudice an investigation",
        description="Reviewed with the restriction; never shown to the person.",
    )
    breach_clauses = MultiCheckboxField("If investigating: the rules the finding may have broken")
    submit = SubmitField("Record the decision")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.breach_clauses.choices = words.breach_choices()
        return form


class RestrictionReviewForm(TaskForm):
    panel = "monitoring/panel_finding.html"
    review_decision = answer("Decision", words.REVIEW_DECISIONS)
    review_reasons = TextAreaField("Reasons", description="If they are told, the letter gives these reasons.")
    sites = TextAreaField("Which sites (or all internet access)")
    ends_on = day("Restricted until (optional)")
    review_on = day("Next review date (if kept)")
    telling = answer("Is the person told in writing?", words.TELLING)
    withholding_reason = TextAreaField(
        "Why telling them would still prejudice an investigation",
        description="Reviewed again at the next review; never shown to the person.",
    )
    submit = SubmitField("Record the review")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        """What is in force now, to keep or change; once told, always told."""
        ends = date.fromisoformat(data["ends_on"]) if data.get("ends_on") else None
        form = cls(data={"sites": data.get("sites", ""), "ends_on": ends}, **kwargs)
        if data.get("person_told"):
            form.telling.choices = [("told", words.TELLING["told"])]
        return form

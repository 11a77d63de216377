"""Forms for takedown requests [SMP-5.8]. Step forms carry the fields of
their step's contract (workflows/procedures/takedown/steps.py), which checks them."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateTimeLocalField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from workflows.engine import clock
from workflows.engine.evidence import is_web_link
from workflows.procedures.takedown import steps
from workflows.procedures.takedown.opening import (
    LONGEST_DEADLINE_HOURS,
    MAX_URLS,
    PLATFORMS,
    REASONS_LENGTH,
    clause_choices,
)

from ...forms import LimitedForm, MultiCheckboxField, NumberField, TaskForm, TextLimit, answer


class TakedownRequestForm(LimitedForm):
    subject = SelectField("Who posted it", coerce=int, validators=[InputRequired()])
    platform = SelectField("Platform", choices=[(p, p) for p in PLATFORMS])
    urls = TextAreaField(
        "Link(s) to the content", validators=[DataRequired(), TextLimit(max=8000)], description="One link per line."
    )
    clauses = MultiCheckboxField(
        "Policy clauses it breaches", validators=[DataRequired(message="Choose at least one clause.")]
    )
    reasons = TextAreaField(
        "Why it must come down", validators=[DataRequired(), TextLimit(min=REASONS_LENGTH[0], max=REASONS_LENGTH[1])]
    )
    deadline_hours = NumberField(
        "Hours to respond",
        default=24,
        validators=[
            InputRequired("Say how many hours they have to respond."),
            NumberRange(min=0.05, max=LONGEST_DEADLINE_HOURS, message="Give between 0.05 and 336 hours (two weeks)."),
        ],
        description="The policy says 'immediately'; 24 hours is the default.",
    )
    evidence = FileField(
        "Screenshot or file of the content, captured before removal",
        validators=[FileRequired("Attach the evidence: without it nothing can be proven later.")],
    )
    captured_at = DateTimeLocalField("When it was captured (UK time)", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    submit = SubmitField("Send takedown request")

    def __init__(self, people, **kwargs):
        super().__init__(**kwargs)
        self.subject.choices = [(0, "Choose a person…")] + [
            (p.id, f"{p.name} ({p.person_type}{', ' + p.job_title if p.job_title else ''})") for p in people
        ]
        self.clauses.choices = clause_choices()

    def validate_subject(self, field):
        if not field.data:
            raise ValidationError("Choose the person who posted the content.")

    def validate_urls(self, field):
        links = self.url_list()
        bad = [u for u in links if not is_web_link(u)]
        if bad:
            raise ValidationError(f"Not a web link: {bad[0]} (links start with https://).")
        if len(links) > MAX_URLS:
            raise ValidationError(f"At most {MAX_URLS} links in one request.")

    def url_list(self) -> list[str]:
        return [line.strip() for line in (self.urls.data or "").splitlines() if line.strip()]

    def captured_utc(self):
        if not self.captured_at.data:
            return clock.now()
        return self.captured_at.data.replace(tzinfo=clock.LONDON).astimezone(clock.now().tzinfo)


class TakedownResponseForm(TaskForm):
    panel = "takedown/panel_notice.html"
    response = answer("Your response", {})
    confirmation = TextAreaField("What you did (optional)")
    dispute_grounds = TextAreaField(
        "Why you dispute or refuse the request",
        description="For example: the post is not yours, or it expresses a belief you are entitled to hold.",
    )
    submit = SubmitField("Send my response")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.response.choices = [(key, steps.RESPONSES[key]) for key in steps.responses_open(data)]
        return form


class TakedownVerificationForm(TaskForm):
    panel = "takedown/panel_request.html"
    verification = answer("Is the content gone?", steps.VERIFICATIONS)
    verification_notes = TextAreaField("Notes (needed if it is still visible)")
    submit = SubmitField("Record verification")


class DisputeReviewForm(TaskForm):
    panel = "takedown/panel_request.html"
    review_decision = answer("Decision", steps.REVIEW_DECISIONS)
    review_reasons = TextAreaField("Reasons")
    proportionality_considered = BooleanField(
        "I have considered whether the request targets an objectionable manner of expression, "
        "and is proportionate (Higgs v Farmor's School [2025] EWCA Civ 109)"
    )
    submit = SubmitField("Record decision")


class EscalationDecisionForm(TaskForm):
    panel = "takedown/panel_request.html"
    escalation_decision = answer("Decision", steps.ESCALATION_DECISIONS)
    escalation_reasons = TextAreaField("Reasons")
    submit = SubmitField("Record decision")

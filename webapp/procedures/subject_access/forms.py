"""Forms for subject access requests. The review form carries the fields of
its step's contract (workflows/procedures/subject_access/steps.py), which checks them."""

from __future__ import annotations

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Optional

from workflows.procedures.subject_access import steps
from workflows.procedures.subject_access.compiling import compile_request
from workflows.procedures.subject_access.opening import ROUTES

from ...forms import LimitedForm, MultiCheckboxField, TaskForm, TextLimit, answer, strip

NOT_IN_SYSTEM = 0


class RequestForm(FlaskForm):
    person = SelectField("Who is asking", coerce=int, validators=[InputRequired()])
    name = StringField("Or, someone not in the system: their name", filters=[strip], validators=[Optional()])
    email = EmailField("Their email address", filters=[strip], validators=[Optional()])
    received_on = DateField(
        "Received on", validators=[Optional()], description="The month to answer runs from this day."
    )
    route = SelectField("How it was made", choices=[("", "Choose…"), *ROUTES.items()])
    submit = SubmitField("Record the request")

    def __init__(self, people, **kwargs):
        super().__init__(**kwargs)
        self.person.choices = [(NOT_IN_SYSTEM, "Someone not in the system (give their name and email)")] + [
            (p.id, f"{p.name} ({p.email})") for p in people
        ]


class AdjustForm(LimitedForm):
    unredact = TextAreaField(
        "Leave these people in the clear (one letter a line, e.g. Person B)",
        filters=[strip],
        validators=[TextLimit(max=2000)],
        description="Only where they consent, or it is reasonable without (e.g. staff acting in their role).",
    )
    redact_also = TextAreaField(
        "Also redact these words (one a line)",
        filters=[strip],
        validators=[TextLimit(max=10000)],
        description="A nickname, a phone number, anything else that identifies someone else.",
    )
    submit = SubmitField("Save the redactions")


class ReviewForm(TaskForm):
    panel = "subject_access/panel_review.html"
    decision = answer("Your decision", steps.DECISIONS)
    extension_reason = TextAreaField(
        "If extending: why it needs longer", description="Recorded, and told to the person."
    )
    exemptions = MultiCheckboxField("Exemptions relied on (if any)", choices=list(steps.EXEMPTIONS.items()))
    exemption_reasons = TextAreaField("How each exemption applies")
    submit = SubmitField("Record the decision")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs) -> ReviewForm:
        form = cls(**kwargs)
        # The preview HR reviews: compiled now, as they last adjusted it (and audited).
        form.compiled = compile_request(ctx, case, current_user._get_current_object()) if ctx is not None else None
        return form

"""A hold's reason is checked by the operation (workflows/engine/holds.py),
which says what is missing beside the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from workflows.engine.holds import REASON_LIMIT

from ..forms import TextLimit


class Unprefixed(FlaskForm):
    """Several of these share a page, each with its own prefix (so its own
    field ids); the app-wide CSRFProtect checks the one unprefixed token."""

    class Meta:
        csrf = False


class HoldForm(Unprefixed):
    reason = TextAreaField("Why it must be kept", validators=[TextLimit(max=REASON_LIMIT)])
    submit = SubmitField("Set a legal hold")


class PersonHoldForm(HoldForm):
    person = SelectField("Whose cases", coerce=int, validators=[InputRequired("Choose a person.")])
    submit = SubmitField("Hold all their cases")

    def __init__(self, people, **kwargs):
        super().__init__(**kwargs)
        self.person.choices = [(0, "Choose a person…")] + [(p.id, p.name) for p in people]


class LiftForm(Unprefixed):
    reason = TextAreaField("Why it can be lifted", validators=[TextLimit(max=REASON_LIMIT)])
    submit = SubmitField("Lift the hold")

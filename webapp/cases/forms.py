"""The case list's filters, and the forms that add to a case file."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from workflows.engine import registry

from ..forms import LimitedForm, TextLimit, strip, web_link


class CaseFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = SearchField("Search", validators=[Optional(), Length(max=100)])
    status = SelectField("Status", validators=[Optional()])
    kind = SelectField("Kind", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", "Any status")] + [
            (value, status.label) for value, status in registry.all_statuses().items()
        ]
        self.kind.choices = [("", "Any kind")] + [(p.kind, p.label) for p in registry.procedures()]


class EvidenceForm(LimitedForm):
    file = FileField("File (screenshot or PDF)")
    url = URLField("Or a link", filters=[strip], validators=[Optional(), web_link, URL(), TextLimit(max=2048)])
    description = TextAreaField("What it shows", validators=[DataRequired(), TextLimit(max=2000)])
    shared_with_subject = RadioField("Share with the subject?", choices=[("no", "No"), ("yes", "Yes")], default="no")
    submit = SubmitField("Add evidence")


class InterviewForm(LimitedForm):
    witness_id = SelectField(
        "The colleague interviewed",
        coerce=int,
        default=0,
        validate_choice=False,  # the operation checks the person
        description="They join the case as a witness, which shows them nothing of it.",
    )
    witness = StringField(
        "Or someone outside BCW Hub: their name", filters=[strip], validators=[Optional(), TextLimit(max=120)]
    )
    interviewed_on = DateField("Date of the interview", validators=[InputRequired()])
    notes = TextAreaField("Notes", validators=[DataRequired(), TextLimit(max=20000)])
    submit = SubmitField("Add interview notes")

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.witness_id.choices = [(0, "Not a colleague")] + [(p.id, p.name) for p in colleagues]

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

    def __init__(self, *args, own: tuple[set[str], set[str]] | None = None, **kwargs):
        """`own`: only these kinds and statuses (someone with no staff role: their own cases')."""
        super().__init__(*args, **kwargs)
        kinds, statuses = own or (None, None)
        self.status.choices = [("", "Any status")] + [
            (value, status.label)
            for value, status in registry.all_statuses().items()
            if statuses is None or value in statuses
        ]
        self.kind.choices = [("", "Any kind")] + [
            (p.kind, p.label) for p in registry.procedures() if kinds is None or p.kind in kinds
        ]


class EvidenceForm(LimitedForm):
    file = FileField("File (screenshot or PDF)")
    url = URLField("Or a link", filters=[strip], validators=[Optional(), web_link, URL(), TextLimit(max=2048)])
    description = TextAreaField("What it shows", validators=[DataRequired(), TextLimit(max=2000)])
    shared_with_subject = RadioField("Share with the subject?", choices=[("no", "No"), ("yes", "Yes")], default="no")
    submit = SubmitField("Add evidence")


class InterviewForm(LimitedForm):
    witness = StringField("Who was interviewed", validators=[DataRequired(), TextLimit(max=120)])
    interviewed_on = DateField("Date of the interview", validators=[InputRequired()])
    notes = TextAreaField("Notes", validators=[DataRequired(), TextLimit(max=20000)])
    submit = SubmitField("Add interview notes")

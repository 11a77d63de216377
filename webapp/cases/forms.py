"""The case list's filters, and the forms that add to a case file."""

from datetime import date

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
from wtforms.validators import URL, AnyOf, DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from workflows.engine import registry

from ..forms import LimitedForm, TextLimit, strip, web_link


def _a_day(_form, field) -> None:
    try:
        date.fromisoformat(field.data)
    except ValueError:
        raise ValidationError("A date: 2026-05-31.") from None


def _a_measure(_form, field) -> None:
    if registry.measure(field.data) is None:
        raise ValidationError("Not a count the dashboard shows.")


class CaseFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = SearchField("Search", validators=[Optional(), Length(max=100)])
    status = SelectField("Status", validators=[Optional()])
    kind = SelectField("Kind", validators=[Optional()])

    # Narrower filters, each one a dashboard count's (workflows/engine/queries.py NARROWING).
    state = StringField("Open or closed", validators=[Optional(), AnyOf(["open", "closed"])])
    step = StringField("Waiting at", validators=[Optional(), Length(max=200)])
    opened = StringField("Opened in", validators=[Optional(), Regexp(r"^\d{4}-\d{2}$", message="A month: 2026-05.")])
    closed = StringField("Closed in", validators=[Optional(), Regexp(r"^\d{4}-\d{2}$", message="A month: 2026-05.")])
    subject = StringField("Subject", validators=[Optional(), Regexp(r"^\d{1,9}$", message="A person's number.")])
    waiting = StringField(
        "Waiting on", validators=[Optional(), Regexp(r"^(\d{1,9}|pool:[a-z_]{1,20})$", message="A person or pool.")]
    )
    due = StringField("Due", validators=[Optional(), AnyOf(["overdue", "week", "later"])])
    warning = StringField("Live warning", validators=[Optional(), AnyOf(["first_written", "final_written"])])
    clause = StringField(
        "Citing", validators=[Optional(), Regexp(r"^SMP-\d{1,2}(\.\d{1,2}){0,2}$", message="A clause: SMP-5.8.")]
    )
    opened_from = StringField("Opened from", validators=[Optional(), Length(max=10), _a_day])
    opened_to = StringField("Opened to", validators=[Optional(), Length(max=10), _a_day])
    longer_than = StringField(
        "Took longer than (days)",
        validators=[Optional(), Regexp(r"^\d{1,4}(\.\d{1,2})?$", message="A number of days.")],
    )
    measure = StringField("Counted as", validators=[Optional(), Length(max=100), _a_measure])
    held = StringField("Under a legal hold", validators=[Optional(), AnyOf(["yes"])])
    NARROWERS = ("state", "step", "opened", "closed", "subject", "waiting", "due", "warning")
    NARROWERS += ("clause", "opened_from", "opened_to", "longer_than", "measure", "held")

    def narrowing(self) -> dict[str, str]:
        return {name: getattr(self, name).data for name in self.NARROWERS if getattr(self, name).data}

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


class BundleForm(LimitedForm):
    # Blank is refused by the operation (workflows/engine/bundle.py), beside this field.
    reason = TextAreaField(
        "Why is it exported?",
        description="For example, the tribunal claim and the order it answers. It is recorded with your name.",
        validators=[TextLimit(max=2000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField("Export the bundle (PDF)")

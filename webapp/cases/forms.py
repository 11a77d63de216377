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
from wtforms.validators import URL, AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from workflows.engine import registry

from ..forms import LimitedForm, TextLimit, strip, web_link


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
    due = StringField("Due", validators=[Optional(), AnyOf(["overdue", "week"])])
    warning = StringField("Live warning", validators=[Optional(), AnyOf(["first_written", "final_written"])])
    NARROWERS = ("state", "step", "opened", "closed", "subject", "waiting", "due", "warning")

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

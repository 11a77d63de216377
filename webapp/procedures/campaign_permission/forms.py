"""Forms for campaign permission [SMP-4]. The step forms carry the fields of
their step's contract (workflows/procedures/campaign_permission/steps.py),
which checks them; the request's own checks are the opening operation's."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from workflows.procedures.campaign_permission import vocabulary as words

from ...forms import LimitedForm, MultiCheckboxField, TaskForm, TextLimit, answer, strip

ACCOUNT_CHOICES = list(words.ACCOUNTS.items())


def day(label: str, description: str = "") -> DateField:
    """A date; a blank one is the operation's to refuse (with the range allowed)."""
    return DateField(label, validators=[Optional()], description=description)


def long_text(label: str, description: str = "") -> TextAreaField:
    return TextAreaField(label, filters=[strip], validators=[TextLimit(max=words.MAX_TEXT)], description=description)


class CampaignFields:
    """The campaign, as asked for and as revised: the same names as the data."""

    campaign_name = StringField("Name of the campaign", filters=[strip], validators=[TextLimit(max=words.MAX_NAME)])
    purpose = long_text("What the campaign is for", "SMP-4.2: a purpose for BCW Hub.")
    benefit = long_text("How it benefits BCW Hub and the area we support", "SMP-4.2.")
    accounts = MultiCheckboxField("BCW Hub accounts it uses", choices=ACCOUNT_CHOICES)
    starts_on = day("First day")
    ends_on = day("Last day", "Permission ends with this day, and the case closes.")
    audience = long_text("Who it is for")
    content_plan = long_text("What will be posted, and how often")
    safeguards = long_text(
        "How service users' information is kept safe", "SMP-4.1: the same safeguards as any public communication."
    )


class CampaignForm(CampaignFields, LimitedForm):
    submit = SubmitField("Ask the Hub Manager")


class HubManagerDecisionForm(TaskForm):
    panel = "campaign_permission/panel_request.html"
    campaign_decision = answer("Your answer", words.DECISIONS)
    decision_reasons = TextAreaField("Reasons", description="The person asking is told these.")
    guidelines = TextAreaField(
        "Guidelines the campaign must follow (optional)", description="SMP-4.4: sent with an approval."
    )
    submit = SubmitField("Record the answer")


class RevisionForm(CampaignFields, TaskForm):
    panel = "campaign_permission/panel_request.html"
    revision = answer("What you do now", words.REVISIONS)
    what_changed = TextAreaField("What you changed", description="The Hub Manager sees this first.")
    submit = SubmitField("Send")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        """The request as it stands, to change."""
        filled = {name: data.get(name) for name in words.FIELDS}
        for name in ("starts_on", "ends_on"):
            filled[name] = date.fromisoformat(data[name]) if data.get(name) else None
        return cls(data=filled, **kwargs)


class GrantForm(FlaskForm):
    person = SelectField("Who", coerce=int, validators=[InputRequired()])
    account = SelectField("Which BCW Hub account", choices=[("", "Choose…"), *ACCOUNT_CHOICES])
    until = DateField("Authorised until (the last day)", validators=[Optional()])
    submit = SubmitField("Authorise")

    def __init__(self, people, **kwargs):
        super().__init__(**kwargs)
        self.person.choices = [(0, "Choose a person…")] + [(p.id, p.name) for p in people]

    def validate_person(self, field):
        if not field.data:
            raise ValidationError("Choose who is authorised.")

    def validate_account(self, field):
        if field.data not in words.ACCOUNTS:
            raise ValidationError("Choose one of BCW Hub's accounts.")


class EndForm(FlaskForm):
    reason = TextAreaField("Why it ends", filters=[strip], validators=[TextLimit(max=words.MAX_TEXT)])
    submit = SubmitField("End the authorisation")

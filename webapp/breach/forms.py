"""Forms for breach investigations; field names are the workflow's data."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, IntegerField, RadioField, SelectField, StringField, SubmitField,
                     TextAreaField, URLField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, URL

from workflows import breach, policy
from workflows.breach import SEVERITIES, SOURCES

from ..taskforms import MultiCheckboxField, TaskForm, required_when

YES_NO = [("yes", "Yes"), ("no", "No")]


def clause_choices() -> list[tuple[str, str]]:
    return [(cid, label) for cid, label in policy.rule_choices() if not cid.startswith("SMP-6")]


class BreachOpenForm(FlaskForm):
    subject = SelectField("Who the concern is about", coerce=int, validators=[InputRequired()])
    source = SelectField("How it came to light", choices=list(SOURCES.items()))
    reported_by = SelectField("Reported by (if a colleague)", coerce=int, default=0)
    clauses = MultiCheckboxField("Clauses alleged", validators=[DataRequired("Choose at least one clause.")])
    description = TextAreaField("What is alleged", validators=[DataRequired(), Length(min=20, max=8000)])
    evidence = FileField("Evidence file (optional: screenshot or PDF)")
    evidence_url = URLField("Evidence link (optional)", validators=[Optional(), URL(), Length(max=2048)])
    share_evidence = RadioField("Share this evidence with the person?", default="no",
                                choices=[("no", "Not yet"), ("yes", "Yes: they can see it when asked for their account")])
    submit = SubmitField("Open the case")

    def __init__(self, people, **kwargs):
        super().__init__(**kwargs)
        self.subject.choices = [(0, "Choose a person…")] + [
            (p.id, f"{p.name} ({p.person_type})") for p in people]
        self.reported_by.choices = [(0, "Not a colleague / not recorded")] + [(p.id, p.name) for p in people]
        self.clauses.choices = clause_choices()

    def validate_subject(self, field):
        if not field.data:
            from wtforms.validators import ValidationError
            raise ValidationError("Choose the person the concern is about.")


class BreachTriageForm(TaskForm):
    data_fields = ("severity", "personal_data_published", "suspension_needed", "suspension_reason",
                   "investigator_id", "manager_conflict_reason")
    panel = "breach/panel_case.html"
    severity = RadioField("Severity", choices=list(SEVERITIES.items()),
                          validators=[InputRequired("Choose a severity.")])
    personal_data_published = RadioField(
        "Was personal data about others published? [SMP-5.5]", choices=YES_NO,
        validators=[InputRequired("Say whether personal data was published.")])
    suspension_needed = RadioField("Is a precautionary suspension needed?", choices=YES_NO,
                                   validators=[InputRequired("Say whether a suspension is needed.")])
    suspension_reason = TextAreaField("Why suspension is needed", validators=[
        Length(max=2000), required_when("suspension_needed", ("yes",), "Give the reason for suspension.")],
        description="Only where needed, e.g. to protect evidence or people. It goes in the written notice.")
    investigator_id = SelectField("Investigator", coerce=int, validators=[InputRequired()])
    manager_conflict_reason = TextAreaField(
        "If the investigator manages the subject: why they should investigate", validators=[Length(max=2000)])
    submit = SubmitField("Record triage")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        investigators = breach.investigator_choices(ctx, case)
        form.investigator_id.choices = [(0, "Choose…")] + [
            (u.id, f"{u.name} ({', '.join(sorted(u.roles))})") for u in investigators]
        return form

    def to_data(self) -> dict:
        data = super().to_data()
        data["personal_data_published"] = data["personal_data_published"] == "yes"
        data["suspension_needed"] = data["suspension_needed"] == "yes"
        return data


class DataBreachAssessmentForm(TaskForm):
    data_fields = ("ico_decision", "ico_reasons", "ico_reference")
    panel = "breach/panel_case.html"
    ico_decision = RadioField("Report to the ICO?", choices=[
        ("reported", "Reported to the ICO"),
        ("not_reportable", "Not reportable: unlikely to risk people's rights and freedoms")],
        validators=[InputRequired("Record the decision.")])
    ico_reasons = TextAreaField("Reasons (UK GDPR Art. 33)", validators=[DataRequired(), Length(min=10, max=4000)])
    ico_reference = TextAreaField("ICO reference, if reported", validators=[Length(max=200)])
    submit = SubmitField("Record assessment")


class SuspensionReviewForm(TaskForm):
    data_fields = ("suspension_decision", "suspension_review_reasons")
    panel = "breach/panel_case.html"
    suspension_decision = RadioField("Decision", choices=[
        ("continue", "Continue the suspension (reviewed again in 14 days)"),
        ("lift", "Lift the suspension")], validators=[InputRequired("Choose a decision.")])
    suspension_review_reasons = TextAreaField("Reasons", validators=[DataRequired(), Length(min=10, max=4000)])
    submit = SubmitField("Record review")


class InvestigationInviteForm(TaskForm):
    data_fields = ("account_days", "invitation_message")
    panel = "breach/panel_case.html"
    account_days = IntegerField("Days the subject has to give their account", default=7,
                                validators=[InputRequired(), NumberRange(min=1, max=30)])
    invitation_message = TextAreaField("Message to the subject (optional)", validators=[Length(max=2000)])
    submit = SubmitField("Invite their account")


class SubjectAccountForm(TaskForm):
    data_fields = ("account_choice", "account_statement")
    panel = "breach/panel_account.html"
    account_choice = RadioField("Your account", choices=[
        ("give", "I want to give my account"), ("decline", "I do not wish to comment")],
        validators=[InputRequired("Choose whether you want to give an account.")])
    account_statement = TextAreaField("Your statement", render_kw={"rows": 10}, validators=[
        Length(max=20000), required_when("account_choice", ("give",), "Write your statement.")])
    submit = SubmitField("Send my response")

    def to_data(self) -> dict:
        data = super().to_data()
        data["account_given"] = data["account_choice"] == "give"
        return data


class FindingsForm(TaskForm):
    data_fields = ("facts_found", "clauses_breached", "mitigation", "recommendation")
    panel = "breach/panel_case.html"
    facts_found = TextAreaField("Facts found", validators=[DataRequired(), Length(min=20, max=20000)])
    clauses_breached = MultiCheckboxField("Clauses breached (leave all unticked if none)")
    mitigation = TextAreaField("Mitigation (e.g. content removed promptly, apology)", validators=[Length(max=8000)])
    recommendation = RadioField("Recommendation", choices=[
        ("no_case_to_answer", "No case to answer"), ("informal_action", "Informal action"),
        ("formal_disciplinary", "Formal disciplinary action"),
        ("potential_gross_misconduct", "Potential gross misconduct [SMP-7.2]")],
        validators=[InputRequired("Choose a recommendation.")])
    submit = SubmitField("Record findings")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.clauses_breached.choices = clause_choices()
        return form


class BreachOutcomeForm(TaskForm):
    data_fields = ("outcome", "outcome_reasons", "informal_action")
    panel = "breach/panel_case.html"
    outcome = RadioField("Outcome", choices=[
        ("no_case_to_answer", "Close: no case to answer"),
        ("informal_action", "Close with informal action (advice, training)"),
        ("refer_to_disciplinary", "Refer to the disciplinary procedure")],
        validators=[InputRequired("Choose an outcome.")])
    outcome_reasons = TextAreaField("Reasons (these go in the letter)", validators=[
        DataRequired(), Length(min=10, max=8000)])
    informal_action = TextAreaField("The informal action: advice given, training to complete", validators=[
        Length(max=4000), required_when("outcome", ("informal_action",), "Describe the informal action.")])
    submit = SubmitField("Record outcome")


class EvidenceForm(FlaskForm):
    file = FileField("File (screenshot or PDF)")
    url = URLField("Or a link", validators=[Optional(), URL(), Length(max=2048)])
    description = TextAreaField("What it shows", validators=[DataRequired(), Length(max=2000)])
    shared_with_subject = RadioField("Share with the subject?", choices=[("no", "No"), ("yes", "Yes")],
                                     default="no")
    submit = SubmitField("Add evidence")


class InterviewForm(FlaskForm):
    witness = StringField("Who was interviewed", validators=[DataRequired(), Length(max=120)])
    interviewed_on = DateField("Date of the interview", validators=[InputRequired()])
    notes = TextAreaField("Notes", validators=[DataRequired(), Length(max=20000)])
    submit = SubmitField("Add interview notes")

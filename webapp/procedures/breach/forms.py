"""Forms for breach investigations. Step forms carry the fields of their
step's contract (workflows/procedures/breach/steps.py), which checks them."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Optional, ValidationError

from workflows.procedures.breach import steps
from workflows.procedures.breach.opening import DESCRIPTION_LONGEST
from workflows.procedures.breach.vocabulary import (
    ACCOUNT_CHOICES,
    ICO_DECISIONS,
    OUTCOMES,
    PRECAUTION,
    PRECAUTION_REVIEW,
    RECOMMENDATIONS,
    SEVERITIES,
    SOURCES,
    SUSPENSION_DECISIONS,
    YES_NO,
    alleged_clauses,
    outcomes_for,
)

from ...forms import LimitedForm, MultiCheckboxField, TaskForm, TextLimit, WholeNumberField, answer, strip, web_link


class BreachOpenForm(LimitedForm):
    subject = SelectField("Who the concern is about", coerce=int, validators=[InputRequired()])
    source = SelectField("How it came to light", choices=list(SOURCES.items()))
    reported_by = SelectField("Reported by (if a colleague)", coerce=int, default=0)
    clauses = MultiCheckboxField("Clauses alleged", validators=[DataRequired("Choose at least one clause.")])
    description = TextAreaField(
        "What is alleged", validators=[DataRequired(), TextLimit(min=20, max=DESCRIPTION_LONGEST)]
    )
    evidence = FileField("Evidence file (optional: screenshot or PDF)")
    evidence_url = URLField(
        "Evidence link (optional)", filters=[strip], validators=[Optional(), web_link, URL(), TextLimit(max=2048)]
    )
    share_evidence = RadioField(
        "Share this evidence with the person?",
        default="no",
        choices=[("no", "Not yet"), ("yes", "Yes: they can see it when asked for their account")],
    )
    submit = SubmitField("Open the case")

    def __init__(self, people, **kwargs):
        super().__init__(**kwargs)
        self.subject.choices = [(0, "Choose a person…")] + [(p.id, f"{p.name} ({p.person_type})") for p in people]
        self.reported_by.choices = [(0, "Not a colleague / not recorded")] + [(p.id, p.name) for p in people]
        self.clauses.choices = alleged_clauses()

    def validate_subject(self, field):
        if not field.data:
            raise ValidationError("Choose the person the concern is about.")


class BreachTriageForm(TaskForm):
    panel = "breach/panel_case.html"
    severity = answer("Severity", SEVERITIES)
    personal_data_published = answer("Was personal data about others published? [SMP-5.5]", YES_NO)
    suspension_needed = answer("Is a precautionary suspension needed?", YES_NO)
    suspension_reason = TextAreaField(
        "Why suspension is needed",
        description="Only where needed, e.g. to protect evidence or people. It goes in the written notice.",
    )
    investigator_id = SelectField("Investigator", coerce=int, validate_choice=False)
    manager_conflict_reason = TextAreaField("If the investigator manages the subject: why they should investigate")
    submit = SubmitField("Record triage")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        # The precautionary step in the subject's words: never "suspension" for a trustee.
        form.suspension_needed.label.text, form.suspension_reason.label.text = PRECAUTION[case.subject.person_type]
        investigators = steps.investigator_choices(ctx, case)
        form.investigator_id.choices = [(0, "Choose…")] + [
            (u.id, f"{u.name} ({', '.join(sorted(u.roles))})") for u in investigators
        ]
        return form


class DataBreachAssessmentForm(TaskForm):
    panel = "breach/panel_case.html"
    ico_decision = answer("Report to the ICO?", ICO_DECISIONS)
    ico_reasons = TextAreaField("Reasons (UK GDPR Art. 33)")
    ico_reference = TextAreaField("ICO reference, if reported")
    submit = SubmitField("Record assessment")


class SuspensionReviewForm(TaskForm):
    panel = "breach/panel_case.html"
    suspension_decision = answer("Decision", SUSPENSION_DECISIONS)
    suspension_review_reasons = TextAreaField("Reasons")
    submit = SubmitField("Record review")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.suspension_decision.choices = list(PRECAUTION_REVIEW[case.subject.person_type].items())
        return form


class InvestigationInviteForm(TaskForm):
    panel = "breach/panel_case.html"
    account_days = WholeNumberField("Days the subject has to give their account", default=7)
    invitation_message = TextAreaField("Message to the subject (optional)")
    submit = SubmitField("Invite their account")


class SubjectAccountForm(TaskForm):
    panel = "breach/panel_account.html"
    account_choice = answer("Your account", ACCOUNT_CHOICES)
    account_statement = TextAreaField("Your statement", render_kw={"rows": 10})
    submit = SubmitField("Send my response")


class FindingsForm(TaskForm):
    panel = "breach/panel_case.html"
    facts_found = TextAreaField("Facts found")
    clauses_breached = MultiCheckboxField("Clauses breached (leave all unticked if none)")
    mitigation = TextAreaField("Mitigation (e.g. content removed promptly, apology)")
    recommendation = answer("Recommendation", RECOMMENDATIONS)
    submit = SubmitField("Record findings")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.clauses_breached.choices = alleged_clauses()
        return form


class BreachOutcomeForm(TaskForm):
    panel = "breach/panel_case.html"
    outcome = answer("Outcome", OUTCOMES)
    outcome_reasons = TextAreaField("Reasons (these go in the letter)")
    informal_action = TextAreaField("The informal action: advice given, training to complete")
    investigator_decides_reason = TextAreaField(
        "Only if you investigated this case: why you, and not another HR officer, decide it",
        description="Whoever investigated should not decide the outcome; the reason goes on the audit trail.",
    )
    submit = SubmitField("Record outcome")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        """Each person type's own referral, and no other [SMP-2]."""
        form = cls(**kwargs)
        form.outcome.choices = list(outcomes_for(case.subject.person_type).items())
        return form

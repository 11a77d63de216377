"""Forms for takedown requests [SMP-5.8]; field names are the workflow's data."""
from __future__ import annotations

from datetime import timedelta

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateTimeLocalField, FloatField, RadioField, SelectField,
                     SubmitField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from workflows import clock, policy
from workflows.takedown import PLATFORMS

from ..taskforms import MultiCheckboxField, TaskForm, required_when

MAX_URLS = 20


class TakedownRequestForm(FlaskForm):
    subject = SelectField("Who posted it", coerce=int, validators=[InputRequired()])
    platform = SelectField("Platform", choices=[(p, p) for p in PLATFORMS])
    urls = TextAreaField("Link(s) to the content", validators=[DataRequired(), Length(max=8000)],
                         description="One link per line.")
    clauses = MultiCheckboxField("Policy clauses it breaches", validators=[DataRequired(
        message="Choose at least one clause.")])
    reasons = TextAreaField("Why it must come down", validators=[DataRequired(), Length(min=10, max=4000)])
    deadline_hours = FloatField("Hours to respond", default=24,
                                validators=[InputRequired(), NumberRange(min=0.05, max=336)],
                                description="The policy says 'immediately'; 24 hours is the default.")
    evidence = FileField("Screenshot or file of the content, captured before removal",
                         validators=[FileRequired("Attach the evidence: without it nothing can be proven later.")])
    captured_at = DateTimeLocalField("When it was captured (UK time)", format="%Y-%m-%dT%H:%M",
                                     validators=[Optional()])
    submit = SubmitField("Send takedown request")

    def __init__(self, people, **kwargs):
        super().__init__(**kwargs)
        self.subject.choices = [(0, "Choose a person…")] + [
            (p.id, f"{p.name} ({p.person_type}{', ' + p.job_title if p.job_title else ''})")
            for p in people]
        self.clauses.choices = [(cid, label) for cid, label in policy.rule_choices()
                                if cid.startswith(("SMP-3", "SMP-4", "SMP-5"))]

    def validate_subject(self, field):
        if not field.data:
            raise ValidationError("Choose the person who posted the content.")

    def validate_urls(self, field):
        links = self.url_list()
        bad = [u for u in links if not u.lower().startswith(("http://", "https://")) or " " in u]
        if bad:
            raise ValidationError(f"Not a web link: {bad[0]} (links start with https://).")
        if len(links) > MAX_URLS:
            raise ValidationError(f"At most {MAX_URLS} links in one request.")

    def validate_captured_at(self, field):
        if field.data and self.captured_utc() > clock.now() + timedelta(minutes=5):
            raise ValidationError("The capture time cannot be in the future.")

    def url_list(self) -> list[str]:
        return [line.strip() for line in (self.urls.data or "").splitlines() if line.strip()]

    def captured_utc(self):
        if not self.captured_at.data:
            return clock.now()
        return self.captured_at.data.replace(tzinfo=clock.LONDON).astimezone(clock.now().tzinfo)


class TakedownResponseForm(TaskForm):
    data_fields = ("response", "confirmation", "dispute_grounds")
    panel = "takedown/panel_notice.html"
    response = RadioField("Your response", validators=[InputRequired("Choose your response.")])
    confirmation = TextAreaField("What you did (optional)", validators=[Length(max=2000)])
    dispute_grounds = TextAreaField("Why you dispute or refuse the request", validators=[
        Length(max=4000),
        required_when("response", ("dispute", "refuse"), "Tell us your reasons.")],
        description="For example: the post is not yours, or it expresses a belief you are entitled to hold.")
    submit = SubmitField("Send my response")

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.response.choices = [("removed", "I have removed the content")]
        if data.get("notice_kind") == "final":  # HR has already ruled on any dispute
            form.response.choices.append(("refuse", "I will not remove it"))
        else:
            form.response.choices.append(("dispute", "I dispute this request"))
        return form


class TakedownVerificationForm(TaskForm):
    data_fields = ("verification", "verification_notes")
    panel = "takedown/panel_request.html"
    verification = RadioField("Is the content gone?", choices=[
        ("removed", "Checked: the content has been removed"),
        ("still_visible", "The content is still visible")],
        validators=[InputRequired("Say whether the content is gone.")])
    verification_notes = TextAreaField("Notes (needed if it is still visible)", validators=[
        Length(max=4000),
        required_when("verification", ("still_visible",), "Say where it is still visible.")])
    submit = SubmitField("Record verification")


class DisputeReviewForm(TaskForm):
    data_fields = ("review_decision", "review_reasons", "proportionality_considered")
    panel = "takedown/panel_request.html"
    review_decision = RadioField("Decision", choices=[
        ("withdraw", "Withdraw the request"),
        ("uphold", "Uphold it: send a final notice"),
        ("escalate", "Escalate: decide on a breach investigation")],
        validators=[InputRequired("Choose a decision.")])
    review_reasons = TextAreaField("Reasons", validators=[DataRequired(), Length(min=10, max=4000)])
    proportionality_considered = BooleanField(
        "I have considered whether the request targets an objectionable manner of expression, "
        "and is proportionate (Higgs v Farmor's School [2025] EWCA Civ 109)",
        validators=[DataRequired("Confirm the proportionality assessment.")])
    submit = SubmitField("Record decision")


class EscalationDecisionForm(TaskForm):
    data_fields = ("escalation_decision", "escalation_reasons")
    panel = "takedown/panel_request.html"
    escalation_decision = RadioField("Decision", choices=[
        ("open_investigation", "Open a breach investigation"),
        ("no_further_action", "Close with no further action")],
        validators=[InputRequired("Choose a decision.")])
    escalation_reasons = TextAreaField("Reasons", validators=[DataRequired(), Length(min=10, max=4000)])
    submit = SubmitField("Record decision")

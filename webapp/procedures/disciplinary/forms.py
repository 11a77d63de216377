"""Forms for the disciplinary procedure. Step forms carry the fields of
their step's contract (workflows/procedures/disciplinary/), which checks them."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from workflows import policy
from workflows.procedures.breach.vocabulary import alleged_clauses
from workflows.procedures.disciplinary import appointments
from workflows.procedures.disciplinary.vocabulary import (
    APPEAL_CHOICES,
    APPEAL_OUTCOMES,
    ATTENDANCE,
    COMPANIONS,
    FINDINGS,
    GROSS_MISCONDUCT_CLAUSES,
    NON_ATTENDANCE,
    SANCTIONS,
)

from ...forms import MultiCheckboxField, TaskForm, answer

YES_NO = {"yes": "Yes", "no": "No"}
WHEN = "%Y-%m-%dT%H:%M"


def when(label: str, **kwargs) -> DateTimeLocalField:
    """A UK date and time; a blank one is the contract's to judge."""
    return DateTimeLocalField(label, format=WHEN, validators=[Optional()], **kwargs)


def _people(choices) -> list[tuple[int, str]]:
    return [(0, "Choose…")] + [(u.id, f"{u.name} ({', '.join(sorted(u.roles))})") for u in choices]


class DisciplinaryOpenForm(FlaskForm):
    subject = SelectField("The employee", coerce=int, validators=[InputRequired()])
    clauses = MultiCheckboxField("Clauses alleged", validators=[DataRequired("Choose at least one clause.")])
    allegation = TextAreaField("What is alleged", validators=[DataRequired(), Length(min=20, max=8000)])
    reason = TextAreaField(
        "Why the procedure starts without an investigation's referral",
        validators=[DataRequired(), Length(min=10, max=4000)],
    )
    alleged_gross_misconduct = BooleanField("It may be gross misconduct [SMP-7.2]")
    evidence = FileField("Evidence file (optional: screenshot or PDF)")
    submit = SubmitField("Open the disciplinary case")

    def __init__(self, employees, **kwargs):
        super().__init__(**kwargs)
        self.subject.choices = [(0, "Choose an employee…")] + [(p.id, p.name) for p in employees]
        self.clauses.choices = alleged_clauses()

    def validate_subject(self, field):
        if not field.data:
            raise ValidationError("Choose the employee.")


class HearingOfficerForm(TaskForm):
    panel = "disciplinary/panel_case.html"
    hearing_officer_id = SelectField("Hearing officer", coerce=int, validate_choice=False)
    conflict_reason = TextAreaField("If they are the employee's line manager: why they should hear it")
    submit = SubmitField("Appoint")

    @classmethod
    def for_task(cls, data, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.hearing_officer_id.choices = _people(appointments.hearing_officer_choices(ctx, case))
        return form


class InvitationForm(TaskForm):
    panel = "disciplinary/panel_case.html"
    hearing_at = when("Date and time of the hearing (UK time)")
    place = StringField("Where (or how to join)")
    invitation_message = TextAreaField("Anything else the letter should say (optional)")
    submit = SubmitField("Issue the invitation letter")


class CompanionForm(TaskForm):
    panel = "disciplinary/panel_subject.html"
    companion_choice = answer("Will someone come with you?", COMPANIONS)
    companion_name = StringField("Your companion's name")
    companion_unavailable = BooleanField("My companion cannot come at this time")
    proposed_at = when("Another time my companion can come (UK time)")
    submit = SubmitField("Send")


class PostponementDecisionForm(TaskForm):
    panel = "disciplinary/panel_case.html"
    postponement_granted = answer("Grant the new time?", YES_NO)
    postponement_reasons = TextAreaField("Reasons")
    submit = SubmitField("Record the decision")


class HearingRecordForm(TaskForm):
    panel = "disciplinary/panel_case.html"
    attendance = answer("The hearing", ATTENDANCE)
    hearing_notes = TextAreaField("Notes of the hearing", render_kw={"rows": 8})
    employee_response = TextAreaField("The employee's response", render_kw={"rows": 5})
    evidence_presented = TextAreaField("Evidence the employee presented")
    witnesses = TextAreaField("Witnesses called")
    absence_reason = TextAreaField("Reason given for not attending")
    new_evidence = BooleanField("New evidence was raised: adjourn, disclose it and reconvene")
    new_evidence_summary = TextAreaField("The new evidence")
    submit = SubmitField("Record the hearing")


class NonAttendanceForm(TaskForm):
    panel = "disciplinary/panel_case.html"
    non_attendance_decision = answer("After repeated non-attendance", NON_ATTENDANCE)
    non_attendance_reasons = TextAreaField("Reasons")
    submit = SubmitField("Record the decision")


class DecisionForm(TaskForm):
    panel = "disciplinary/panel_decision.html"
    misconduct_found = answer("Finding", FINDINGS)
    clauses_found = MultiCheckboxField("Clauses found breached")
    sanction = answer("Outcome", SANCTIONS)
    decision_reasons = TextAreaField("Reasons (these go in the letter)", render_kw={"rows": 6})
    targets_manner = BooleanField(
        "The sanction targets an objectionable manner of expression, not the belief or "
        "view itself (Higgs v Farmor's School [2025] EWCA Civ 109)"
    )
    proportionality_reasons = TextAreaField("Why it is proportionate")
    mitigation_considered = TextAreaField(
        "Mitigation considered (prompt removal, an apology, length of service, their record)"
    )
    consistency_considered = BooleanField("I have considered the outcomes of earlier cases on these clauses")
    serious_first_offence_reason = TextAreaField(
        "For a final written warning without a live warning: why the offence is that serious"
    )
    gross_misconduct_clause = SelectField(
        "For summary dismissal: the clause that says this can be gross misconduct", validate_choice=False
    )
    dismissal_on = DateField("For a dismissal: the date employment ends", validators=[Optional()])
    notice_weeks = IntegerField("For dismissal with notice: weeks of notice", validators=[Optional()])
    pay_in_lieu = BooleanField("Pay in lieu of notice")
    submit = SubmitField("Record the decision")

    @classmethod
    def for_task(cls, data, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.clauses_found.choices = alleged_clauses()
        form.gross_misconduct_clause.choices = [("", "None cited")] + [
            (cid, f"{cid}: {policy.clause(cid).text}") for cid in GROSS_MISCONDUCT_CLAUSES
        ]
        return form


class AppealForm(TaskForm):
    panel = "disciplinary/panel_subject.html"
    appeal_choice = answer("Your decision", APPEAL_CHOICES)
    appeal_grounds = TextAreaField("Your grounds of appeal", render_kw={"rows": 8})
    submit = SubmitField("Send")


class LateAppealForm(TaskForm):
    panel = "disciplinary/panel_case.html"
    late_appeal_accepted = answer("Accept the appeal although it is late?", YES_NO)
    late_appeal_reasons = TextAreaField("Reasons")
    submit = SubmitField("Record the decision")


class AppealOfficerForm(TaskForm):
    panel = "disciplinary/panel_case.html"
    appeal_officer_id = SelectField("Appeal officer", coerce=int, validate_choice=False)
    seniority_reason = TextAreaField("If someone more senior, not involved, could hear it: why this person")
    submit = SubmitField("Appoint")

    @classmethod
    def for_task(cls, data, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        form.appeal_officer_id.choices = _people(appointments.appeal_officer_choices(ctx, case))
        return form


class AppealInvitationForm(TaskForm):
    panel = "disciplinary/panel_case.html"
    appeal_hearing_at = when("Date and time of the appeal hearing (UK time)")
    appeal_place = StringField("Where (or how to join)")
    appeal_message = TextAreaField("Anything else the letter should say (optional)")
    submit = SubmitField("Issue the invitation letter")


class AppealCompanionForm(TaskForm):
    panel = "disciplinary/panel_subject.html"
    appeal_companion_choice = answer("Will someone come with you to the appeal?", COMPANIONS)
    appeal_companion_name = StringField("Your companion's name")
    submit = SubmitField("Send")


class AppealHearingForm(TaskForm):
    panel = "disciplinary/panel_case.html"
    appeal_attendance = answer(
        "The appeal hearing", {"attended": "The employee attended", "absent": "The employee did not attend"}
    )
    appeal_notes = TextAreaField("Notes of the appeal hearing", render_kw={"rows": 8})
    appeal_outcome = answer("Outcome", APPEAL_OUTCOMES)
    varied_sanction = SelectField("If varied: the lesser sanction", validate_choice=False)
    appeal_reasons = TextAreaField("Reasons (these go in the letter)")
    submit = SubmitField("Record the appeal's outcome")

    @classmethod
    def for_task(cls, data, ctx=None, case=None, **kwargs):
        form = cls(**kwargs)
        ladder = list(SANCTIONS)
        first = data.get("sanction") or "summary_dismissal"
        form.varied_sanction.choices = [("", "—")] + [(s, SANCTIONS[s]) for s in ladder[: ladder.index(first)]]
        return form

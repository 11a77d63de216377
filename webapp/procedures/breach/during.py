"""Pages for what HR records at any point of an investigation: a
precautionary suspension, and personal data found after triage
(workflows/procedures/breach/during.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField

from workflows.engine import access, events, registry
from workflows.engine.cases import get_case, may_look
from workflows.engine.errors import InvalidInput
from workflows.procedures.breach.opening import KIND

from ...extensions import get_ctx, get_db
from ...forms import show_errors
from . import bp


class SuspensionStartForm(FlaskForm):
    suspension_reason = TextAreaField(
        "Why suspension is needed now",
        description="Only where needed, e.g. to protect evidence or people. It goes in the written notice.",
    )
    submit = SubmitField("Suspend and send the notice")


class PersonalDataFoundForm(FlaskForm):
    personal_data_found = TextAreaField(
        "What personal data about others was found, and where [SMP-5.5]",
        description="The 72 hours for the ICO decision (UK GDPR Art. 33) start when you record it.",
    )
    submit = SubmitField("Record it and start the 72 hours")


# The page's name for each, the signal the diagram waits for, its form, its heading and what follows.
RECORDABLE = {
    "suspension": (
        "suspension_started",
        SuspensionStartForm,
        "Start a precautionary suspension",
        "The notice goes to {name} now, and the suspension's review falls due in HR's tasks.",
    ),
    "personal-data": (
        "personal_data_found",
        PersonalDataFoundForm,
        "Record personal data found",
        "The ICO assessment is in HR's tasks now, due within 72 hours.",
    ),
}


def recordable(case) -> list[tuple[str, str]]:
    """The links the case page offers this person: HR, never the subject."""
    if case.kind != KIND or case.closed_at is not None:
        return []
    procedure = registry.get(KIND)
    return [
        (name, heading)
        for name, (signal, _form, heading, _next) in RECORDABLE.items()
        if events.may_record(current_user, case, procedure.recording(signal))
    ]


@bp.route("/<reference>/record/<what>", methods=["GET", "POST"])
@login_required
def record_event(reference: str, what: str):
    if what not in RECORDABLE:
        abort(404)
    signal, form_class, heading, then = RECORDABLE[what]
    db = get_db()
    case = get_case(db, reference)
    if case.kind != KIND:
        abort(404)
    if not may_look(db, current_user, case) or not events.may_record(
        current_user, case, registry.get(KIND).recording(signal)
    ):
        access.refuse(current_user, case, f"opened the page to {heading.lower()}")
    form = form_class()
    if form.validate_on_submit():
        data = {f.name: f.data for f in form if f.name not in ("csrf_token", "submit")}
        try:
            events.record(get_ctx(), case, current_user, signal, data)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error, next(iter(data)))
        else:
            flash(f"Recorded. {then.format(name=case.subject.name)}", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template("breach/record_event.html", form=form, case=case, heading=heading)

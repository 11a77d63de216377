"""Pages for what HR records at any point of an investigation: a
precautionary suspension, and personal data found after triage
(workflows/procedures/breach/during.py)."""

from __future__ import annotations

from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField

from workflows.procedures.breach.opening import KIND

from ..recording import Recordable, offered, record_page
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


# The page's name for each, and what it records.
RECORDABLE = {
    "suspension": Recordable(
        "suspension_started",
        SuspensionStartForm,
        "Start a precautionary suspension",
        lambda case: (
            f"Recorded. The notice goes to {case.subject.name} now, "
            "and the suspension's review falls due in HR's tasks."
        ),
    ),
    "personal-data": Recordable(
        "personal_data_found",
        PersonalDataFoundForm,
        "Record personal data found",
        lambda case: "Recorded. The ICO assessment is in HR's tasks now, due within 72 hours.",
    ),
}


def recordable(case) -> list[tuple[str, str]]:
    return offered(KIND, RECORDABLE, case)


@bp.route("/<reference>/record/<what>", methods=["GET", "POST"])
@login_required
def record_event(reference: str, what: str):
    return record_page(KIND, RECORDABLE, reference, what, "breach/record_event.html")

"""Disciplinary procedure pages: opening a case directly, the forms of its
steps, a person's disciplinary record (their warnings), and recording what
happens to the employee during the procedure (during.py)."""

from flask import Blueprint

from workflows.procedures.disciplinary import record as checks
from workflows.procedures.disciplinary.vocabulary import APPEAL_OUTCOMES, COMPANIONS, FINDINGS, SANCTIONS

from ...extensions import get_db
from .. import ProcedurePages, register

bp = Blueprint("disciplinary", __name__, url_prefix="/disciplinary", template_folder="templates")


@bp.app_context_processor
def _vocabulary() -> dict:
    return {
        "sanctions": SANCTIONS,
        "findings": FINDINGS,
        "companions": COMPANIONS,
        "appeal_outcomes": APPEAL_OUTCOMES,
        "disciplinary_checklist": checks.checklist,
        "disciplinary_outcome": checks.outcome,
        "earlier_outcomes": lambda case: checks.earlier_outcomes(get_db(), case),
        "recordable_events": lambda case: during.recordable(case),
    }


from . import during, forms, routes  # noqa: E402,F401

PAGES = register(
    ProcedurePages(
        kind="disciplinary",
        blueprint=bp,
        summary="disciplinary/_summary.html",
        heading="The allegation",
        new_case="disciplinary.new",
        new_case_label="New disciplinary case",
        forms={
            "appoint_hearing_officer": forms.HearingOfficerForm,
            "hearing_invitation": forms.InvitationForm,
            "companion": forms.CompanionForm,
            "postponement_decision": forms.PostponementDecisionForm,
            "hearing_record": forms.HearingRecordForm,
            "non_attendance_decision": forms.NonAttendanceForm,
            "disciplinary_decision": forms.DecisionForm,
            "appeal": forms.AppealForm,
            "late_appeal_decision": forms.LateAppealForm,
            "appoint_appeal_officer": forms.AppealOfficerForm,
            "appeal_invitation": forms.AppealInvitationForm,
            "appeal_companion": forms.AppealCompanionForm,
            "appeal_hearing": forms.AppealHearingForm,
            **during.STEP_FORMS,
        },
    )
)

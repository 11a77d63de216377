"""Breach investigation pages: opening a case, and the forms of its steps."""

from flask import Blueprint

from workflows.procedures.breach.vocabulary import SEVERITIES, SOURCES

from .. import ProcedurePages, register

bp = Blueprint("breach", __name__, url_prefix="/breach", template_folder="templates")


@bp.app_context_processor
def _vocabulary() -> dict:
    return {
        "breach_sources": SOURCES,
        "severities": SEVERITIES,
        "breach_recordable": lambda case: during.recordable(case),
    }


from . import during, forms, routes  # noqa: E402,F401

PAGES = register(
    ProcedurePages(
        kind="breach_investigation",
        blueprint=bp,
        summary="breach/_summary.html",
        heading="The allegation",
        new_case="breach.new",
        new_case_label="New breach case",
        forms={
            "breach_triage": forms.BreachTriageForm,
            "data_breach_assessment": forms.DataBreachAssessmentForm,
            "suspension_review": forms.SuspensionReviewForm,
            "investigation_invite": forms.InvestigationInviteForm,
            "subject_account": forms.SubjectAccountForm,
            "findings": forms.FindingsForm,
            "breach_outcome": forms.BreachOutcomeForm,
        },
    )
)

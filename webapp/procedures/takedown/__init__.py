"""Takedown request pages: the request form, and the forms of its steps."""

from flask import Blueprint

from workflows.procedures.takedown.steps import ESCALATION_REASONS

from .. import ProcedurePages, register

bp = Blueprint("takedown", __name__, url_prefix="/takedown", template_folder="templates")

from . import forms, routes  # noqa: E402,F401


@bp.app_template_filter("escalation_reason")
def escalation_reason(code: str) -> str:
    """Why it was escalated, in words ("HR escalated it when reviewing the dispute"), not its code."""
    return ESCALATION_REASONS.get(code, str(code).replace("_", " "))


PAGES = register(
    ProcedurePages(
        kind="takedown_request",
        blueprint=bp,
        summary="takedown/_details.html",
        heading="The request",
        new_case="takedown.new",
        new_case_label="New takedown request",
        forms={
            "takedown_response": forms.TakedownResponseForm,
            "takedown_verification": forms.TakedownVerificationForm,
            "dispute_review": forms.DisputeReviewForm,
            "escalation_decision": forms.EscalationDecisionForm,
        },
    )
)

"""Volunteer problem-solving pages: the coordinator's, the volunteer's, HR's
and the reviewer's forms. Cases open from a breach investigation's referral,
so there is no opening page."""

from flask import Blueprint

from workflows.procedures.volunteer_problem_solving.vocabulary import OUTCOMES

from .. import ProcedurePages, register

bp = Blueprint(
    "volunteer_problem_solving", __name__, url_prefix="/volunteer-problem-solving", template_folder="templates"
)


@bp.app_context_processor
def _vocabulary() -> dict:
    return {"vps_outcomes": OUTCOMES}


from . import forms  # noqa: E402

PAGES = register(
    ProcedurePages(
        kind="volunteer_problem_solving",
        blueprint=bp,
        summary="volunteer_problem_solving/_summary.html",
        heading="The concern",
        forms={
            "vps_coordinator": forms.CoordinatorForm,
            "vps_arrange": forms.ArrangeForm,
            "vps_conversation": forms.ConversationForm,
            "vps_review_request": forms.ReviewRequestForm,
            "vps_reviewer": forms.ReviewerForm,
            "vps_review": forms.ReviewForm,
        },
    )
)

"""Pages of a trustee's referral to the Chair of the board: the Chair's form.
Cases open from a breach investigation's referral, so there is no opening page."""

from flask import Blueprint

from workflows.procedures.trustee_referral.vocabulary import BOARD_DECISIONS

from .. import ProcedurePages, register

bp = Blueprint("trustee_referral", __name__, url_prefix="/trustee-referral", template_folder="templates")


@bp.app_context_processor
def _vocabulary() -> dict:
    return {"board_decisions": BOARD_DECISIONS}


from . import forms  # noqa: E402

PAGES = register(
    ProcedurePages(
        kind="trustee_referral",
        blueprint=bp,
        summary="trustee_referral/_summary.html",
        heading="The concern",
        forms={"trustee_board_decision": forms.BoardDecisionForm},
    )
)

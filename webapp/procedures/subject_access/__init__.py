"""Pages for subject access requests: recording one, HR's review of the
compiled data (with its redactions and their adjustment) and the release."""

from flask import Blueprint

from .. import ProcedurePages, register

bp = Blueprint("subject_access", __name__, url_prefix="/subject-access", template_folder="templates")

from . import forms, routes  # noqa: E402,F401

PAGES = register(
    ProcedurePages(
        kind="subject_access_request",
        blueprint=bp,
        summary="subject_access/_summary.html",
        heading="The request",
        new_case="subject_access.new",
        new_case_label="Record a subject access request",
        forms={"sar_review": forms.ReviewForm},
    )
)

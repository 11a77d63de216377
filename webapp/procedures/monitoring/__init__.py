"""Monitoring finding pages [SMP-6]: recording a finding, HR's decision and
review, and the register of access restrictions."""

from flask import Blueprint

from .. import ProcedurePages, register

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring", template_folder="templates")

from . import forms, routes  # noqa: E402,F401

PAGES = register(
    ProcedurePages(
        kind="monitoring_finding",
        blueprint=bp,
        summary="monitoring/_summary.html",
        heading="The finding",
        new_case="monitoring.new",
        new_case_label="Record a monitoring finding",
        forms={
            "finding_decision": forms.FindingDecisionForm,
            "restriction_review": forms.RestrictionReviewForm,
        },
    )
)

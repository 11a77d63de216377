"""Campaign permission pages [SMP-4.3]: asking the Hub Manager, the Hub
Manager's answer and the requester's revision, the register of approved
campaigns, and the register of who may contribute to which BCW Hub account."""

from flask import Blueprint

from .. import ProcedurePages, register

bp = Blueprint("campaign_permission", __name__, url_prefix="/campaigns", template_folder="templates")

from . import forms, routes  # noqa: E402,F401

PAGES = register(
    ProcedurePages(
        kind="campaign_permission",
        blueprint=bp,
        summary="campaign_permission/_details.html",
        heading="The campaign",
        new_case="campaign_permission.new",
        new_case_label="Ask permission for a campaign",
        forms={
            "campaign_decision": forms.HubManagerDecisionForm,
            "campaign_revision": forms.RevisionForm,
        },
    )
)

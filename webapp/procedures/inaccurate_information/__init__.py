"""Pages for reporting inaccurate information about BCW Hub online [SMP-5.12]:
the report form anyone may fill in, and the deciders' forms."""

from flask import Blueprint

from .. import ProcedurePages, register

bp = Blueprint("inaccurate_information", __name__, url_prefix="/inaccurate-information", template_folder="templates")

from . import forms, routes  # noqa: E402,F401

PAGES = register(
    ProcedurePages(
        kind="inaccurate_information_report",
        blueprint=bp,
        summary="inaccurate_information/_details.html",
        heading="The report",
        new_case="inaccurate_information.new",
        new_case_label="Report inaccurate information",
        forms={
            "inaccurate_decision": forms.LineManagerDecisionForm,
            "inaccurate_hub_decision": forms.HubManagerDecisionForm,
        },
    )
)

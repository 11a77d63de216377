"""Reporting inaccurate information about BCW Hub online [SMP-5.12]: anyone
reports what they noticed; their line manager (HR when they have none)
decides what to do, or passes it to the Hub Manager; the person reporting is
told the outcome. A duty the policy gives people, never a breach: the case
alleges no clause."""

from pathlib import Path

from models import Role
from workflows.engine.registry import EVERYONE, CaseRole, Procedure, Status, register

from .. import BPMN_DIR
from .opening import KIND, START_DATA
from .steps import STEPS, notice_context

PROCEDURE = register(
    Procedure(
        kind=KIND,
        prefix="IR",
        label="Inaccurate information report",
        diagram=BPMN_DIR / "inaccurate_information_report.bpmn",
        package=Path(__file__).parent,
        opened_by=(EVERYONE,),  # employees, volunteers and trustees alike [SMP-2]
        roles={
            "Person reporting": CaseRole(),
            # Someone with no line manager on record reports to HR instead.
            "Line manager": CaseRole(pool=Role.HR),
            "Hub Manager": CaseRole(pool=Role.HUB_MANAGER),
        },
        statuses={"with_hub_manager": Status("With the Hub Manager", "warning")},
        told_to_subject={  # the person reporting: their own report
            "open": "Your report is with your line manager",
            "with_hub_manager": "Your report is with the Hub Manager",
            "closed": "Your report has been dealt with",
        },
        steps=STEPS,
        start_data=START_DATA,
        target_days=14,  # the line manager decides within 10 working days or it goes to the Hub Manager
        notice_context=notice_context,
        status_reason="passed_because",
        acts_on={"SMP-5.12": "the report itself: the line manager (or HR) decides what BCW Hub does, and says"},
    )
)

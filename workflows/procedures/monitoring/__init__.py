"""Monitoring findings and access restrictions [SMP-6]: HR records what
monitoring found and decides: no action, a restriction of internet or site
access [SMP-6.6] reviewed on its review date, or a linked breach investigation.
The person is told in writing unless that would prejudice an investigation;
until they are told, they are not a party and see nothing of the case."""

from pathlib import Path

from models import Role
from workflows.engine.registry import CaseRole, Procedure, Status, register

from .. import BPMN_DIR
from .opening import START_DATA
from .restrictions import letter_context
from .steps import STEPS
from .vocabulary import KIND

PURPOSE = "recorded as the monitoring purpose a finding served"

PROCEDURE = register(
    Procedure(
        kind=KIND,
        prefix="MF",
        label="Monitoring finding",
        diagram=BPMN_DIR / "monitoring_finding.bpmn",
        package=Path(__file__).parent,
        opened_by=(Role.HR,),
        roles={"HR": CaseRole(pool=Role.HR), "Subject": CaseRole()},
        statuses={
            "restricted": Status("Access restricted", "warning"),
            "lifted": Status("Restriction lifted", "success"),
            "no_action": Status("No action", "secondary"),
            "referred": Status("Referred", "danger"),
        },
        told_to_subject={
            "open": "HR is looking into a report",
            "restricted": "Your access to social media sites is restricted (see your letters)",
            "lifted": "Your restriction has been lifted (see your letters)",
            "no_action": "No action is being taken",
            "referred": "HR has passed this on for an investigation",
            "closed": "This case has ended",
        },
        steps=STEPS,
        start_data=START_DATA,
        letter_context=letter_context,
        acts_on={
            "SMP-3.1": "social media used at work, found by monitoring, may be investigated as a breach",
            "SMP-3.2": "restricts a person's access to social media sites, with a review date",
            **{f"SMP-6.{n}": PURPOSE for n in range(1, 6)},
            "SMP-6.6": "restricts, denies or removes internet or site access; kept on a register and reviewed",
        },
    )
)

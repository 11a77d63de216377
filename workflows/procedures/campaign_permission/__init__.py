"""Campaign permission [SMP-4.3]: someone authorised to contribute to BCW
Hub's own social media asks the Hub Manager before a public campaign; the
Hub Manager approves, declines or asks for changes (the requester revises
and resubmits, or withdraws); an approved campaign is on the register until
its end date, when the case closes itself. Who may contribute to which
account is a register of its own (`authorisations`), which the request checks."""

from pathlib import Path

from models import Role
from workflows.engine.registry import EVERYONE, CaseRole, Procedure, Status, register

from .. import BPMN_DIR
from .opening import START_DATA
from .steps import STEPS, notice_context
from .vocabulary import KIND

PROCEDURE = register(
    Procedure(
        kind=KIND,
        prefix="CP",
        label="Campaign permission",
        diagram=BPMN_DIR / "campaign_permission.bpmn",
        package=Path(__file__).parent,
        # Anyone may ask; the request itself checks they are authorised on its accounts.
        opened_by=(EVERYONE,),
        roles={"Requester": CaseRole(), "Hub Manager": CaseRole(pool=Role.HUB_MANAGER)},
        statuses={
            "changes_asked": Status("Changes asked", "warning"),
            "approved": Status("Approved", "success"),
            "declined": Status("Declined", "secondary"),
            "withdrawn": Status("Withdrawn", "secondary"),
        },
        # The requester asked for this case: they are told its state as it is.
        told_to_subject={
            "open": "Waiting for the Hub Manager's answer",
            "changes_asked": "Changes asked",
            "approved": "Approved",
            "declined": "Declined",
            "withdrawn": "Withdrawn",
            "closed": "Closed",
        },
        steps=STEPS,
        start_data=START_DATA,
        notice_context=notice_context,
        acts_on={
            "SMP-4.1": "a campaign request says how service users' information is kept safe; the Hub Manager weighs it",
            "SMP-4.2": "a campaign request gives its purpose and its benefit to BCW Hub and its area",
            "SMP-4.3": "the Hub Manager's permission before a public campaign, on a register until it ends",
            "SMP-4.4": "the Hub Manager's answer gives the guidelines the campaign must follow",
        },
    )
)

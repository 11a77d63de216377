"""Takedown requests [SMP-5.8]: a manager asks someone to remove content;
they remove it or dispute it; the requester verifies; HR reviews disputes
and decides what follows an escalation (docs/domain.md, "Takedown requests")."""

from pathlib import Path

from models import Role
from workflows.engine.registry import CaseRole, Procedure, Status, register

from .. import BPMN_DIR
from .measures import MEASURES
from .opening import KIND, START_DATA, clause_choices
from .steps import STEPS, notice_context

PROCEDURE = register(
    Procedure(
        kind=KIND,
        prefix="TD",
        label="Takedown request",
        diagram=BPMN_DIR / "takedown_request.bpmn",
        package=Path(__file__).parent,
        opened_by=(Role.HR, Role.MANAGER, Role.HUB_MANAGER),
        roles={"Requester": CaseRole(), "Subject": CaseRole(), "HR": CaseRole(pool=Role.HR)},
        statuses={
            "escalated": Status("Escalated", "danger"),
            # HR's decision opened the breach investigation: nothing more for HR here.
            "investigation_opened": Status("Investigation opened", "info"),
            "withdrawn": Status("Withdrawn"),
        },
        told_to_subject={
            "open": "BCW Hub has asked you to remove content",
            "escalated": "HR is looking into this request",
            "investigation_opened": "HR is looking into this request",
            "withdrawn": "The request has been withdrawn",
            "closed": "This request has ended",
        },
        steps=STEPS,
        start_data=START_DATA,
        measures=MEASURES,
        measures_title="Takedown compliance",
        target_days=3,  # a day to remove the content, two working days for the requester to check
        notice_context=notice_context,
        status_reason="escalation_reason",
        acts_on={
            **{cid: "cited as what the content breaks" for cid, _label in clause_choices()},
            "SMP-5.8": "asks the person to remove the content, and follows up",
        },
    )
)

"""The disciplinary procedure for employees (docs/domain.md, "Disciplinary
procedure for employees"): a hearing officer not involved, an invitation
letter with notice and the evidence pack, the right to be accompanied, the
hearing, a decision whose gates are the Code's steps, the outcome letter, an
appeal to someone not involved, and the register of warnings that expire;
and, at any step, what happens to the employee: a grievance, a resignation,
a sickness absence, a request for written reasons (during.py)."""

from pathlib import Path

from models import Role
from workflows.engine.registry import CaseRole, Procedure, Status, register

from .. import BPMN_DIR
from . import during
from .opening import KIND, START_DATA
from .steps import STEPS, letter_context

PROCEDURE = register(
    Procedure(
        kind=KIND,
        prefix="DP",
        label="Disciplinary procedure",
        diagram=BPMN_DIR / "disciplinary.bpmn",
        package=Path(__file__).parent,
        opened_by=(Role.HR,),
        roles={
            "HR": CaseRole(pool=Role.HR),
            "Subject": CaseRole(),
            "Hearing officer": CaseRole(),
            "Appeal officer": CaseRole(),
            "Investigating officer": CaseRole(sees_case=False),
            "Reporter": CaseRole(sees_case=False),
            "Witness": CaseRole(sees_case=False),
        },
        statuses={
            "decided": Status("Decided", "warning"),
            "appeal": Status("Under appeal", "warning"),
            "appeal_decided": Status("Appeal decided", "success"),
            "closed_resigned": Status("Closed: the employee resigned", "secondary"),
        },
        told_to_subject={
            "open": "HR is looking into a report",
            "decided": "A decision has been made (see your letters)",
            "appeal": "Your appeal is in progress (see your letters)",
            "appeal_decided": "Your appeal has been decided (see your letters)",
            "closed_resigned": "This case ended when you resigned",
            "closed": "This case has ended (see your letters)",
        },
        steps={**STEPS, **during.STEPS},
        recordings=during.RECORDINGS,
        current_data=during.current_data,
        start_data=START_DATA,
        target_days=42,  # six weeks: the notice of a hearing, the hearing, the decision and the appeal window
        letter_context=letter_context,
        acts_on={
            "SMP-7.1": "the procedure a breach is referred to: hearing, decision, appeal",
            "SMP-7.2": "summary dismissal only with gross misconduct found and this clause cited",
        },
    )
)

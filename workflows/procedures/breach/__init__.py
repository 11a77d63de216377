"""Breach investigations (docs/domain.md, "Breach investigation"): HR
triages, an investigator establishes the facts and invites the subject's
account, HR decides the outcome. Opened by HR, or by another case's referral."""

from pathlib import Path

from models import Role
from workflows.engine.registry import CaseRole, Procedure, Status, register

from .. import BPMN_DIR
from . import during
from .opening import KIND, START_DATA
from .steps import STEPS
from .vocabulary import alleged_clauses

PROCEDURE = register(
    Procedure(
        kind=KIND,
        prefix="BI",
        label="Breach investigation",
        diagram=BPMN_DIR / "breach_investigation.bpmn",
        package=Path(__file__).parent,
        opened_by=(Role.HR,),
        roles={
            "HR": CaseRole(pool=Role.HR),
            "Subject": CaseRole(),
            "Investigator": CaseRole(),
            "Reporter": CaseRole(sees_case=False, told_opened_and_closed=True),
            # A colleague interviewed: named on the case, seeing nothing of it.
            "Witness": CaseRole(sees_case=False),
            "Hub Manager": CaseRole(pool=Role.HUB_MANAGER),
        },
        statuses={"referred": Status("Referred", "danger")},
        told_to_subject={
            "open": "HR is looking into a report",
            "referred": "HR has decided what happens next (see your letters)",
            "closed": "This investigation has ended (see your letters)",
        },
        steps=STEPS,
        start_data=START_DATA,
        target_days=28,  # four weeks to establish the facts and decide (Acas: without unreasonable delay)
        recordings=during.RECORDINGS,
        current_data=during.current_data,
        acts_on={
            **{cid: "alleged as breached, investigated and found or not" for cid, _label in alleged_clauses()},
            "SMP-5.5": "alleged as breached; publishing others' personal data starts the 72-hour ICO assessment",
            "SMP-7.1": "a finding of breach is referred to the subject's own procedure: disciplinary "
            "(employees), volunteer problem-solving, or the Chair (trustees)",
            "SMP-2": "the subject's person type decides where a referral goes and the words they are written to in",
        },
    )
)

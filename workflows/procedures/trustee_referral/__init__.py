"""A referral to the Chair of the board (docs/domain.md, "Trustees and
volunteers, in their words"): trustees are handled under the charity's
governing document. The Chair records the board's decision and the trustee is
told it in writing; when the Chair is the trustee concerned (or otherwise kept
out), another trustee not involved acts as Chair, as a governing document's
conflict rule expects. Opened by a breach investigation's referral."""

from pathlib import Path

from models import PersonType, Role
from workflows.engine.registry import CaseRole, Procedure, register

from .. import BPMN_DIR
from .opening import KIND, START_DATA
from .steps import STEPS, notice_words, words

PROCEDURE = register(
    Procedure(
        kind=KIND,
        prefix="TR",
        label="Referral to the Chair of the board",
        diagram=BPMN_DIR / "trustee_referral.bpmn",
        package=Path(__file__).parent,
        opened_by=(Role.HR,),
        roles={
            "HR": CaseRole(pool=Role.HR),
            "Trustee": CaseRole(),
            # The Chair kept out (the trustee concerned, or its reporter): another
            # trustee not involved in the case or its investigation acts as Chair.
            "Chair": CaseRole(pool=Role.CHAIR, stand_in=PersonType.TRUSTEE),
            "Reporter": CaseRole(sees_case=False),
        },
        steps=STEPS,
        start_data=START_DATA,
        notice_context=notice_words,
        letter_context=words,
        acts_on={
            "SMP-2": "the policy covers trustees: a trustee's case goes to the Chair under the governing document",
            "SMP-7.1": "for a trustee, a breach found is referred to the Chair of the board, not to an HR sanction",
        },
    )
)

"""Volunteer problem-solving (docs/domain.md, "Who the policy covers"):
volunteers are not employees, so a concern a breach investigation found is
dealt with informally, in volunteers' words: the volunteer coordinator holds
a conversation (the volunteer may bring a friend or supporter) and gives an
outcome in writing; the volunteer may ask for a review by the Hub Manager or
a trustee not involved. Opened by an investigation's referral."""

from pathlib import Path

from models import Role
from workflows.engine.registry import CaseRole, Procedure, Status, register

from .. import BPMN_DIR
from .opening import KIND, START_DATA
from .steps import STEPS, words

PROCEDURE = register(
    Procedure(
        kind=KIND,
        prefix="VP",
        label="Volunteer problem-solving",
        diagram=BPMN_DIR / "volunteer_problem_solving.bpmn",
        package=Path(__file__).parent,
        opened_by=(Role.HR,),
        roles={
            "HR": CaseRole(pool=Role.HR),
            "Volunteer": CaseRole(),
            "Volunteer coordinator": CaseRole(),
            "Reviewer": CaseRole(),
            "Reporter": CaseRole(sees_case=False),
        },
        statuses={
            "outcome_given": Status("Outcome given", "warning"),
            "under_review": Status("Under review", "warning"),
        },
        steps=STEPS,
        start_data=START_DATA,
        target_days=42,  # six weeks: the conversation, its outcome and the 10 working days to ask for a review
        notice_context=words,
        letter_context=words,
        acts_on={
            "SMP-2": "the policy covers volunteers: a volunteer's case is dealt with informally, in their own words",
            "SMP-7.1": "for a volunteer, a breach found is referred here, not to the disciplinary procedure",
        },
    )
)

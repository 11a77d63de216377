"""The breach investigation's words: each answer's value and how it reads."""

from __future__ import annotations

from workflows import policy

SOURCES = {
    "manager_report": "Report from a manager",
    "monitoring": "Social media monitoring [SMP-6]",
    "takedown_escalation": "Escalated takedown request",
    "public_complaint": "Complaint from a member of the public",
}
SEVERITIES = {
    "low": "Low",
    "moderate": "Moderate",
    "serious": "Serious",
    "potential_gross_misconduct": "Potential gross misconduct [SMP-7.2]",
}
YES_NO = {"yes": "Yes", "no": "No"}
ICO_DECISIONS = {
    "reported": "Reported to the ICO",
    "not_reportable": "Not reportable: unlikely to risk people's rights and freedoms",
}
SUSPENSION_DECISIONS = {
    "continue": "Continue the suspension (reviewed again in 14 days)",
    "lift": "Lift the suspension",
}
ACCOUNT_CHOICES = {"give": "I want to give my account", "decline": "I do not wish to comment"}
RECOMMENDATIONS = {
    "no_case_to_answer": "No case to answer",
    "informal_action": "Informal action",
    "formal_disciplinary": "Formal disciplinary action",
    "potential_gross_misconduct": "Potential gross misconduct [SMP-7.2]",
}
CLOSING = {
    "no_case_to_answer": "Close: no case to answer",
    "informal_action": "Close with informal action (advice, training)",
}
# Where a referral goes, by the subject's person type [SMP-2]: each has a
# procedure of its own, and is offered only for its own people.
REFERRALS = {
    "employee": ("refer_to_disciplinary", "Refer to the disciplinary procedure"),
    "volunteer": ("refer_to_problem_solving", "Refer to volunteer problem-solving"),
    "trustee": ("refer_to_chair", "Refer to the Chair of the board (governing document)"),
}
REFERRED_TO = {
    "refer_to_disciplinary": "disciplinary",
    "refer_to_problem_solving": "volunteer_problem_solving",
    "refer_to_chair": "trustee_referral",
}
OUTCOMES = {**CLOSING, **dict(REFERRALS.values())}


def outcomes_for(person_type: str) -> dict[str, str]:
    """The outcomes HR may choose for this person: the closings and their one referral."""
    value, label = REFERRALS[person_type]
    return {**CLOSING, value: label}


# The precautionary step while a case is looked into, in each person's words:
# a trustee is never "suspended from work".
PRECAUTION = {
    "employee": ("Is a precautionary suspension needed?", "Why suspension is needed"),
    "volunteer": ("Should the volunteering pause while this is looked into?", "Why the pause is needed"),
    "trustee": (
        "Should the trustee step back from trustee duties while this is looked into?",
        "Why stepping back is needed",
    ),
}
PRECAUTION_REVIEW = {
    "employee": {"continue": SUSPENSION_DECISIONS["continue"], "lift": SUSPENSION_DECISIONS["lift"]},
    "volunteer": {
        "continue": "Keep the volunteering paused (reviewed again in 14 days)",
        "lift": "End the pause: the volunteer may resume",
    },
    "trustee": {
        "continue": "Keep the trustee stepped back from trustee duties (reviewed again in 14 days)",
        "lift": "End it: the trustee may resume trustee duties",
    },
}


def alleged_clauses() -> list[tuple[str, str]]:
    """Clauses a breach can allege: the rules (policy.Kind)."""
    return policy.rule_choices()

"""What HR records about a monitoring finding [SMP-6], in HR's words."""

from __future__ import annotations

from workflows import policy

KIND = "monitoring_finding"

# The two occasions SMP-6 names for monitoring.
OCCASIONS = {
    "routine_audit": "A routine audit of the computer system",
    "specific_suspicion": "A specific case: excessive or unauthorised use was suspected",
}
DECISIONS = {
    "no_action": "No action",
    "restrict": "Restrict, deny or remove access [SMP-6.6]",
    "investigate": "Open a breach investigation",
}
ACCESS_ACTIONS = {
    "restrict": "Restrict access",
    "deny": "Deny access",
    "remove": "Remove access",
}
TELLING = {
    "told": "Tell them in writing",
    "not_told": "Do not tell them yet: telling them would prejudice an investigation",
}
REVIEW_DECISIONS = {
    "keep": "Keep the restriction, with a new review date",
    "lift": "Lift the restriction",
}


def purpose_choices() -> list[tuple[str, str]]:
    """The monitoring purposes SMP-6.1 to SMP-6.5, quoted."""
    return [(f"SMP-6.{n}", f"SMP-6.{n}: {policy.clause(f'SMP-6.{n}').text}") for n in range(1, 6)]


def breach_choices() -> list[tuple[str, str]]:
    """What a finding may be investigated as: only rules (SMP-3.1, using
    social media at work, is one; SMP-3.2, BCW Hub's right to restrict, is not)."""
    return policy.rule_choices()

"""The decisions on a report of inaccurate information, and what its
notices say."""

from __future__ import annotations

from workflows import policy
from workflows.engine.outbox import format_london
from workflows.engine.registry import Step
from workflows.engine.stepdata import StepData, choice, text

OUTCOMES = {
    "correct": "Correct it through BCW Hub's own channels",
    "ask_platform": "Ask the platform or the author to correct it",
    "no_action": "No action",
}
DECISIONS = {**OUTCOMES, "pass_to_hub_manager": "Pass it to the Hub Manager"}
# What the person reporting is told, after "The decision: ".
OUTCOME_NOTICES = {
    "correct": "BCW Hub will correct it through its own channels",
    "ask_platform": "BCW Hub will ask the platform or the author to correct it",
    "no_action": "no action will be taken",
}
# Why a report went to the Hub Manager, as the diagram's scripts record it.
PASSED_BECAUSE = {
    "line_manager": "passed on by the person deciding",
    "not_decided": "not decided within the working days allowed",
}
REASONS_NEEDED = "Say what will be done, or why not: the person reporting is told."


class LineManagerDecision(StepData):
    decision = choice(DECISIONS, "Choose what to do about the report.")
    reasons = text(4000, required=REASONS_NEEDED, min_length=10)


class HubManagerDecision(StepData):
    hub_decision = choice(OUTCOMES, "Choose what to do about the report.")
    hub_reasons = text(4000, required=REASONS_NEEDED, min_length=10)


STEPS = {
    "inaccurate_decision": Step(LineManagerDecision),
    "inaccurate_hub_decision": Step(HubManagerDecision),
}


def outcome(data: dict) -> tuple[str, str]:
    """The decision that stands (the Hub Manager's, once passed) and its reasons."""
    if data.get("hub_decision"):
        return data["hub_decision"], data.get("hub_reasons", "")
    return data.get("decision", ""), data.get("reasons", "")


def notice_context(case, recipient, data: dict) -> dict:
    decided, reasons = outcome(data)
    return {
        "reporter": case.subject,
        "outcome": OUTCOME_NOTICES.get(decided, ""),
        "outcome_reasons": reasons,
        "decided_by_hub_manager": bool(data.get("hub_decision")),
        "passed_because": PASSED_BECAUSE.get(data.get("passed_because", ""), ""),
        "decide_by": format_london(data["decide_by"]) if data.get("decide_by") else "",
        "smp512": policy.clause("SMP-5.12").text,
    }

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
OUTCOMES = {
    "no_case_to_answer": "Close: no case to answer",
    "informal_action": "Close with informal action (advice, training)",
    "refer_to_disciplinary": "Refer to the disciplinary procedure",
}


def alleged_clauses() -> list[tuple[str, str]]:
    """Clauses a breach can allege: the rules (policy.Kind)."""
    return policy.rule_choices()

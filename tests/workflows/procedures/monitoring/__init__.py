"""Opening a monitoring finding and taking its steps, for the tests here and the page tests."""

from __future__ import annotations

from workflows.procedures.monitoring.opening import MonitoringFinding, record_finding

FOUND = "Two hours a day on TikTok in working hours, from the office PC, over the week of 23 February."


def make_finding(ctx, hr, subject, **overrides):
    finding = {"occasion": "routine_audit", "purposes": ["SMP-6.1", "SMP-6.3"], "found": FOUND, **overrides}
    return record_finding(ctx, hr, MonitoringFinding(subject=subject, **finding))


def restriction(**overrides) -> dict:
    """A decision to restrict, starting today (2 March 2026, the frozen clock's day)."""
    return {
        "decision": "restrict",
        "decision_reasons": "Use in working hours is affecting the rota.",
        "access_action": "restrict",
        "sites": "TikTok and Instagram",
        "starts_on": "2026-03-02",
        "ends_on": None,
        "review_on": "2026-03-16",
        "telling": "told",
        **overrides,
    }


def keeping(**overrides) -> dict:
    return {
        "review_decision": "keep",
        "review_reasons": "Still needed while the rota settles.",
        "sites": "TikTok",
        "review_on": "2026-03-30",
        "telling": "told",
        **overrides,
    }


def lifting(**overrides) -> dict:
    return {"review_decision": "lift", "review_reasons": "Use is back within breaks.", "telling": "told", **overrides}

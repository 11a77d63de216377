"""Recording a subject access request and taking HR's step, for the tests here and the page tests."""

from __future__ import annotations

from datetime import date

from workflows.procedures.subject_access.opening import Request, record_request

RECEIVED = date(2026, 3, 2)  # the frozen clock's day, a Monday


def make_request(ctx, hr, person, **overrides):
    request = {"received_on": RECEIVED, "route": "email", "person": person, **overrides}
    return record_request(ctx, hr, Request(**request))


def releasing(**overrides) -> dict:
    return {"decision": "release", "extension_reason": "", "exemptions": [], "exemption_reasons": "", **overrides}


def extending(reason: str = "Eleven cases over six years: the records are numerous.") -> dict:
    return releasing(decision="extend", extension_reason=reason)

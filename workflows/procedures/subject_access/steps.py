"""HR's step on a subject access request: release the compiled data (with
any exemption relied on), or extend the deadline once by two months with a
reason; and what its notices say."""

from __future__ import annotations

from datetime import date, datetime

from workflows.engine import clock, workdays
from workflows.engine.errors import InvalidInput
from workflows.engine.queries import case_data
from workflows.engine.registry import Derived, Step
from workflows.engine.stepdata import StepData, choice, choices, text

from .opening import add_months, deadline_data

DECISIONS = {
    "release": "Release it now",
    "extend": "Extend the deadline by two months (complex or numerous requests)",
}
# Exemptions of the Data Protection Act 2018, Schedule 2, HR may rely on (and must say why).
EXEMPTIONS = {
    "third_party": "Other people's data (Sch. 2 para. 16): withheld where they have not consented",
    "legal_privilege": "Legal professional privilege (Sch. 2 para. 19)",
    "management_forecasts": "Management forecasting or planning (Sch. 2 para. 22)",
    "negotiations": "Negotiations with the person (Sch. 2 para. 23)",
    "confidential_references": "Confidential references given by BCW Hub (Sch. 2 para. 24)",
    "crime": "Prevention or detection of crime (Sch. 2 para. 2)",
}
EXTENSION_MONTHS = 2
REASON_NEEDED = "Say why the request needs longer (complex, or many requests from the person): it is recorded."
EXEMPTION_REASONS_NEEDED = "Say how each exemption applies: what was withheld and why."
ALREADY_EXTENDED = "The deadline was extended once already, to {due}: it cannot be extended again."
TOO_LATE = "The deadline passed on {due}: an extension must be made before it."


class SarReview(StepData):
    decision = choice(DECISIONS, "Choose whether to release it or extend the deadline.")
    extension_reason = text(2000)
    exemptions = choices(EXEMPTIONS)
    exemption_reasons = text(4000)
    required_when = {"extension_reason": ("decision", ("extend",), REASON_NEEDED)}


def check_review(ctx, case, user, data: dict) -> Derived:
    now_data = case_data(case)
    if data["decision"] == "extend":
        return Derived(_extension(now_data))
    if data["exemptions"] and not data["exemption_reasons"].strip():
        raise InvalidInput(EXEMPTION_REASONS_NEEDED, "exemption_reasons")
    return Derived()


def _extension(now_data: dict) -> dict:
    due = date.fromisoformat(now_data["due_on"])
    if now_data.get("extended"):
        raise InvalidInput(ALREADY_EXTENDED.format(due=workdays.long_date(due)), "decision")
    if clock.now() > datetime.fromisoformat(now_data["due_by"]):
        raise InvalidInput(TOO_LATE.format(due=workdays.long_date(due)), "decision")
    return {**deadline_data(add_months(due, EXTENSION_MONTHS)), "extended": True, "first_due_on": due.isoformat()}


def follow_up_review(ctx, case, user, data: dict) -> None:
    if data["decision"] == "release":
        from .compiling import release  # the release needs the whole compilation; steps load first

        release(ctx, case, user, data)


STEPS = {
    "sar_review": Step(
        SarReview,
        check=check_review,
        derives=("due_on", "due_by", "reminder_at", "extended", "first_due_on"),
        follow_up=follow_up_review,
    )
}


def notice_context(case, recipient, data: dict) -> dict:
    due = date.fromisoformat(data["due_on"]) if data.get("due_on") else None
    return {"person_name": data.get("person_name", ""), "due_on": workdays.long_date(due) if due else ""}

"""The Hub Manager's answer to a campaign request, the requester's revision
when changes are asked, and what the notices say."""

from __future__ import annotations

from datetime import date

from workflows import policy
from workflows.engine import queries, workdays
from workflows.engine.errors import InvalidInput
from workflows.engine.registry import Derived, Step
from workflows.engine.stepdata import StepData, choice, choices, day, text

from .opening import CampaignRequest, campaign_problems
from .vocabulary import ACCOUNTS, ANSWERS, DECISIONS, FIELDS, MAX_NAME, MAX_TEXT, REVISIONS

REASONS_NEEDED = "Give your reasons: the person asking is told them."
SMP4 = ("SMP-4.1", "SMP-4.2", "SMP-4.3", "SMP-4.4")


class HubManagerDecision(StepData):
    campaign_decision = choice(DECISIONS, "Choose whether to approve, decline or ask for changes.")
    decision_reasons = text(MAX_TEXT, required=REASONS_NEEDED, min_length=10)
    guidelines = text(MAX_TEXT)  # what the campaign must also follow [SMP-4.4]


class Revision(StepData):
    revision = choice(REVISIONS, "Choose whether to send the revised request or withdraw it.")
    campaign_name = text(MAX_NAME)
    purpose = text(MAX_TEXT)
    benefit = text(MAX_TEXT)
    accounts = choices(ACCOUNTS)
    starts_on = day("Give the day the campaign starts.", required=False)
    ends_on = day("Give the day the campaign ends.", required=False)
    audience = text(MAX_TEXT)
    content_plan = text(MAX_TEXT)
    safeguards = text(MAX_TEXT)
    what_changed = text(MAX_TEXT)


def _request(data: dict) -> CampaignRequest:
    def day_of(name: str) -> date | None:
        return date.fromisoformat(data[name]) if data.get(name) else None

    return CampaignRequest(
        **{name: data.get(name) or "" for name in ("campaign_name", "purpose", "benefit")},
        accounts=list(data.get("accounts") or []),
        starts_on=day_of("starts_on"),
        ends_on=day_of("ends_on"),
        **{name: data.get(name) or "" for name in ("audience", "content_plan", "safeguards")},
    )


def check_decision(ctx, case, user, data: dict) -> Derived:
    """Approval needs a campaign that can still run, on accounts its requester
    is still authorised on: an authorisation may have ended while it waited."""
    if data["campaign_decision"] != "approve":
        return Derived()
    problems = campaign_problems(ctx.db, case.subject, _request(queries.case_data(case)))
    ended = problems.get("ends_on") or problems.get("accounts")
    if ended:
        raise InvalidInput({"campaign_decision": [f"It cannot be approved as it stands: {ended[0]}"]})
    return Derived()


def check_revision(ctx, case, user, data: dict) -> Derived:
    if data["revision"] == "withdraw":
        # A withdrawn request stays as it was sent, whatever the form carried.
        earlier = queries.case_data(case)
        return Derived(data={name: earlier.get(name) for name in FIELDS})
    problems = campaign_problems(ctx.db, user, _request(data))
    if problems:
        raise InvalidInput(problems)
    return Derived()


STEPS = {
    "campaign_decision": Step(HubManagerDecision, check=check_decision),
    "campaign_revision": Step(Revision, check=check_revision),
}


def spoken(iso: str | None) -> str:
    return workdays.long_date(date.fromisoformat(iso)) if iso else ""


def notice_context(case, recipient, data: dict) -> dict:
    return {
        "requester": case.subject,
        "answer": ANSWERS.get(data.get("campaign_decision", ""), ""),
        "accounts": ", ".join(ACCOUNTS.get(code, code) for code in data.get("accounts") or []),
        "starts": spoken(data.get("starts_on")),
        "ends": spoken(data.get("ends_on")),
        "clauses": [(cid, policy.clause(cid).text) for cid in SMP4],
    }

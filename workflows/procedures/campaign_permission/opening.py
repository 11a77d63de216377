"""Asking the Hub Manager's permission for a public campaign [SMP-4.3]: what
it is for and how it benefits BCW Hub and its area [SMP-4.2], the accounts
(each one the person is authorised on), the dates, the audience, the content
and the safeguards for service users' information [SMP-4.1]."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from models import Case, User
from workflows.engine import workdays
from workflows.engine.cases import open_case
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput

from . import authorisations
from .vocabulary import ACCOUNTS, KIND, LATEST_START_DAYS, MAX_NAME, MAX_TEXT

START_DATA = (
    "campaign_name",
    "purpose",
    "benefit",
    "accounts",
    "starts_on",
    "ends_on",
    "audience",
    "content_plan",
    "safeguards",
    "reminder_days",
)
REQUIRED = {
    "campaign_name": "Give the campaign a name.",
    "purpose": "Say what the campaign is for [SMP-4.2].",
    "benefit": "Say how it benefits BCW Hub and the area it supports [SMP-4.2].",
    "audience": "Say who the campaign is for.",
    "content_plan": "Say what will be posted, and how often.",
    "safeguards": "Say how service users' information is kept safe [SMP-4.1].",
}
REMINDER_DAYS = int(os.environ.get("CAMPAIGN_REMINDER_DAYS", 3))  # working days the Hub Manager has first


@dataclass
class CampaignRequest:
    campaign_name: str
    purpose: str
    benefit: str
    accounts: list[str]
    starts_on: date | None
    ends_on: date | None
    audience: str
    content_plan: str
    safeguards: str


def request_campaign(ctx: Context, requester: User, request: CampaignRequest) -> Case:
    """Open the request and send it to the Hub Managers' pool."""
    problems = campaign_problems(ctx.db, requester, request)
    if problems:
        raise InvalidInput(problems)
    return open_case(
        ctx,
        KIND,
        title=f"Campaign: {request.campaign_name.strip()}",
        subject=requester,  # their request: they see its answers, never the Hub Manager's working
        opened_by=requester,
        clauses=[],  # a request alleges nothing
        parties={"Requester": requester},
        start_data={**as_data(request), "reminder_days": REMINDER_DAYS},
    )


def as_data(request: CampaignRequest) -> dict:
    data = asdict(request)
    data["accounts"] = sorted(request.accounts)
    data["starts_on"], data["ends_on"] = request.starts_on.isoformat(), request.ends_on.isoformat()
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


def campaign_problems(db: Session, requester: User, request: CampaignRequest) -> dict[str, list[str]]:
    """Everything wrong with a request, by field: the opening and the
    revision refuse the same things."""
    problems: dict[str, list[str]] = {}
    for name, message in REQUIRED.items():
        value = getattr(request, name) or ""
        limit = MAX_NAME if name == "campaign_name" else MAX_TEXT
        if not value.strip():
            problems[name] = [message]
        elif len(value) > limit:
            problems[name] = [f"At most {limit:,} characters: this is {len(value):,}."]
    problems.update(_date_problems(request.starts_on, request.ends_on))
    problems.update(_account_problems(db, requester, request))
    return problems


def allowed_starts() -> tuple[date, date]:
    today = workdays.today()
    return today, today + timedelta(days=LATEST_START_DAYS)


def _date_problems(starts_on: date | None, ends_on: date | None) -> dict[str, list[str]]:
    earliest, latest = allowed_starts()
    allowed = f"between {workdays.long_date(earliest)} and {workdays.long_date(latest)}"
    problems = {}
    if starts_on is None:
        problems["starts_on"] = [f"Give the day the campaign starts, {allowed}."]
    elif not earliest <= starts_on <= latest:
        past = "is in the past" if starts_on < earliest else "is too far ahead"
        problems["starts_on"] = [f"The start date {past}: a campaign may start {allowed}."]
    if ends_on is None:
        problems["ends_on"] = ["Give the day the campaign ends."]
    elif ends_on < earliest:
        problems["ends_on"] = [f"The end date is in the past: it must be {workdays.long_date(earliest)} or later."]
    elif starts_on is not None and ends_on < starts_on:
        problems["ends_on"] = ["The campaign cannot end before it starts."]
    return problems


def _account_problems(db: Session, requester: User, request: CampaignRequest) -> dict[str, list[str]]:
    if not request.accounts:
        return {"accounts": ["Choose the BCW Hub accounts the campaign uses."]}
    if any(code not in ACCOUNTS for code in request.accounts):
        return {"accounts": ["Choose only BCW Hub's own accounts."]}
    held = authorisations.of(db, requester)
    missing = [ACCOUNTS[code] for code in sorted(request.accounts) if code not in held]
    short = [
        f"{ACCOUNTS[code]} (until {workdays.long_date(held[code].until)})"
        for code in sorted(request.accounts)
        if code in held and request.ends_on and held[code].until < request.ends_on
    ]
    ask = f"Ask {authorisations.who_can_authorise(db)} to authorise you."
    messages = []
    if missing:
        messages.append(f"You are not authorised to contribute to {', '.join(missing)}. {ask}")
    if short:
        messages.append(f"Your authorisation ends before the campaign does on {', '.join(short)}. {ask}")
    return {"accounts": messages} if messages else {}

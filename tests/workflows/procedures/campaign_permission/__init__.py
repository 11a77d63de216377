"""Authorising someone on BCW Hub's accounts and asking permission for a
campaign, for the tests here and the page tests."""

from __future__ import annotations

from datetime import date

from workflows.procedures.campaign_permission import authorisations
from workflows.procedures.campaign_permission.opening import CampaignRequest, request_campaign

UNTIL = date(2026, 12, 31)


def authorise(ctx, by, person, *accounts: str, until: date = UNTIL) -> None:
    for account in accounts or ("instagram", "facebook"):
        authorisations.grant(ctx, by, person, account, until)


def campaign(**overrides) -> dict:
    """A campaign from Monday 9 to Tuesday 31 March 2026 (the frozen clock's day is 2 March)."""
    return {
        "campaign_name": "Spring volunteer drive",
        "purpose": "Recruit ten befriending volunteers for the spring.",
        "benefit": "More older people in the county get a weekly visit.",
        "accounts": ["instagram", "facebook"],
        "starts_on": date(2026, 3, 9),
        "ends_on": date(2026, 3, 31),
        "audience": "Adults in Buckinghamshire with a few hours a week.",
        "content_plan": "Two posts a week: volunteers' own stories, with their consent.",
        "safeguards": "No service user is named, pictured or described; stories are volunteers' own.",
        **overrides,
    }


def make_campaign(ctx, requester, **overrides):
    return request_campaign(ctx, requester, CampaignRequest(**campaign(**overrides)))


def as_step(**overrides) -> dict:
    """The campaign as the revision step takes it (dates as ISO text)."""
    data = {**campaign(), "revision": "resubmit", "what_changed": "", **overrides}
    for name in ("starts_on", "ends_on"):
        if isinstance(data[name], date):
            data[name] = data[name].isoformat()
    return data

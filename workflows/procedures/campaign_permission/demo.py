"""Demo data for campaign permission [SMP-4.3]: Priya Shah, authorised by
Grace Okafor (Hub Manager) on BCW Hub's Instagram and Facebook, asks
permission for a volunteer recruitment campaign; it waits for the Hub
Manager's answer. Ellie Jones is authorised on Instagram only, so a request
of hers on Facebook is refused, naming who can authorise her."""

from __future__ import annotations

from datetime import timedelta

from models import User
from workflows.engine import workdays
from workflows.engine.context import Context

from . import authorisations
from .opening import CampaignRequest, request_campaign


def load(ctx: Context, hub_manager: User, requester: User, instagram_only: User) -> None:
    today = workdays.today()
    until = today + timedelta(days=180)
    for account in ("instagram", "facebook"):
        authorisations.grant(ctx, hub_manager, requester, account, until)
    authorisations.grant(ctx, hub_manager, instagram_only, "instagram", until)
    request_campaign(
        ctx,
        requester,
        CampaignRequest(
            campaign_name="Befriend a neighbour this spring",
            purpose="Recruit twelve befriending volunteers for older people living alone.",
            benefit="Each new volunteer means a weekly visit for someone isolated in the county.",
            accounts=["facebook", "instagram"],
            starts_on=today + timedelta(days=7),
            ends_on=today + timedelta(days=49),
            audience="Adults in Buckinghamshire with an hour or two a week to spare.",
            content_plan="Two posts a week: volunteers' own stories and a sign-up link; one short video.",
            safeguards="No service user is named, pictured or described; volunteers' stories are their own, "
            "shared with their written consent.",
        ),
    )

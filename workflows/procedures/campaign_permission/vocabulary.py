"""The words of campaign permission [SMP-4]: BCW Hub's own accounts, the Hub
Manager's answers and the requester's, and the limits on a campaign's dates."""

from __future__ import annotations

KIND = "campaign_permission"

# BCW Hub's own social media accounts: a campaign names some, and a person is
# authorised on each separately.
ACCOUNTS = {
    "facebook": "Facebook: BCW Hub page",
    "instagram": "Instagram: @bcwhub",
    "x": "X (Twitter): @bcwhub",
    "linkedin": "LinkedIn: BCW Hub",
    "tiktok": "TikTok: @bcwhub",
    "youtube": "YouTube: BCW Hub channel",
}
DECISIONS = {
    "approve": "Approve the campaign",
    "changes": "Ask for changes",
    "decline": "Decline the campaign",
}
REVISIONS = {
    "resubmit": "Send the revised request to the Hub Manager",
    "withdraw": "Withdraw the request",
}
# What the requester is told, after "The Hub Manager has ".
ANSWERS = {
    "approve": "approved your campaign",
    "changes": "asked for changes to your campaign request",
    "decline": "declined your campaign",
}
FIELDS = (
    "campaign_name",
    "purpose",
    "benefit",
    "accounts",
    "starts_on",
    "ends_on",
    "audience",
    "content_plan",
    "safeguards",
)
MAX_NAME, MAX_TEXT = 200, 4000
LATEST_START_DAYS = 365  # a campaign is asked for at most a year ahead

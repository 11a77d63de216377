"""Volunteer problem-solving's words. Volunteers are not employees: none of
the employment procedure's words ("hearing", "warning", "dismissal") is used,
because treating volunteers like staff risks creating worker status."""

from __future__ import annotations

OUTCOMES = {
    "guidance_support": "Guidance and support",
    "change_of_role": "A change of role",
    "end_arrangement": "Ending the volunteering arrangement",
}
REVIEW_REQUEST = {
    "ask": "I would like the outcome reviewed",
    "no_review": "I do not want a review",
}
REVIEW_DECISIONS = {
    "confirm": "Confirm the outcome",
    "change": "Change the outcome",
}

"""Template filters: times on screen are Europe/London; storage is UTC."""
from __future__ import annotations

from datetime import datetime

from flask import Flask

from workflows import clock, policy
from workflows.breach import SEVERITIES, SOURCES


STATUS_COLOURS = {"open": "primary", "escalated": "danger", "referred": "danger",
                  "withdrawn": "secondary", "closed": "success"}
# The summary each kind of case shows at the top of its pages.
SUMMARIES = {"takedown_request": "takedown/_details.html", "breach_investigation": "breach/_summary.html"}


def london(moment: datetime | str | None, fmt: str = "%a %-d %b %Y, %H:%M") -> str:
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return clock.london(moment).strftime(fmt)


def is_overdue(moment: datetime | None) -> bool:
    return moment is not None and moment < clock.now()


def humanise(value: str) -> str:
    return str(value).replace("_", " ").capitalize()


def register(app: Flask) -> None:
    app.add_template_filter(london, "london")
    app.add_template_filter(humanise, "humanise")
    app.add_template_global(is_overdue, "is_overdue")
    app.add_template_global(policy.clause, "clause")
    app.add_template_global(clock.now, "now")
    app.add_template_global(STATUS_COLOURS, "status_colours")
    app.add_template_global(SUMMARIES, "summaries")
    app.add_template_global(SOURCES, "breach_sources")
    app.add_template_global(SEVERITIES, "severities")

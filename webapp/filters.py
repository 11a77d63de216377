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


_HIDDEN_KEYS = {"outbox_id", "template", "form", "task", "timer"}
_WORDS = {"ico": "ICO", "smp": "SMP", "url": "URL", "urls": "URLs", "sha256": "SHA-256"}


def event_details(event) -> list[tuple[str, str]]:
    """An audit event's data as a person reads it: no ids, no raw flags."""
    data = event.data.get("data", {}) if event.action == "task_completed" else event.data
    rows = []
    for key, value in data.items():
        if key in _HIDDEN_KEYS or key.endswith("_id") or value in (None, "", [], {}):
            continue
        rows.append((_label(key), _value(key, value)))
    return rows


def _label(key: str) -> str:
    words = [_WORDS.get(w, w) for w in key.split("_")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def _value(key: str, value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if key == "sha256" or (isinstance(value, str) and len(value) == 64 and key.endswith("hash")):
        return f"{value[:16]}…"
    if isinstance(value, str) and "_" in value and " " not in value and value.islower():
        return humanise(value)
    return str(value)


def register(app: Flask) -> None:
    app.add_template_filter(london, "london")
    app.add_template_filter(humanise, "humanise")
    app.add_template_filter(event_details, "event_details")
    app.add_template_global(is_overdue, "is_overdue")
    app.add_template_global(policy.clause, "clause")
    app.add_template_global(clock.now, "now")
    app.add_template_global(STATUS_COLOURS, "status_colours")
    app.add_template_global(SUMMARIES, "summaries")
    app.add_template_global(SOURCES, "breach_sources")
    app.add_template_global(SEVERITIES, "severities")

"""Template filters and globals: times on screen are Europe/London (storage
is UTC); status colours and the "new case" links come from the registries."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, url_for
from flask_login import current_user

from workflows import policy
from workflows.engine import access, clock, registry
from workflows.engine.evidence import is_web_link
from workflows.engine.texts import full_stop

from .procedures import all_pages


def status_colour(status: str) -> str:
    known = registry.all_statuses().get(status)
    return known.colour if known else "secondary"


def status_label(status: str) -> str:
    """The status as its procedure names it ("Closed: the employee resigned")."""
    known = registry.all_statuses().get(status)
    return known.label if known else humanise(status)


def new_case_links() -> list[tuple[str, str]]:
    """The "New ..." pages the signed-in person may open, one per procedure."""
    return [
        (url_for(pages.new_case), pages.new_case_label)
        for pages in all_pages()
        if pages.new_case and access.can_open(current_user, registry.get(pages.kind))
    ]


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
    app.add_template_filter(full_stop, "full_stop")
    app.add_template_global(is_overdue, "is_overdue")
    app.add_template_global(policy.clause, "clause")
    app.add_template_global(policy.quoted, "quoted_clauses")
    app.add_template_global(clock.now, "now")
    app.add_template_global(status_colour, "status_colour")
    app.add_template_global(status_label, "status_label")
    app.add_template_global(new_case_links, "new_case_links")
    app.add_template_global(registry.no_view_roles, "hidden_roles")
    app.add_template_test(is_web_link, "web_link")

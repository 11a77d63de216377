"""Template filters and globals: times on screen are Europe/London (storage
is UTC); status colours and the "new case" links come from the registries."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import Flask, url_for
from flask_login import current_user

from workflows import policy
from workflows.engine import access, clock, pools, registry, stepdata
from workflows.engine.errors import ProcedureError
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


def told_to_subject(case) -> str:
    """The case's status in its subject's words: never HR's step names."""
    return registry.get(case.kind).plain_status(case.status, ended=case.closed_at is not None)


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


_WORDS = {"ico": "ICO", "smp": "SMP", "url": "URL", "urls": "URLs", "sha256": "SHA-256", "hr": "HR", "id": "ID"}


def humanise(value: str) -> str:
    """A code as words: "escalated_by_hr" -> "Escalated by HR"."""
    words = [_WORDS.get(w, w) for w in str(value).split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


_HIDDEN_KEYS = {"outbox_id", "template", "form", "task", "timer"}
_STATUS_KEYS = {"from", "to", "status"}
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def event_details(event, kind: str | None = None) -> list[tuple[str, str]]:
    """An audit event's data as a person reads it: no ids, no raw flags,
    times in UK time, whole numbers without ".0", answers in the words the
    form offered them in (the step contract of `kind`'s step, if known)."""
    data = event.data.get("data", {}) if event.action == "task_completed" else event.data
    words = _answer_words(kind, event.data.get("form")) if event.action == "task_completed" else {}
    rows = []
    for key, value in data.items():
        if key in _HIDDEN_KEYS or key.endswith("_id") or value in (None, "", [], {}):
            continue
        rows.append((_label(key), _value(key, value, words.get(key, {}))))
    return rows


def _answer_words(kind: str | None, form: str | None) -> dict[str, dict[str, str]]:
    if not kind or not form:
        return {}
    try:
        return stepdata.answer_words(registry.get(kind).step(form).contract)
    except (KeyError, ProcedureError):  # a step since renamed: its answers as codes, humanised
        return {}


def _label(key: str) -> str:
    return humanise(key)


def _value(key: str, value, words: dict[str, str] | None = None) -> str:
    words = words or {}
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_value(key, v, words) for v in value)
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0")
    if not isinstance(value, str):
        return str(value)
    if key == "sha256" or (len(value) == 64 and key.endswith("hash")):
        return f"{value[:16]}…"
    if value in words:
        return words[value]
    if key in _STATUS_KEYS:
        return status_label(value)
    if _ISO_MOMENT.match(value):
        try:
            return f"{london(value, '%-d %B %Y, %H:%M')} (UK time)"
        except ValueError:
            return value
    if _ISO_DAY.match(value):
        try:
            return date.fromisoformat(value).strftime("%-d %B %Y")
        except ValueError:
            return value
    if _CODE.match(value) and not key.endswith(("name", "email", "witness")):
        return humanise(value)
    return value


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
    app.add_template_global(told_to_subject, "told_to_subject")
    app.add_template_global(new_case_links, "new_case_links")
    app.add_template_global(registry.no_view_roles, "hidden_roles")
    app.add_template_global(pools.label, "pool_label")
    app.add_template_test(is_web_link, "web_link")

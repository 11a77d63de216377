"""Recording a subject access request: who asks (a person in the system, or
someone not in it, by name and email), when it was received and how. The
answer is due one calendar month after the day it was received."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from models import Case, User
from workflows.engine import audit, clock, workdays
from workflows.engine.audit import Actor
from workflows.engine.cases import open_case
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput

KIND = "subject_access_request"
ROUTES = {
    "email": "By email",
    "letter": "By letter",
    "in_person": "In person or by phone (written down by HR)",
    "web_form": "Through a web form",
    "representative": "Through a representative (a solicitor, a union)",
}
START_DATA = ("person_name", "received_on", "route", "route_label", "due_on", "due_by", "reminder_at", "extended")
# How far back a request may be recorded: one received long before is a
# typing mistake more often than a late record (the range is in the message).
OLDEST_DAYS = 365
REMINDER_DAYS = 7  # HR is reminded this many days before the deadline
NOTHING_HELD = "Nothing is held about {name}: they are not in the system, so no case or record names them."


@dataclass(frozen=True)
class Request:
    received_on: date | None
    route: str
    person: User | None = None  # someone in the system; else name and email
    name: str = ""
    email: str = ""


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or that month's last
    day when it has no such day (31 January + 1 month = 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline_data(due_on: date) -> dict:
    """The deadline (the end of `due_on`, UK time) and its reminder, as the diagram's timers read them."""
    reminder_day = due_on - timedelta(days=REMINDER_DAYS)
    reminder = datetime.combine(reminder_day, time(9, 0), tzinfo=clock.LONDON).astimezone(clock.now().tzinfo)
    return {
        "due_on": due_on.isoformat(),
        "due_by": workdays.end_of(due_on).isoformat(),
        "reminder_at": reminder.isoformat(),
    }


def record_request(ctx: Context, hr: User, request: Request) -> Case | None:
    """Open the request's case, or, for someone not in the system, record
    the request and its answer ("nothing held") on the trail. Returns the
    case, or None when nothing is held."""
    _check(request)
    person = request.person or _known_by_email(ctx, request.email)
    if person is None:
        _record_nothing_held(ctx, hr, request)
        return None
    due_on = add_months(request.received_on, 1)
    return open_case(
        ctx,
        KIND,
        title=f"Subject access request from {person.name}",
        subject=person,  # whose data it is; no party, so they see nothing of the case
        opened_by=hr,
        clauses=[],
        parties={},  # HR's step goes to the pool; whoever takes it joins the case
        start_data={
            "person_name": person.name,
            "received_on": request.received_on.isoformat(),
            "route": request.route,
            "route_label": ROUTES[request.route],
            **deadline_data(due_on),
            "extended": False,
        },
    )


def _known_by_email(ctx: Context, email: str) -> User | None:
    if not email:
        return None
    return ctx.db.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _record_nothing_held(ctx: Context, hr: User, request: Request) -> None:
    answer = NOTHING_HELD.format(name=request.name)
    audit.record(
        ctx.db,
        None,
        "subject_access_answered",
        Actor.person(hr),
        {
            "name": request.name,
            "email": request.email,
            "received_on": request.received_on.isoformat(),
            "route": request.route,
            "answer": "nothing_held",
            "said": answer,
        },
    )


def received_range() -> tuple[date, date]:
    today = workdays.today()
    return today - timedelta(days=OLDEST_DAYS), today


def _check(request: Request) -> None:
    if request.received_on is None:
        raise InvalidInput("Give the date the request was received.", "received_on")
    earliest, latest = received_range()
    if not earliest <= request.received_on <= latest:
        raise InvalidInput(
            f"The date received must be between {workdays.long_date(earliest)} and "
            f"{workdays.long_date(latest)} (today).",
            "received_on",
        )
    if request.route not in ROUTES:
        raise InvalidInput("Choose how the request was made.", "route")
    if request.person is not None:
        return
    if not request.name.strip():
        raise InvalidInput("Choose the person, or give the name of someone not in the system.", "name")
    if "@" not in request.email or len(request.email) > 254 or any(c.isspace() for c in request.email.strip()):
        raise InvalidInput("Give their email address, such as name@example.org.", "email")
    if len(request.name) > 120:
        raise InvalidInput("Field cannot be longer than 120 characters.", "name")

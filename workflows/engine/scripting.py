"""The helpers BPMN scripts may call, and nothing else of ours.

Scripts in diagrams are trusted code from this repository (the library's
script engine is not a sandbox); the web never accepts uploaded BPMN.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from . import clock, workdays


def deadline_from_now(hours: float) -> str:
    """ISO UTC time `hours` from now, for timeDate timers."""
    return (clock.now() + timedelta(hours=float(hours))).isoformat()


def halfway_to(deadline_iso: str) -> str:
    """The moment halfway between now and a deadline (the reminder time)."""
    start = clock.now()
    deadline = datetime.fromisoformat(deadline_iso)
    return (start + (deadline - start) / 2).isoformat()


def end_of_day_after(day_iso: str, days: int) -> str:
    """The last moment (UK time) of the day `days` calendar days after
    `day_iso`: "within 14 days of the request" ends as that day does."""
    return workdays.end_of(date.fromisoformat(day_iso) + timedelta(days=int(days))).isoformat()


def working_days_from_now(days: int) -> str:
    """ISO UTC time `days` working days (England and Wales) from today, at
    the same UK time of day: a reminder "after three working days"."""
    return workdays.working_days_after(clock.now(), days).astimezone(UTC).isoformat()


def days_from_now_on_a_working_day(days: int) -> str:
    """ISO UTC time `days` calendar days from now, on the next working day
    if it falls on a weekend or bank holiday: a review "every 14 days"."""
    return workdays.days_after_on_a_working_day(clock.now(), days).astimezone(UTC).isoformat()


def hours_after(moment_iso: str, hours: float) -> str:
    """ISO UTC time `hours` after a moment: the ICO's 72 hours run from when
    BCW Hub became aware, which may be before the case opened."""
    return (datetime.fromisoformat(moment_iso) + timedelta(hours=float(hours))).isoformat()


HELPERS = {
    "deadline_from_now": deadline_from_now,
    "halfway_to": halfway_to,
    "end_of_day_after": end_of_day_after,
    "working_days_from_now": working_days_from_now,
    "days_from_now_on_a_working_day": days_from_now_on_a_working_day,
    "hours_after": hours_after,
}

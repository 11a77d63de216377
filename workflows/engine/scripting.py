"""The helpers BPMN scripts may call, and nothing else of ours.

Scripts in diagrams are trusted code from this repository (the library's
script engine is not a sandbox); the web never accepts uploaded BPMN.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from . import clock


def deadline_from_now(hours: float) -> str:
    """ISO UTC time `hours` from now, for timeDate timers."""
    return (clock.now() + timedelta(hours=float(hours))).isoformat()


def halfway_to(deadline_iso: str) -> str:
    """The moment halfway between now and a deadline (the reminder time)."""
    start = clock.now()
    deadline = datetime.fromisoformat(deadline_iso)
    return (start + (deadline - start) / 2).isoformat()


@lru_cache(maxsize=8)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: date) -> bool:
    """Weekdays that are not bank holidays in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


HELPERS = {
    "deadline_from_now": deadline_from_now,
    "halfway_to": halfway_to,
}

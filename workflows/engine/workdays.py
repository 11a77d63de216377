"""Working days: weekdays that are not bank holidays in England and Wales
(the `holidays` package's calendar for England), and the moments at which
a UK day begins and ends."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from . import clock


@lru_cache(maxsize=8)
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (not counting `start`)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def today() -> date:
    """Today in the UK."""
    return clock.london(clock.now()).date()


def end_of(day: date) -> datetime:
    """The last moment of a UK day, as UTC."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=clock.LONDON).astimezone(clock.now().tzinfo)


def long_date(day: date) -> str:
    return day.strftime("%A %-d %B %Y")

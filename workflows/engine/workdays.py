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


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first one after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def at_same_time(moment: datetime, day: date) -> datetime:
    """`day` at `moment`'s UK time of day, as UTC."""
    local = clock.london(moment)
    return datetime.combine(day, local.time(), tzinfo=clock.LONDON).astimezone(moment.tzinfo)


def working_days_after(moment: datetime, days: int) -> datetime:
    """`days` working days after `moment`, at the same UK time of day."""
    return at_same_time(moment, add_working_days(clock.london(moment).date(), int(days)))


def days_after_on_a_working_day(moment: datetime, days: int) -> datetime:
    """`days` calendar days after `moment`, moved on to the next working day
    if that is a weekend or bank holiday ("reviewed every 14 days", never on
    a Sunday), at the same UK time of day."""
    day = clock.london(moment).date() + timedelta(days=int(days))
    return at_same_time(moment, next_working_day(day))


def today() -> date:
    """Today in the UK."""
    return clock.london(clock.now()).date()


def end_of(day: date) -> datetime:
    """The last moment of a UK day, as UTC."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=clock.LONDON).astimezone(clock.now().tzinfo)


def long_date(day: date) -> str:
    return day.strftime("%A %-d %B %Y")

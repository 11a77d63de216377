"""The helpers diagrams may call to set timers (workflows/engine/scripting.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workflows.engine import clock
from workflows.engine.scripting import HELPERS, working_days_from_now


@pytest.mark.parametrize(
    "now, days, expected",
    [
        (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), 3, datetime(2026, 3, 5, 9, 0, tzinfo=UTC)),  # Monday to Thursday
        (datetime(2026, 3, 6, 9, 0, tzinfo=UTC), 1, datetime(2026, 3, 9, 9, 0, tzinfo=UTC)),  # Friday: no weekend
        (datetime(2026, 3, 7, 12, 0, tzinfo=UTC), 1, datetime(2026, 3, 9, 12, 0, tzinfo=UTC)),  # from a Saturday
        # 09:00 GMT on Friday is 09:00 BST on Monday, after the clocks go forward: 08:00 UTC.
        (datetime(2026, 3, 27, 9, 0, tzinfo=UTC), 1, datetime(2026, 3, 30, 8, 0, tzinfo=UTC)),
        # Good Friday and Easter Monday are bank holidays in England and Wales.
        (datetime(2026, 4, 2, 9, 0, tzinfo=UTC), 1, datetime(2026, 4, 7, 9, 0, tzinfo=UTC)),
        # 23:30 UTC on a Monday in summer is 00:30 on Tuesday in the UK: Wednesday 00:30 BST.
        (datetime(2026, 6, 1, 23, 30, tzinfo=UTC), 1, datetime(2026, 6, 2, 23, 30, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_working_days_from_now_keeps_the_uk_time_of_day(now, days, expected):
    clock.freeze(now)
    assert datetime.fromisoformat(working_days_from_now(days)) == expected


def test_diagrams_may_call_it():
    assert HELPERS["working_days_from_now"] is working_days_from_now


@pytest.mark.parametrize(
    "now, days, expected",
    [
        (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), 14, datetime(2026, 3, 16, 9, 0, tzinfo=UTC)),  # a Monday: as it is
        (datetime(2026, 3, 8, 9, 0, tzinfo=UTC), 14, datetime(2026, 3, 23, 9, 0, tzinfo=UTC)),  # a Sunday: Monday
        (datetime(2026, 3, 20, 9, 0, tzinfo=UTC), 14, datetime(2026, 4, 7, 8, 0, tzinfo=UTC)),  # Good Friday: Tuesday
    ],
)  # fmt: skip
def test_days_from_now_on_a_working_day_moves_a_weekend_or_bank_holiday_on(now, days, expected):
    clock.freeze(now)
    assert datetime.fromisoformat(HELPERS["days_from_now_on_a_working_day"](days)) == expected


def test_hours_after_counts_from_the_moment_given():
    assert HELPERS["hours_after"]("2026-03-02T09:00:00+00:00", 72) == "2026-03-05T09:00:00+00:00"

"""The one clock. Everything that asks "what time is it?" asks here.

Tests move it; SpiffWorkflow's timer module is pointed at it too, so BPMN
timers fire on the same time as everything else.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer

LONDON = ZoneInfo("Europe/London")
_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset


def freeze(at: datetime) -> None:
    """Stop the clock at `at` (tests)."""
    global _frozen
    _frozen = at.astimezone(UTC)


def advance(delta: timedelta) -> None:
    """Move the clock forward, frozen or not (tests, demos)."""
    global _frozen, _offset
    if _frozen is not None:
        _frozen += delta
    else:
        _offset += delta


@contextmanager
def stopped_at(moment: datetime):
    """Stop the clock at `moment` for the block, then put it back as it was
    (demo data made in the past). Move it on inside with `freeze`."""
    global _frozen, _offset
    saved = _frozen, _offset
    freeze(moment)
    try:
        yield
    finally:
        _frozen, _offset = saved


def reset() -> None:
    global _frozen, _offset
    _frozen, _offset = None, timedelta(0)


def london(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


class _ClockedDatetime(datetime):
    """What SpiffWorkflow's timers see as `datetime`: same class, our `now`."""

    @classmethod
    def now(cls, tz=None):
        current = now()
        return current.astimezone(tz) if tz else current.astimezone().replace(tzinfo=None)


_spiff_timer.datetime = _ClockedDatetime

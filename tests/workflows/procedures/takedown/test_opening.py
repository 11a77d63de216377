"""Opening a takedown request (takedown/opening.py): what the operation refuses
whichever page or caller sends it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models import Case
from tests.factories import make_manager, make_takedown, make_user
from workflows.engine.errors import InvalidInput


@pytest.mark.parametrize(
    "captured_at",
    [datetime(1900, 1, 1, tzinfo=UTC), datetime(2025, 3, 2, 8, 59, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)],
)
def test_a_capture_time_over_a_year_ago_or_in_the_future_is_refused_naming_the_range(ctx, db, captured_at):
    with pytest.raises(InvalidInput) as refused:
        make_takedown(ctx, make_manager(db), make_user(db), captured_at=captured_at)
    assert refused.value.errors == {
        "captured_at": [
            "The capture time must be between 2 March 2025, 09:00 (a year before the case was opened) "
            "and now, 2 March 2026, 09:00 (UK time)."
        ]
    }
    assert db.scalar(select(Case.id)) is None


def test_a_capture_time_within_the_year_is_kept(ctx, db):
    case = make_takedown(ctx, make_manager(db), make_user(db), captured_at=datetime(2025, 3, 2, 9, 0, tzinfo=UTC))
    assert case.status == "open"

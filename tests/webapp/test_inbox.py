"""The inbox lists a person's steps soonest due first and marks those past
their due time as overdue, in words, not by colour alone."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.factories import make_manager, make_takedown, make_user
from workflows.engine import clock


def test_steps_are_sorted_by_due_time_and_overdue_ones_marked(ctx, db, web):
    manager = make_manager(db, "Mark Taylor")
    ellie = make_user(db, "Ellie Jones", line_manager=manager)
    later = make_takedown(ctx, manager, ellie, deadline_hours=72)
    sooner = make_takedown(ctx, manager, ellie, deadline_hours=24)
    clock.advance(timedelta(hours=30))  # past the 24 hours, within the 72
    web.login(ellie)
    rows = re.findall(r"<tr[^>]*>.*?</tr>", web.text("/"), flags=re.S)[1:]  # after the heading row
    assert [sooner.reference in rows[0], later.reference in rows[1]] == [True, True]
    assert 'class="table-danger"' in rows[0] and "Overdue:" in rows[0]
    assert "Overdue" not in rows[1] and "table-danger" not in rows[1]

"""Takedown compliance as the dashboard counts it: was the content removed
within the deadline, removed late, disputed, escalated? Each is read from the
request's task rows (`case_tasks`, indexed by form name), never from the
stored workflow, so the counts cost the same at any number of cases.

How the diagram leaves its marks: every notice (the first, and a final one)
is a "takedown_response" step; a dispute goes to a "dispute_review" step; an
escalation (a missed deadline, a refusal, content still visible after a
final notice, or HR's review) waits at an "escalation_decision" step. A
request ends "closed" when the requester confirms the removal, or when HR
closes an escalation with no further action. These form names are this
procedure's own (no other procedure registers them), so a set of task rows
is a set of takedown requests.
"""

from __future__ import annotations

from sqlalchemy import func, select

from models import Case, CaseTask, TaskState
from workflows.engine.registry import CLOSED, Measure, Progress

from .opening import KIND


def _with_step(form: str, *states: str):
    """Requests that ever had (or have, in `states`) a step of this form."""
    rows = select(CaseTask.case_id).where(CaseTask.form_name == form)
    if states:
        rows = rows.where(CaseTask.state.in_(states))
    return rows


# Requests that needed a second notice: the content was still visible, or HR
# upheld a dispute. A common table, so a page counting both kinds of removal
# groups the notices once.
_FINAL_NOTICES = (
    select(CaseTask.case_id)
    .where(CaseTask.form_name == "takedown_response")
    .group_by(CaseTask.case_id)
    .having(func.count() > 1)
    .cte("takedown_final_notices")
)


def _removed():
    """Ended with the requester confirming the content gone (the only other
    way to end "closed" is through an escalation)."""
    return [
        Case.kind == KIND,
        Case.status == CLOSED,
        Case.closed_at.is_not(None),  # so the ended cases' index answers (migration 0024)
        Case.id.not_in(_with_step("escalation_decision")),
    ]


def _removed_in_time():
    return select(Case.id).where(*_removed(), Case.id.not_in(select(_FINAL_NOTICES.c.case_id)))


def _removed_late():
    """Driven from the few final notices, not from every removed request."""
    return select(_FINAL_NOTICES.c.case_id).join(Case, Case.id == _FINAL_NOTICES.c.case_id).where(*_removed())


def _was_removed(case: Progress) -> bool:
    return case.closed and case.status == CLOSED and not case.had("escalation_decision")


MEASURES = (
    Measure(
        "removed_in_time",
        "Removed within the deadline",
        _removed_in_time,
        lambda case: _was_removed(case) and case.had("takedown_response") <= 1,
    ),
    Measure(
        "removed_late",
        "Removed late, after a final notice",
        _removed_late,
        lambda case: _was_removed(case) and case.had("takedown_response") > 1,
    ),
    Measure(
        "disputed",
        "Disputed",
        lambda: _with_step("dispute_review").distinct(),
        lambda case: case.had("dispute_review") > 0,
    ),
    Measure(
        "escalated",
        "Escalated to HR",
        lambda: _with_step("escalation_decision").distinct(),
        lambda case: case.had("escalation_decision") > 0,
    ),
    Measure(
        "escalated_open",
        "Escalated, still waiting on HR's decision",
        lambda: _with_step("escalation_decision", TaskState.READY).distinct(),
        lambda case: case.had("escalation_decision", TaskState.READY) > 0,
    ),
)

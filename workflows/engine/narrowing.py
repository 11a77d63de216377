"""The case list's narrower filters: each dashboard count names the filter
that lists exactly what it counted (`NARROWING`), with the SQL expressions
they and the dashboard share (months, durations, clauses cited)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, cast, exists, func, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB

from models import Case, CaseTask, TaskState, WrittenWarning

from . import clock, holds, registry


def month_of(column, dialect: str):
    """ "2026-05": the month of a timestamp column, as each database writes it."""
    return func.to_char(column, "YYYY-MM") if dialect == "postgresql" else func.strftime("%Y-%m", column)


def _month(column, value: str, dialect: str):
    return month_of(column, dialect) == value


def _waiting_on(value: str, _dialect: str):
    """Cases with a step waiting on a person (their id) or a pool ("pool:hr")."""
    owner = CaseTask.pool_role == value[5:] if value.startswith("pool:") else CaseTask.assignee_id == int(value)
    if value.startswith("pool:"):
        owner = and_(owner, CaseTask.assignee_id.is_(None))
    return Case.id.in_(select(CaseTask.case_id).where(waiting_step(), owner))


def waiting_step():
    """A step still waiting, written with the literal 'ready' (not a bound
    parameter), so SQLite can use the partial index of waiting steps
    (migration 0024): it matches an index's WHERE only against literals."""
    return CaseTask.state == literal_column(f"'{TaskState.READY.value}'")


def _due(value: str, _dialect: str):
    """Cases with a waiting step overdue, due within 7 days, or due later."""
    now = clock.now()
    when = {
        "overdue": CaseTask.due_at < now,
        "week": and_(CaseTask.due_at >= now, CaseTask.due_at < now + WEEK),
        "later": CaseTask.due_at >= now + WEEK,
    }[value]
    return Case.id.in_(select(CaseTask.case_id).where(waiting_step(), when))


def start_of(day: date) -> datetime:
    """Midnight UTC, as the dashboard's date range and the case list count days."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def opened_between(start: date | None, end: date | None) -> list:
    """Opened on or after `start` and on or before `end` (whole days)."""
    found = []
    if start:
        found.append(Case.opened_at >= start_of(start))
    if end:
        found.append(Case.opened_at < start_of(end + timedelta(days=1)))
    return found


def citing(clause: str, dialect: str):
    """Cases whose clauses include this one (a JSON list on each case)."""
    if dialect == "postgresql":
        # The column is jsonb there (migration 0001) but typed JSON in the model, whose `contains` is LIKE.
        return cast(Case.clauses, JSONB).contains([clause])  # jsonb @>
    cited = func.json_each(Case.clauses).table_valued("value")
    return exists(select(1).select_from(cited).where(cited.c.value == clause))


def time_to_close(dialect: str):
    """A closed case's time from opening to its end, as the database's own
    expression (migration 0024 indexes exactly this, so a median reads the
    index in order): days on SQLite, an interval on PostgreSQL."""
    if dialect == "postgresql":
        return Case.closed_at - Case.opened_at
    return func.julianday(Case.closed_at) - func.julianday(Case.opened_at)


def as_days(value, dialect: str) -> float:
    return value.total_seconds() / 86400 if dialect == "postgresql" else float(value)


def took_longer_than(days: float, dialect: str):
    limit = timedelta(days=days) if dialect == "postgresql" else days
    return and_(Case.closed_at.is_not(None), time_to_close(dialect) > limit)


def _measured(key: str, _dialect: str):
    return Case.id.in_(registry.measure(key).cases())


def _live_warning(level: str, _dialect: str):
    today = clock.now().date()
    live = select(WrittenWarning.case_id).where(
        WrittenWarning.level == level,
        WrittenWarning.revoked_on.is_(None),
        WrittenWarning.issued_on <= today,
        WrittenWarning.expires_on >= today,
    )
    return Case.id.in_(live)


WEEK = timedelta(days=7)
# The case list's narrower filters, each a dashboard count's own (checked by
# webapp/cases/forms.py before they get here).
NARROWING = {
    "state": lambda v, _d: Case.closed_at.is_(None) if v == "open" else Case.closed_at.is_not(None),
    "step": lambda v, _d: Case.current_step == v,
    "opened": lambda v, d: _month(Case.opened_at, v, d),
    "closed": lambda v, d: _month(Case.closed_at, v, d),
    "subject": lambda v, _d: Case.subject_id == int(v),
    "waiting": _waiting_on,
    "due": _due,
    "warning": _live_warning,
    "clause": citing,
    "opened_from": lambda v, _d: opened_between(date.fromisoformat(v), None)[0],
    "opened_to": lambda v, _d: opened_between(None, date.fromisoformat(v))[0],
    "longer_than": lambda v, d: took_longer_than(float(v), d),
    "measure": _measured,
    "held": lambda _v, _d: holds.held_cases(),
}

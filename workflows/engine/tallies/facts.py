"""What one case adds to the dashboard's tallies: a fact is (figure, kind,
day, key), counted once per case. Read from the database as it stands in
this transaction (the case's row and its steps), never from the objects in
the session, which may be older than another request's commit."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from models import Case, CaseTask

from .. import registry

Fact = tuple[str, str, str, str]  # figure, kind, day (ISO), key

OPENED, CLOSED, ENDED, MEASURE = "opened", "closed", "ended", "measure"
# What a case adds is read from these columns (and, for a procedure with
# measures, its steps' forms and states): a change to any other adds nothing.
CASE_COLUMNS = ("kind", "status", "clauses", "opened_at", "closed_at")


def ended_key(status: str, clauses) -> str:
    """An ended case's key: how it ended, and the rules it concerned (the
    same list, however it was written)."""
    return json.dumps([status, sorted(set(clauses or ()))])


def read_ended_key(key: str) -> tuple[str, tuple[str, ...]]:
    status, clauses = json.loads(key)
    return status, tuple(clauses)


def of_cases(db: Session, ids: Iterable[int]) -> dict[int, list[Fact]]:
    """{case id: its facts} for these cases (a case no longer there has none).
    One read: each case's row, beside each of its steps where its procedure
    has measures (a row per step), as plain rows, not objects."""
    ids = sorted(set(ids))
    with_steps = and_(CaseTask.case_id == Case.id, Case.kind.in_(_measured_kinds()))
    rows = db.connection().execute(
        select(Case.id, Case.kind, Case.status, Case.clauses, Case.opened_at, Case.closed_at)
        .add_columns(CaseTask.form_name, CaseTask.state)
        .outerjoin(CaseTask, with_steps)
        .where(Case.id.in_(ids))
    )
    cases, steps = {}, {}
    for row in rows:
        cases[row.id] = row
        if row.form_name is not None:
            steps.setdefault(row.id, []).append((row.form_name, str(row.state)))
    found: dict[int, list[Fact]] = {case_id: [] for case_id in ids}
    for case_id, row in cases.items():
        found[case_id] = _facts(row, steps.get(case_id, ()))
    return found


def _facts(row, steps) -> list[Fact]:
    opened = _day(row.opened_at)
    facts = [(OPENED, row.kind, opened, "")]
    if row.closed_at is not None:
        facts.append((CLOSED, row.kind, _day(row.closed_at), ""))
        facts.append((ENDED, row.kind, opened, ended_key(row.status, row.clauses)))
    progress = registry.Progress(row.status, row.closed_at is not None, tuple(steps))
    facts += [(MEASURE, row.kind, opened, m.name) for m in _measures(row.kind) if m.meets(progress)]
    return sorted(facts)


def measured(kind: str) -> bool:
    return bool(_measures(kind))


def _measured_kinds() -> list[str]:
    return [p.kind for p in registry.procedures() if p.measures]


def _measures(kind: str) -> tuple:
    procedure = registry.find(kind)
    return procedure.measures if procedure else ()


def _day(moment) -> str:
    """The UTC day, as the dashboard's date range counts days (narrowing.start_of)."""
    return moment.date().isoformat() if moment.tzinfo is None else moment.astimezone(UTC).date().isoformat()


def as_date(day: str) -> date:
    return date.fromisoformat(day)

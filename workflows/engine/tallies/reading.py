"""The dashboard's reads of the day rows: each a sum over a few hundred
rows per procedure and year, whatever the number of cases. Each gives what
the same count straight from the cases gives (dashboard/*.py), so a
figure can be counted either way: from here over everything, from the
cases over the few a viewer may not see."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import DashboardTally

from .facts import CLOSED, ENDED, MEASURE, OPENED, read_ended_key


def _summed(db: Session, figures: tuple[str, ...], kind: str, start: date | None, end: date | None, *by):
    where = [DashboardTally.figure.in_(figures)]
    if kind:
        where.append(DashboardTally.kind == kind)
    if start:
        where.append(DashboardTally.day >= start)
    if end:
        where.append(DashboardTally.day <= end)
    return db.execute(select(*by, func.sum(DashboardTally.cases)).where(*where).group_by(*by)).all()


def ended(db: Session, kind: str, start: date | None, end: date | None) -> dict[tuple, list[int]]:
    """{(kind, status, clauses): [cases]}: the ended cases opened in the range."""
    found: dict[tuple, list[int]] = {}
    for case_kind, key, n in _summed(db, (ENDED,), kind, start, end, DashboardTally.kind, DashboardTally.key):
        status, clauses = read_ended_key(key)
        found[case_kind, status, clauses] = [int(n)]
    return found


def by_day(db: Session, kind: str, since: date) -> dict[tuple[str, date], int]:
    """{("opened" or "closed", day): cases} from `since` on."""
    rows = _summed(db, (OPENED, CLOSED), kind, since, None, DashboardTally.figure, DashboardTally.day)
    return {(figure, day): int(n) for figure, day, n in rows}


def measured(db: Session, kind: str, start: date | None, end: date | None) -> dict[str, int]:
    """{measure: cases} of one procedure's cases opened in the range."""
    return {name: int(n) for name, n in _summed(db, (MEASURE,), kind, start, end, DashboardTally.key)}

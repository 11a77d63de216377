"""Each person's cases opened in the last year, per procedure and in all
(kind ""), for the dashboard's repeat subjects. A count is true from the
day it was made until its oldest case leaves the year (`recount_on`): the
worker recounts those due each hour, and a read counts any it has not yet
got to straight from the cases, so a figure is never stale."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from models import Case, SubjectTally

from .. import clock
from ..narrowing import start_of
from .upsert import upsert

YEAR = timedelta(days=365)  # "more than one case in 12 months" (the dashboard's repeat subjects)
NEVER = date(9999, 12, 31)
ALL = ""


def recount(db: Session, people: set[int], today: date | None = None) -> None:
    """Count these people's year afresh (each person's "all" row taken first,
    so two transactions about one person count one after the other)."""
    today = today or clock.now().date()
    for person in sorted(people):
        blank = {"person_id": person, "kind": ALL, "cases": 0, "counted_on": today, "recount_on": NEVER}
        upsert(db, SubjectTally, [blank], ["person_id", "kind"], None)
        db.execute(select(SubjectTally.kind).where(SubjectTally.person_id == person).with_for_update()).all()
        rows = _rows(count_year(db, [Case.subject_id == person], today), today) or [blank]
        upsert(
            db,
            SubjectTally,
            rows,
            ["person_id", "kind"],
            lambda excluded: {
                "cases": excluded.cases,
                "counted_on": excluded.counted_on,
                "recount_on": excluded.recount_on,
            },
        )
        present = [row["kind"] for row in rows]
        db.execute(
            update(SubjectTally)
            .where(SubjectTally.person_id == person, SubjectTally.kind.not_in(present))
            .values(cases=0, counted_on=today, recount_on=NEVER)
        )


def count_year(db: Session, where: list, today: date) -> dict[tuple[int, str], tuple[int, date]]:
    """{(person, kind): (cases in the year, the first one's day)}."""
    rows = db.execute(
        select(Case.subject_id, Case.kind, func.count(), func.min(Case.opened_at))
        .where(Case.opened_at >= start_of(today - YEAR), *where)
        .group_by(Case.subject_id, Case.kind)
    )
    return {(person, kind): (n, _as_date(first)) for person, kind, n, first in rows}


def _rows(counts: dict[tuple[int, str], tuple[int, date]], today: date) -> list[dict]:
    """Rows for these counts, each person's "all" row among them. A count
    holds until the day after its first case's year is out."""
    everyone: dict[int, tuple[int, date]] = {}
    for (person, _kind), (n, first) in counts.items():
        had, earliest = everyone.get(person, (0, first))
        everyone[person] = (had + n, min(first, earliest))
    found = {**counts, **{(person, ALL): total for person, total in everyone.items()}}
    return [
        {
            "person_id": person,
            "kind": kind,
            "cases": n,
            "counted_on": today,
            "recount_on": first + YEAR + timedelta(days=1),
        }
        for (person, kind), (n, first) in found.items()
    ]


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def stale(today: date):
    """Counts not true today (made later than today, on a moved clock, or past their time)."""
    return or_(SubjectTally.recount_on <= today, SubjectTally.counted_on > today)


def repeats(db: Session, kind: str, today: date, limit: int) -> dict[int, int]:
    """{person: cases in the year}, for the `limit` people with the most
    (more than one), ties to the earlier person on record, as a count
    straight from the cases would give."""
    fresh = db.execute(
        select(SubjectTally.person_id, SubjectTally.cases)
        .where(SubjectTally.kind == kind, SubjectTally.cases > 1, ~stale(today))
        .order_by(SubjectTally.cases.desc(), SubjectTally.person_id)
        .limit(limit)
    ).all()
    found = dict(fresh)
    due = list(db.scalars(select(SubjectTally.person_id).where(SubjectTally.kind == kind, stale(today))))
    if due:  # counted here, straight from their cases, until the worker recounts them
        where = [Case.subject_id.in_(due)] + ([Case.kind == kind] if kind else [])
        for (person, _kind), (n, _first) in count_year(db, where, today).items():
            found[person] = found.get(person, 0) + n
    ranked = sorted(((n, person) for person, n in found.items() if n > 1), key=lambda r: (-r[0], r[1]))
    return {person: n for n, person in ranked[:limit]}


def refresh_due(db: Session, batch: int = 500) -> int:
    """Recount the people whose counts have gone past their time (the worker's hourly upkeep)."""
    today = clock.now().date()
    people = set(db.scalars(select(SubjectTally.person_id).where(stale(today)).distinct().limit(batch)))
    if people:
        recount(db, people, today)
    return len(people)


def rebuild(db: Session) -> None:
    """Every person's counts, from the cases (after a bulk load, or a migration)."""
    today = clock.now().date()
    db.execute(SubjectTally.__table__.delete())
    rows = _rows(count_year(db, [], today), today)
    if rows:
        db.execute(SubjectTally.__table__.insert(), rows)

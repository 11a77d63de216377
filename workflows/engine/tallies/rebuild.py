"""Tallies from the cases themselves: built whole after a bulk load or a
migration that changes what is counted, and checked against the cases (by
the tests on every path, or by hand: `flask tallies check`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import Case, CaseTally, DashboardTally, SubjectTally, TallyChange

from .. import clock
from . import facts, subjects
from .keeping import fold

BATCH = 2000


def rebuild(db: Session) -> int:
    """Every case's facts and every tally, afresh; returns the cases counted."""
    db.execute(delete(TallyChange))  # what they would fold is counted here
    db.execute(delete(DashboardTally))
    db.execute(delete(CaseTally))
    total: Counter = Counter()
    counted = 0
    for found in _all_facts(db):
        db.execute(
            CaseTally.__table__.insert(), [{"case_id": i, "facts": [list(f) for f in fs]} for i, fs in found.items()]
        )
        for fs in found.values():
            total.update(fs)
        counted += len(found)
    rows = [
        {"figure": f[0], "kind": f[1], "day": facts.as_date(f[2]), "key": f[3], "cases": n} for f, n in total.items()
    ]
    if rows:
        db.execute(DashboardTally.__table__.insert(), rows)
    subjects.rebuild(db)
    return counted


def check(db: Session) -> list[str]:
    """What the tallies say and the cases do not (nothing, if they agree),
    once the changes recorded so far are folded in."""
    fold(db)
    wrong = []
    kept = {i: [tuple(f) for f in fs] for i, fs in db.execute(select(CaseTally.case_id, CaseTally.facts))}
    total: Counter = Counter()
    for found in _all_facts(db):
        for case_id, fs in found.items():
            total.update(fs)
            if kept.get(case_id, []) != fs:
                wrong.append(f"case {case_id} added {kept.get(case_id, [])}, has {fs}")
    tallied = Counter(
        {
            (r.figure, r.kind, r.day.isoformat(), r.key): r.cases
            for r in db.execute(select(DashboardTally)).scalars()
            if r.cases
        }
    )
    if tallied != +total:
        wrong.append(f"day rows differ: {sorted((tallied - total) + (total - tallied))}")
    return wrong + _subjects_wrong(db)


def _subjects_wrong(db: Session) -> list[str]:
    """People's counts that are true today (not due a recount) against their cases."""
    today = clock.now().date()
    due = set(db.execute(select(SubjectTally.person_id, SubjectTally.kind).where(subjects.stale(today))).all())
    fresh = {
        (r.person_id, r.kind): r.cases
        for r in db.scalars(select(SubjectTally).where(~subjects.stale(today)))
        if r.cases
    }
    counted: Counter = Counter()
    for (person, kind), (n, _first) in subjects.count_year(db, [], today).items():
        counted[person, kind] += n
        counted[person, subjects.ALL] += n
    expected = {key: n for key, n in counted.items() if key not in due}
    return [] if fresh == expected else [f"people's years differ: {sorted(set(fresh.items()) ^ set(expected.items()))}"]


def _all_facts(db: Session) -> Iterator[dict[int, list]]:
    last = 0
    while True:
        ids = list(db.scalars(select(Case.id).where(Case.id > last).order_by(Case.id).limit(BATCH)))
        if not ids:
            return
        yield facts.of_cases(db, ids)
        last = ids[-1]

"""Keeping the tallies current, in the transaction of the operation that
changed a case: whatever a flush wrote to a case or its steps is noted, and
before the commit (or before this session reads a tally) each noted case's
facts are read afresh and the difference from what it added before is
applied.

Locks, and why there is no deadlock: these rows are taken only here, at the
end of a transaction, after everything the operation itself locked, and
always in one order: the cases' own tally rows (by case id), then each
person's row (by person), then the day rows (sorted). A transaction holding
one of them waits only for rows later in that order, so no two can wait on
each other. Taking a case's row first also makes two transactions that
changed the same case count it one after the other, the second reading what
the first committed."""

from __future__ import annotations

from collections import Counter
from itertools import chain

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session

from models import Case, CaseTally, CaseTask, DashboardTally

from . import facts, subjects
from .upsert import dialect_insert, upsert

_NOTED = "tallies.noted"


@event.listens_for(Session, "after_flush")
def _note(db: Session, _context) -> None:
    """The cases (and subjects) this flush changed; the collections still
    hold what was flushed, and the ids are assigned."""
    cases, people = db.info.setdefault(_NOTED, (set(), set()))
    for obj in chain(db.new, db.dirty):
        if isinstance(obj, Case):
            cases.add(obj.id)
            if obj in db.new:
                people.add(obj.subject_id)
            else:  # a change of subject (anonymisation) moves a case between two people's years
                history = inspect(obj).attrs.subject_id.history
                people.update(p for p in (*history.added, *history.deleted) if p is not None)
        elif isinstance(obj, CaseTask):
            cases.add(obj.case_id)


@event.listens_for(Session, "before_commit")
def _keep(db: Session) -> None:
    settle(db)


@event.listens_for(Session, "after_rollback")
def _forget(db: Session) -> None:
    db.info.pop(_NOTED, None)


def settle(db: Session) -> None:
    """Apply what this session has changed so far (before its commit, and
    before it reads a tally: its own changes count, as in any read)."""
    db.flush()
    cases, people = db.info.pop(_NOTED, (set(), set()))
    if cases:
        _apply(db, cases)
    if people:
        subjects.recount(db, people)
    if cases or people:
        db.info.pop(_NOTED, None)  # the rows written here are not changes to count


def _apply(db: Session, ids: set[int]) -> None:
    """Each case's new facts against the ones it added before."""
    ids = sorted(ids)
    old = {case_id: [tuple(f) for f in taken] for case_id, taken in _take(db, ids)}
    new = facts.of_cases(db, ids)
    delta: Counter = Counter()
    for case_id in ids:
        before, after = old.get(case_id, []), new.get(case_id, [])
        if before != after:
            delta.update(after)
            delta.subtract(before)
            db.execute(update(CaseTally).where(CaseTally.case_id == case_id).values(facts=[list(f) for f in after]))
    add(db, delta)


def _take(db: Session, ids: list[int]):
    """Lock each case's row, in id order, and read what it added before (a
    new case's row is made, adding nothing yet): one statement each."""
    stmt = dialect_insert(db, CaseTally)
    stmt = stmt.on_conflict_do_update(index_elements=["case_id"], set_={"case_id": stmt.excluded.case_id})
    stmt = stmt.returning(CaseTally.case_id, CaseTally.facts)
    for case_id in ids:
        yield db.execute(stmt, {"case_id": case_id, "facts": []}).one()


def add(db: Session, delta: Counter) -> None:
    """Add each fact's change to its day row, in the one order."""
    rows = [
        {"figure": f[0], "kind": f[1], "day": facts.as_date(f[2]), "key": f[3], "cases": n}
        for f, n in sorted(delta.items())
        if n
    ]
    if rows:
        keys = ["figure", "kind", "day", "key"]
        upsert(db, DashboardTally, rows, keys, lambda excluded: {"cases": DashboardTally.cases + excluded.cases})

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
from functools import cache
from itertools import chain

from sqlalchemy import bindparam, event, inspect, update
from sqlalchemy.orm import Session

from models import Case, CaseTally, CaseTask, DashboardTally

from . import facts, subjects
from .upsert import insert_for

_NOTED = "tallies.noted"


@event.listens_for(Session, "after_flush")
def _note(db: Session, _context) -> None:
    """The cases (and subjects) this flush changed in what they add; the
    collections and the attributes' history still hold what was flushed."""
    cases, people = db.info.setdefault(_NOTED, (set(), set()))
    for obj in chain(db.new, db.dirty):
        if isinstance(obj, Case):
            if obj in db.new:
                cases.add(obj.id)
                people.add(obj.subject_id)
                continue
            state = inspect(obj).attrs
            if any(state[name].history.has_changes() for name in facts.CASE_COLUMNS):
                cases.add(obj.id)
            # A change of subject (anonymisation) moves a case between two people's years.
            people.update(p for p in (*state.subject_id.history.added, *state.subject_id.history.deleted) if p)
        elif isinstance(obj, CaseTask) and _counts_steps(db, obj):
            cases.add(obj.case_id)


def _counts_steps(db: Session, step: CaseTask) -> bool:
    """Whether a step's change can change what its case adds: only a new
    step, or a step's new state, in a procedure with measures (an unknown
    case, not in this session, is counted again to be sure)."""
    if step not in db.new and not inspect(step).attrs.state.history.has_changes():
        return False
    case = db.identity_map.get(Session.identity_key(Case, step.case_id))
    return case is None or facts.measured(case.kind)


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
    conn = db.connection()  # plain statements, built once (the ORM's execute costs more than these do)
    made = _statements(conn.dialect.name)
    old = {i: [tuple(f) for f in conn.execute(made["take"], {"case_id": i, "facts": []}).one().facts] for i in ids}
    new = facts.of_cases(db, ids)
    delta: Counter = Counter()
    for case_id in ids:
        before, after = old[case_id], new.get(case_id, [])
        if before != after:
            delta.update(after)
            delta.subtract(before)
            conn.execute(made["keep"], {"id": case_id, "facts": [list(f) for f in after]})
    rows = [
        {"figure": f[0], "kind": f[1], "day": facts.as_date(f[2]), "key": f[3], "cases": n}
        for f, n in sorted(delta.items())
        if n
    ]
    if rows:  # executed in this order, so day rows are taken in the one order
        conn.execute(made["add"], rows)


@cache
def _statements(dialect: str) -> dict:
    """take: lock a case's row and read what it added before (a new case's
    row is made, adding nothing yet), in one statement; keep: what it adds
    now; add: a change to a day row's count."""
    cases, days = CaseTally.__table__, DashboardTally.__table__
    take = insert_for(dialect, cases)
    take = take.on_conflict_do_update(index_elements=["case_id"], set_={"case_id": take.excluded.case_id})
    add = insert_for(dialect, days)
    add = add.on_conflict_do_update(
        index_elements=["figure", "kind", "day", "key"], set_={"cases": days.c.cases + add.excluded.cases}
    )
    return {
        "take": take.returning(cases.c.facts),
        "keep": update(cases).where(cases.c.case_id == bindparam("id")).values(facts=bindparam("facts")),
        "add": add,
    }

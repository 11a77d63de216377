"""Keeping the tallies current. An operation only records what it changed:
whatever a flush wrote to a case's counted columns or its steps is noted,
and before the commit each noted case (and person) becomes a row of
`tally_changes`, in the operation's own transaction, so work that rolls
back records nothing. That is one INSERT: an operation never waits on a
shared counter, nor makes another wait.

`fold` then reads each changed case's facts afresh and applies the
difference from what it added before. The worker folds every round; the
dashboard folds what is left before it reads, so its figures count every
committed operation.

Locks, and why folds never deadlock: a fold takes the changes it folds
first, then the cases' own tally rows (by case id), each person's row (by
person), and the day rows (sorted), always in that order. A fold holding one
of them waits only for rows later in that order, so no two wait on each
other; and a case's row, taken before its facts are read, makes two folds of
one case count it one after the other, the second reading what the first
committed."""

from __future__ import annotations

from collections import Counter
from functools import cache
from itertools import chain

from sqlalchemy import bindparam, delete, event, inspect, select, update
from sqlalchemy.orm import Session

from models import Case, CaseTally, CaseTask, DashboardTally, TallyChange

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
def _record(db: Session) -> None:
    """The noted cases and people, as changes to fold (the operation's one write for them)."""
    db.flush()
    cases, people = db.info.pop(_NOTED, (set(), set()))
    rows = [{"case_id": i, "person_id": None} for i in sorted(cases)]
    rows += [{"case_id": None, "person_id": p} for p in sorted(people)]
    if rows:
        db.connection().execute(TallyChange.__table__.insert(), rows)


@event.listens_for(Session, "after_rollback")
def _forget(db: Session) -> None:
    db.info.pop(_NOTED, None)


def settle(db: Session) -> None:
    """Record what this session has changed and fold every change there is
    (before the dashboard reads: its own changes count, as in any read)."""
    _record(db)
    fold(db)


def fold(db: Session, limit: int | None = None) -> int:
    """Apply recorded changes to the tallies (the oldest `limit`, or all);
    returns how many. The worker skips changes another fold holds; a reader
    waits for them, so what it reads counts them."""
    pending = select(TallyChange.id, TallyChange.case_id, TallyChange.person_id).order_by(TallyChange.id)
    pending = pending.limit(limit).with_for_update(skip_locked=True) if limit else pending.with_for_update()
    taken = db.connection().execute(pending).all()
    if not taken:
        return 0
    cases = {row.case_id for row in taken if row.case_id is not None}
    people = {row.person_id for row in taken if row.person_id is not None}
    if cases:
        _apply(db, cases)
    if people:
        subjects.recount(db, people)
    db.connection().execute(delete(TallyChange).where(TallyChange.id.in_([row.id for row in taken])))
    return len(taken)


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

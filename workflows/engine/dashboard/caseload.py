"""The work in hand and the last twelve months: open cases by procedure and
step, steps due by who they wait on, cases opened and closed per month,
people with more than one case, live warnings. Each is one aggregate query
over an index (migration 0024), whatever the number of cases."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from sqlalchemy import and_, func, select
from sqlalchemy import case as when

from models import Case, CaseTask, User, WrittenWarning

from .. import clock, tallies
from ..narrowing import start_of, waiting_step
from ..tallies import reading as tallied
from ..tallies.subjects import YEAR
from .scope import Row, Scope, label

MONTHS = 12
SOON = timedelta(days=7)
REPEAT_WINDOW = YEAR  # the same year the tallies count
REPEATS_SHOWN = 50


def open_work(scope: Scope) -> tuple[list[Row], list[Row]]:
    """Open cases by procedure, and by the step they wait at (one query)."""
    found = scope.tally(
        lambda where: (
            select(Case.kind, Case.current_step, func.count())
            .where(Case.closed_at.is_(None), *where)
            .group_by(Case.kind, Case.current_step)
        ),
        ranged=False,
        keys=2,
    )
    steps = [(kind, step, n) for (kind, step), (n,) in found.items() if n]
    totals: dict[str, int] = {}
    for kind, _step, n in steps:
        totals[kind] = totals.get(kind, 0) + n
    by_procedure = [
        Row(label(kind), n, scope.link(ranged=False, kind=kind, state="open"))
        for kind, n in sorted(totals.items(), key=lambda item: -item[1])
    ]
    by_step = [
        Row(
            f"{label(kind)}: {step or 'waiting on no one'}",
            n,
            scope.link(ranged=False, kind=kind, state="open", step=step or ""),
        )
        for kind, step, n in sorted(steps, key=lambda r: (r[0], -r[2]))
    ]
    return by_procedure, by_step


def due_by_owner(scope: Scope) -> list[tuple[str, Row, Row]]:
    """Cases with a step waiting on a person or pool, by that owner: those
    with a waiting step overdue, and due within 7 days (any of the case's
    steps, as the case list's `waiting` and `due` filters list them)."""
    now = clock.now()
    late = func.max(when((CaseTask.due_at < now, 1), else_=0)).label("late")
    soon = func.max(when((and_(CaseTask.due_at >= now, CaseTask.due_at < now + SOON), 1), else_=0)).label("soon")
    due = (
        select(CaseTask.case_id, late, soon)
        .where(waiting_step(), CaseTask.due_at.is_not(None))
        .group_by(CaseTask.case_id)
        .subquery()
    )
    # `assignee_id + 0`, not the column: without statistics SQLite would walk
    # every step ever taken in assignee order (its index) to save a sort,
    # where the waiting ones are a few dozen (their own index, 0024). A pool
    # owns a step only while no one has taken it (the list's rule too).
    assignee = (CaseTask.assignee_id + 0).label("assignee")
    pool = when((CaseTask.assignee_id.is_(None), CaseTask.pool_role), else_=None).label("pool")
    owners = select(assignee, pool, CaseTask.case_id).where(waiting_step()).distinct().subquery()
    found = scope.tally(
        lambda where: (
            select(owners.c.assignee, owners.c.pool, func.sum(due.c.late), func.sum(due.c.soon))
            .join(due, due.c.case_id == owners.c.case_id)
            .join(Case, Case.id == owners.c.case_id)
            .where(*where)
            .group_by(owners.c.assignee, owners.c.pool)
        ),
        ranged=False,
        keys=2,
    )
    people = {assignee for assignee, _pool in found if assignee}
    names = dict(scope.db.execute(select(User.id, User.name).where(User.id.in_(people))).all()) if people else {}
    rows = []
    for (assignee, pool), (late, coming) in found.items():
        if not late and not coming:
            continue
        owner = names.get(assignee) if assignee else f"{(pool or 'no one').replace('_', ' ').title()} (pool)"
        waiting = str(assignee) if assignee else f"pool:{pool}"
        rows.append(
            (
                owner or "someone",
                Row("overdue", late, scope.link(ranged=False, waiting=waiting, due="overdue")),
                Row("due this week", coming, scope.link(ranged=False, waiting=waiting, due="week")),
            )
        )
    return sorted(rows, key=lambda r: (-r[1].count, -r[2].count, r[0]))


def per_month(scope: Scope) -> list[tuple[str, Row, Row]]:
    """Cases opened and closed in each of the last twelve months (UTC months).
    Each month is a range count on its column's index, all in one statement:
    grouping by a formatted month would format every case's date."""
    months = _months(clock.now().date())
    bounds = [start_of(first) for first in months] + [start_of(_next_month(months[-1]))]

    def counts(where: list):
        return select(
            *[
                select(func.count()).where(column >= start, column < end, *where).scalar_subquery()
                for column in (Case.opened_at, Case.closed_at)
                for start, end in pairwise(bounds)
            ]
        )

    def summed():
        per_day = tallied.by_day(scope.db, scope.filters.kind, months[0])
        found = [0] * (2 * MONTHS)
        for (figure, day), n in per_day.items():
            month = (day.year - months[0].year) * 12 + day.month - months[0].month
            if 0 <= month < MONTHS:
                found[(0 if figure == tallied.OPENED else MONTHS) + month] += n
        return {(): found}

    found = scope.count(counts, ranged=False, summed=summed)
    rows = []
    for k, first in enumerate(months):
        month = first.strftime("%Y-%m")
        rows.append(
            (
                month,
                Row("opened", found[k], scope.link(ranged=False, opened=month)),
                Row("closed", found[MONTHS + k], scope.link(ranged=False, closed=month)),
            )
        )
    return rows


def _months(today: date) -> list[date]:
    """The first day of each of the last twelve months, oldest first."""
    firsts = []
    for k in range(MONTHS - 1, -1, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - k, 12)
        firsts.append(date(year, month + 1, 1))
    return firsts


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def repeat_subjects(scope: Scope) -> list[Row]:
    """People who were the subject of more than one case opened in the last
    12 months (from the start of the day a year ago, so the list it links to,
    narrowed by that day, holds the same cases)."""
    since = clock.now().date() - REPEAT_WINDOW
    # HR's few unseen cases can lower a person's count, and so let someone
    # further down the list into the first 50: fetch that many more.
    shown = REPEATS_SHOWN + len(scope.hidden)

    def counted(where: list, having: bool):
        """The most cases first (a tie at the last place goes to the earlier
        person on record), named after the cut: not every person with a repeat."""
        n = func.count().label("n")
        per_person = select(Case.subject_id.label("person"), n).where(Case.opened_at >= start_of(since), *where)
        per_person = per_person.group_by(Case.subject_id)
        if having:
            per_person = per_person.having(func.count() > 1)
        top = per_person.order_by(n.desc(), Case.subject_id).limit(shown).subquery()
        return select(User.id, User.name, top.c.n).join(top, top.c.person == User.id)

    # Repeats among all the cases, less each person's unseen ones (any
    # number of them, so counted without the "more than one").
    def summed():
        top = tallies.repeats(scope.db, scope.filters.kind, clock.now().date(), shown)
        names = dict(scope.db.execute(select(User.id, User.name).where(User.id.in_(top))).all()) if top else {}
        return {(person, names.get(person)): [n] for person, n in top.items()}

    found = scope.totals(lambda where: counted(where, having=True), ranged=False, keys=2, summed=summed)
    unseen = scope.unseen(lambda where: counted(where, having=False), ranged=False, keys=2)
    found = {key: [n - unseen.get(key, [0])[0]] for key, (n,) in found.items()}
    people = sorted(((n, name, person) for (person, name), (n,) in found.items() if n > 1), key=lambda r: (-r[0], r[1]))
    return [
        Row(name, n, scope.link(ranged=False, subject=str(person), opened_from=since.isoformat()))
        for n, name, person in people[:REPEATS_SHOWN]
    ]


def live_warnings(scope: Scope) -> list[Row]:
    today = clock.now().date()

    def counted(where: list):
        # Cases, as the list it links to lists them (a case may hold two).
        live = select(WrittenWarning.level, func.count(func.distinct(WrittenWarning.case_id))).where(
            WrittenWarning.revoked_on.is_(None),
            WrittenWarning.issued_on <= today,
            WrittenWarning.expires_on >= today,
        )
        if where:  # read from the register; its cases only when something narrows them
            live = live.where(WrittenWarning.case_id.in_(select(Case.id).where(*where)))
        return live.group_by(WrittenWarning.level)

    found = scope.tally(counted, ranged=False, keys=1)
    words = {"first_written": "First written warnings", "final_written": "Final written warnings"}
    live = [(level, n) for (level,), (n,) in found.items() if n]
    return [Row(words.get(level, level), n, scope.link(ranged=False, warning=level)) for level, n in live]

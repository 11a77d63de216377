"""How cases ended: by outcome, by the rules they concerned, and how long
they took against each procedure's target.

One grouped read of the ended cases' index gives both the outcomes and the
outcomes by clause (a case's clauses are a short JSON list: grouped by the
list, then counted per clause here, so no database has to unnest every
case's list). The median reads the index of times to close (migration 0024)
in order, half-way: no database sorts the durations, and no case is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models import Case

from ... import policy
from .. import registry
from ..narrowing import as_days, time_to_close, took_longer_than
from ..tallies import reading as tallied
from .scope import Row, Scope, label


@dataclass
class Ended:
    """The ended cases in scope, grouped: {(kind, status, clauses): count}."""

    groups: dict[tuple[str, str, tuple[str, ...]], int]

    def by_kind(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for (kind, _status, _clauses), n in self.groups.items():
            found[kind] = found.get(kind, 0) + n
        return found


def ended(scope: Scope) -> Ended:
    rows = scope.tally(
        lambda where: (
            select(Case.kind, Case.status, Case.clauses, func.count())
            .where(Case.closed_at.is_not(None), *where)
            .group_by(Case.kind, Case.status, Case.clauses)
        ),
        ranged=True,
        keys=3,
        summed=lambda: tallied.ended(scope.db, scope.filters.kind, *scope.days(ranged=True)),
    )
    groups: dict[tuple[str, str, tuple[str, ...]], int] = {}
    for (kind, status, clauses), (n,) in rows.items():
        key = (kind, status, tuple(sorted(set(clauses or ()))))  # the same list, however it was written
        groups[key] = groups.get(key, 0) + n
    return Ended({key: n for key, n in groups.items() if n})


def _ending(kind: str, status: str) -> str:
    statuses = registry.all_statuses()
    return f"{label(kind)}: {statuses[status].label if status in statuses else status}"


def outcomes(scope: Scope, found: Ended) -> list[Row]:
    """Ended cases by how they ended, per procedure (its statuses' words)."""
    totals: dict[tuple[str, str], int] = {}
    for (kind, status, _clauses), n in found.groups.items():
        totals[kind, status] = totals.get((kind, status), 0) + n
    return [
        Row(_ending(kind, status), n, scope.link(ranged=True, kind=kind, status=status, state="closed"))
        for (kind, status), n in sorted(totals.items(), key=lambda item: (item[0][0], -item[1]))
    ]


def by_clause(scope: Scope, found: Ended) -> list[tuple[str, str, Row]]:
    """(clause, what followed, count): for each rule a case that has ended
    concerned, how those cases ended. Only rules: the purposes a monitoring
    finding served, or a duty, are never counted as broken."""
    counts: dict[tuple[str, str, str], int] = {}
    for (kind, status, clauses), n in found.groups.items():
        for clause in clauses:
            if policy.KINDS.get(clause) is policy.Kind.RULE:
                counts[clause, kind, status] = counts.get((clause, kind, status), 0) + n
    ordered = sorted(counts.items(), key=lambda item: (_clause_order(item[0][0]), -item[1], item[0][1:]))
    return [
        (
            clause,
            _ending(kind, status),
            Row(
                f"{clause}: {_ending(kind, status)}",
                n,
                scope.link(ranged=True, kind=kind, status=status, state="closed", clause=clause),
            ),
        )
        for (clause, kind, status), n in ordered
    ]


def _clause_order(clause: str) -> tuple[int, ...]:
    known = policy.clauses().get(clause)
    return known.sort_key if known else (10_000,)


def clause_totals(rows: list[tuple[str, str, Row]]) -> list[Row]:
    """Each rule's ended cases, whatever followed (the chart beside the table)."""
    totals: dict[str, int] = {}
    for clause, _followed, row in rows:
        totals[clause] = totals.get(clause, 0) + row.count
    return [Row(clause, n) for clause, n in totals.items()]


@dataclass
class TimeToClose:
    procedure: str
    ended: Row
    median_days: float | None
    target_days: float | None
    longer: Row | None  # the cases that took longer than the target

    @property
    def verdict(self) -> str:
        """Met or missed, in words."""
        if self.median_days is None:
            return "No case has ended yet"
        if self.target_days is None:
            return "No target is set"
        if self.median_days <= self.target_days:
            return f"Met: a median of {days(self.median_days)} against {days(self.target_days)}"
        return f"Missed: a median of {days(self.median_days)} against {days(self.target_days)}"


def times_to_close(scope: Scope, found: Ended) -> list[TimeToClose]:
    """Each procedure with ended cases in scope (the one filtered for, even with none)."""
    counts = found.by_kind()
    return [
        _time_to_close(scope, p, counts.get(p.kind, 0))
        for p in scope.procedures()
        if counts.get(p.kind) or scope.filters.kind
    ]


def _time_to_close(scope: Scope, procedure: registry.Procedure, n: int) -> TimeToClose:
    kind, target = procedure.kind, procedure.target_days
    closed = scope.link(ranged=True, kind=kind, state="closed")
    longer = None
    if target is not None and n:
        longer_than = [Case.kind == kind, took_longer_than(target, scope.dialect)]
        (over,) = scope.count(lambda where: select(func.count()).where(*longer_than, *where), ranged=True)
        longer = Row("took longer", over, closed | {"longer_than": _number(target)})
    return TimeToClose(procedure.label, Row("ended", n, closed), median(scope, kind, n), target, longer)


def median(scope: Scope, kind: str, n: int) -> float | None:
    """The median time to close of the `n` ended cases of `kind` in scope,
    in days: the middle one (or the mean of the middle two) read off the
    index in order, so the database skips to the middle instead of sorting."""
    if not n:
        return None
    took = time_to_close(scope.dialect)
    middle = scope.db.scalars(
        select(took)
        .where(Case.kind == kind, Case.closed_at.is_not(None), *scope.cases(ranged=True))
        .order_by(took)
        .offset((n - 1) // 2)
        .limit(2 - n % 2)
    ).all()
    if not middle:  # cases were anonymised or reopened since they were counted
        return None
    return sum(as_days(value, scope.dialect) for value in middle) / len(middle)


def days(value: float) -> str:
    if value < 1:
        hours = round(value * 24)
        return "under an hour" if not hours else f"{hours} hour{'' if hours == 1 else 's'}"
    shown = round(value, 1)
    return f"{_number(shown)} day{'' if shown == 1 else 's'}"


def _number(value: float) -> str:
    return f"{value:g}"

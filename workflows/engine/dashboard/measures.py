"""The counts each procedure declares for itself (`Procedure.measures`:
how often a deadline was met, say): the engine names no procedure, it asks
each for its conditions and counts the cases in scope that meet them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models import Case

from ..tallies import reading as tallied
from .scope import Row, Scope


@dataclass
class Measured:
    title: str
    rows: list[Row]


def measured(scope: Scope) -> list[Measured]:
    return [_measured(scope, p) for p in scope.procedures("measures")]


def _measured(scope: Scope, procedure) -> Measured:
    """All of a procedure's measures in one statement (a count each)."""

    def summed():
        found = tallied.measured(scope.db, procedure.kind, *scope.days(ranged=True))
        return {(): [found.get(m.name, 0) for m in procedure.measures]}

    counts = scope.count(
        lambda where: select(*[_count(m, where) for m in procedure.measures]),
        ranged=True,
        by_kind=False,
        summed=summed,
    )
    rows = [
        Row(m.label, n, scope.link(ranged=True, kind=procedure.kind, measure=f"{procedure.kind}:{m.name}"))
        for m, n in zip(procedure.measures, counts)
    ]
    return Measured(procedure.measures_title or procedure.label, rows)


def _count(measure, where: list):
    """The measure's cases, counted off its own SELECT when nothing else
    narrows them (HR's whole view: often an index of task rows alone), else
    as cases meeting the conditions too."""
    ids = measure.cases().subquery()
    if not where:
        return select(func.count()).select_from(ids).scalar_subquery()
    return select(func.count()).where(Case.id.in_(select(ids.c[0])), *where).scalar_subquery()

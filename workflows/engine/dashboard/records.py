"""Data protection at a glance: the deadlines the law sets (a subject access
request's month), and what legal holds keep.

Need to know holds here as everywhere: a request is counted and listed only
for a viewer who may open its case (`Scope`, so HR, never the person asking,
and never HR's own request), and the list gives its reference and deadline,
never whose data it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from models import Case, CaseTask, LegalHold, Role

from .. import clock, holds, registry
from ..narrowing import NARROWING, waiting_step
from .scope import Row, Scope

SOONEST = 10  # requests listed by name of their deadline; the counts cover them all
SOON = timedelta(days=7)  # as the case list's "due within 7 days" (queries.NARROWING["due"])
BUCKETS = (("overdue", "Overdue"), ("week", "Due within 7 days"), ("later", "Due later"))


@dataclass
class Waiting:
    reference: str
    due_at: datetime

    @property
    def when(self) -> str:
        now = clock.now()
        if self.due_at < now:
            return "overdue"
        return "due within 7 days" if self.due_at - now < SOON else "due later"


@dataclass
class Deadlines:
    title: str
    counts: list[Row]  # overdue, due within 7 days, due later
    soonest: list[Waiting]


def deadlines(scope: Scope) -> list[Deadlines]:
    return [_deadlines(scope, p) for p in scope.procedures("deadline_title")]


def _deadlines(scope: Scope, procedure: registry.Procedure) -> Deadlines:
    """The procedure's open cases by the deadline of the step they wait at."""
    kind = procedure.kind
    open_ones = [Case.kind == kind, Case.closed_at.is_(None)]
    counts = scope.count(
        lambda where: select(
            *[
                select(func.count())
                .where(*open_ones, *where, NARROWING["due"](bucket, scope.dialect))
                .scalar_subquery()
                for bucket, _words in BUCKETS
            ]
        ),
        ranged=False,
    )
    due = func.min(CaseTask.due_at)
    soonest = scope.db.execute(
        select(Case.reference, due)
        .join(CaseTask, CaseTask.case_id == Case.id)
        .where(*open_ones, *scope.cases(ranged=False), waiting_step(), CaseTask.due_at.is_not(None))
        .group_by(Case.id, Case.reference)
        .order_by(due, Case.id)
        .limit(SOONEST)
    )
    return Deadlines(
        procedure.deadline_title,
        [
            Row(words, n, scope.link(ranged=False, kind=kind, state="open", due=bucket))
            for (bucket, words), n in zip(BUCKETS, counts)
        ],
        [Waiting(reference, due_at) for reference, due_at in soonest],
    )


@dataclass
class Holds:
    cases: Row
    people: int | None  # HR only: holds on people are set and seen on HR's retention page


def legal_holds(scope: Scope) -> Holds:
    (held,) = scope.count(lambda where: select(func.count()).where(holds.held_cases(), *where), ranged=False)
    return Holds(Row("Cases under a legal hold", held, scope.link(ranged=False, held="yes")), _people(scope))


def _people(scope: Scope) -> int | None:
    """People under a hold, as HR's retention page lists them: never the
    viewer's own (nobody holds, or is shown holding, their own record)."""
    if not scope.viewer.has_role(Role.HR):
        return None
    return scope.db.scalar(
        select(func.count(func.distinct(LegalHold.person_id))).where(
            LegalHold.lifted_at.is_(None), LegalHold.person_id.is_not(None), LegalHold.person_id != scope.viewer.id
        )
    )

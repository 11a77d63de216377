"""The HR dashboard's figures: each one an aggregate query over an index,
counting only the cases the viewer may list (`queries.visible_to`), so a
count never includes a case its reader could not open and nothing is loaded
case by case. Each count carries the case-list filter that lists exactly
what it counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models import User

from . import caseload, measures, outcomes, records
from .measures import Measured
from .outcomes import TimeToClose
from .records import Deadlines, Holds
from .scope import Filters, Row, Scope

__all__ = ["Filters", "Row", "Summary", "summary"]


@dataclass
class Summary:
    open_by_procedure: list[Row]
    open_by_step: list[Row]
    due_by_owner: list[tuple[str, Row, Row]]  # owner, overdue, due within 7 days
    per_month: list[tuple[str, Row, Row]]  # month, opened, closed
    outcomes: list[Row]
    clause_outcomes: list[tuple[str, str, Row]]  # clause, what followed, cases
    times: list[TimeToClose]
    repeat_subjects: list[Row]
    live_warnings: list[Row]
    deadlines: list[Deadlines]
    holds: Holds
    measures: list[Measured]

    @property
    def clause_totals(self) -> list[Row]:
        return outcomes.clause_totals(self.clause_outcomes)


def summary(db: Session, viewer: User, filters: Filters | None = None) -> Summary:
    scope = Scope(db, viewer, filters or Filters())
    found = _figures(scope)
    # HR's unseen cases were read once, before the figures. On PostgreSQL each
    # statement sees the latest commits: a case about the viewer opened
    # meanwhile would be counted by the later ones. Then count again.
    if scope.hidden != scope.hidden_now():
        found = _figures(Scope(db, viewer, scope.filters))
    return found


def _figures(scope: Scope) -> Summary:
    by_procedure, by_step = caseload.open_work(scope)
    ended = outcomes.ended(scope)
    return Summary(
        open_by_procedure=by_procedure,
        open_by_step=by_step,
        due_by_owner=caseload.due_by_owner(scope),
        per_month=caseload.per_month(scope),
        outcomes=outcomes.outcomes(scope, ended),
        clause_outcomes=outcomes.by_clause(scope, ended),
        times=outcomes.times_to_close(scope, ended),
        repeat_subjects=caseload.repeat_subjects(scope),
        live_warnings=caseload.live_warnings(scope),
        deadlines=records.deadlines(scope),
        holds=records.legal_holds(scope),
        measures=measures.measured(scope),
    )

"""The HR dashboard's figures: each one aggregate query over the cases the
viewer may list (`queries.visible_to`), so a count never includes a case its
reader could not open, and nothing is loaded case by case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from models import Case, CaseTask, TaskState, User, WrittenWarning

from . import clock, registry
from .queries import month_of, visible_to

MONTHS = 12
SOON = timedelta(days=7)


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    opened_from: date | None = None
    opened_to: date | None = None  # inclusive


@dataclass
class Row:
    """One line of a table: its words, its number, and the case-list filter it counts."""

    label: str
    count: int
    link: dict = field(default_factory=dict)

    def filter_for(self, kind: str = "") -> dict:
        """The case list's filter for this count, within the dashboard's procedure."""
        return {**({"kind": kind} if kind else {}), **self.link}


@dataclass
class Summary:
    open_by_procedure: list[Row]
    open_by_step: list[Row]
    due_by_owner: list[tuple[str, Row, Row]]  # owner, overdue, due within 7 days
    per_month: list[tuple[str, Row, Row]]  # month, opened, closed
    outcomes: list[Row]
    repeat_subjects: list[Row]
    live_warnings: list[Row]


def summary(db: Session, viewer: User, filters: Filters | None = None) -> Summary:
    f = filters or Filters()
    return Summary(
        open_by_procedure=_open_by_procedure(db, viewer, f),
        open_by_step=_open_by_step(db, viewer, f),
        due_by_owner=_due_by_owner(db, viewer, f),
        per_month=_per_month(db, viewer, f),
        outcomes=_outcomes(db, viewer, f),
        repeat_subjects=_repeat_subjects(db, viewer, f),
        live_warnings=_live_warnings(db, viewer, f),
    )


def _cases(viewer: User, f: Filters, *, dated: bool = True) -> list:
    where = [visible_to(viewer)]
    if f.kind:
        where.append(Case.kind == f.kind)
    if dated and f.opened_from:
        where.append(Case.opened_at >= _start_of(f.opened_from))
    if dated and f.opened_to:
        where.append(Case.opened_at < _start_of(f.opened_to + timedelta(days=1)))
    return where


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _label(kind: str) -> str:
    procedure = registry.find(kind)
    return procedure.label if procedure else kind


def _open_by_procedure(db: Session, viewer: User, f: Filters) -> list[Row]:
    found = db.execute(
        select(Case.kind, func.count())
        .where(Case.closed_at.is_(None), *_cases(viewer, f, dated=False))
        .group_by(Case.kind)
        .order_by(func.count().desc())
    )
    return [Row(_label(kind), n, {"kind": kind, "state": "open"}) for kind, n in found]


def _open_by_step(db: Session, viewer: User, f: Filters) -> list[Row]:
    found = db.execute(
        select(Case.kind, Case.current_step, func.count())
        .where(Case.closed_at.is_(None), *_cases(viewer, f, dated=False))
        .group_by(Case.kind, Case.current_step)
        .order_by(Case.kind, func.count().desc())
    )
    return [
        Row(f"{_label(kind)}: {step or 'waiting on no one'}", n, {"kind": kind, "state": "open", "step": step or ""})
        for kind, step, n in found
    ]


def _due_by_owner(db: Session, viewer: User, f: Filters) -> list[tuple[str, Row, Row]]:
    now = clock.now()
    overdue = func.sum(when((CaseTask.due_at < now, 1), else_=0))
    soon = func.sum(when((and_(CaseTask.due_at >= now, CaseTask.due_at < now + SOON), 1), else_=0))
    found = db.execute(
        select(CaseTask.assignee_id, CaseTask.pool_role, overdue, soon)
        .join(Case, CaseTask.case_id == Case.id)
        .where(CaseTask.state == TaskState.READY, CaseTask.due_at.is_not(None), *_cases(viewer, f, dated=False))
        .group_by(CaseTask.assignee_id, CaseTask.pool_role)
    ).all()
    names = dict(db.execute(select(User.id, User.name).where(User.id.in_({r[0] for r in found if r[0]}))).all())
    rows = []
    for assignee, pool, late, coming in found:
        owner = names.get(assignee) if assignee else f"{(pool or 'no one').replace('_', ' ').title()} (pool)"
        waiting = str(assignee) if assignee else f"pool:{pool}"
        rows.append(
            (
                owner or "someone",
                Row("overdue", int(late or 0), {"waiting": waiting, "due": "overdue"}),
                Row("due this week", int(coming or 0), {"waiting": waiting, "due": "week"}),
            )
        )
    return sorted(rows, key=lambda r: (-r[1].count, -r[2].count, r[0]))


def _per_month(db: Session, viewer: User, f: Filters) -> list[tuple[str, Row, Row]]:
    today = clock.now().date()
    months = [_months_before(today, k) for k in range(MONTHS - 1, -1, -1)]
    since = _start_of(date.fromisoformat(months[0] + "-01"))
    dialect = db.get_bind().dialect.name
    counts = {}
    for column, key in ((Case.opened_at, "opened"), (Case.closed_at, "closed")):
        month = month_of(column, dialect)
        found = db.execute(
            select(month, func.count()).where(column >= since, *_cases(viewer, f, dated=False)).group_by(month)
        )
        counts[key] = dict(found.all())
    return [
        (
            month,
            Row("opened", counts["opened"].get(month, 0), {"opened": month}),
            Row("closed", counts["closed"].get(month, 0), {"closed": month}),
        )
        for month in months
    ]


def _months_before(today: date, k: int) -> str:
    year, month = divmod(today.year * 12 + today.month - 1 - k, 12)
    return f"{year:04d}-{month + 1:02d}"


def _outcomes(db: Session, viewer: User, f: Filters) -> list[Row]:
    """Closed cases by how they ended, per procedure (its statuses' words)."""
    found = db.execute(
        select(Case.kind, Case.status, func.count())
        .where(Case.closed_at.is_not(None), *_cases(viewer, f))
        .group_by(Case.kind, Case.status)
        .order_by(Case.kind, func.count().desc())
    )
    statuses = registry.all_statuses()
    return [
        Row(f"{_label(kind)}: {statuses[s].label if s in statuses else s}", n, {"kind": kind, "status": s})
        for kind, s, n in found
    ]


def _repeat_subjects(db: Session, viewer: User, f: Filters) -> list[Row]:
    """People who were the subject of more than one case opened in the last 12 months."""
    since = clock.now() - timedelta(days=365)
    found = db.execute(
        select(User.id, User.name, func.count(Case.id))
        .join(Case, Case.subject_id == User.id)
        .where(Case.opened_at >= since, *_cases(viewer, f, dated=False))
        .group_by(User.id, User.name)
        .having(func.count(Case.id) > 1)
        .order_by(func.count(Case.id).desc(), User.name)
        .limit(50)
    )
    return [Row(name, n, {"subject": person_id}) for person_id, name, n in found]


def _live_warnings(db: Session, viewer: User, f: Filters) -> list[Row]:
    today = clock.now().date()
    found = db.execute(
        select(WrittenWarning.level, func.count())
        .join(Case, WrittenWarning.case_id == Case.id)
        .where(
            WrittenWarning.revoked_on.is_(None),
            WrittenWarning.issued_on <= today,
            WrittenWarning.expires_on >= today,
            *_cases(viewer, f, dated=False),
        )
        .group_by(WrittenWarning.level)
    )
    words = {"first_written": "First written warnings", "final_written": "Final written warnings"}
    return [Row(words.get(level, level), n, {"warning": level}) for level, n in found]

"""Read-only questions the pages ask. They read projection rows and JSON,
never deserializing a workflow."""

from __future__ import annotations

import re
from dataclasses import dataclass

from SpiffWorkflow.util.task import TaskState as SpiffState
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from models import (
    AuditEvent,
    Case,
    CaseParty,
    CaseTask,
    Evidence,
    InterviewNote,
    Letter,
    OutboxMessage,
    Role,
    TaskState,
    User,
)

from . import conflicts, history, pools, registry
from .narrowing import NARROWING, month_of  # noqa: F401 (callers read them here)
from .registry import no_view_roles

# What the subject of a case sees of its timeline: their own notices and
# steps, never investigators' or HR's working (docs/domain.md, "Need to know").
SUBJECT_VISIBLE_ACTIONS = {"case_opened", "case_status_changed", "case_closed", "letter_issued"}


def my_tasks(db: Session, user: User) -> list[CaseTask]:
    # Their roles' pools, and their person type's: a trustee standing in for a Chair kept out.
    theirs = sorted(user.roles | {user.person_type})
    reported = exists().where(
        CaseParty.case_id == Case.id, CaseParty.user_id == user.id, CaseParty.role.in_(no_view_roles())
    )
    mine = or_(
        CaseTask.assignee_id == user.id,
        and_(CaseTask.assignee_id.is_(None), CaseTask.pool_role.in_(theirs), Case.subject_id != user.id, ~reported),
    )
    stmt = (
        select(CaseTask)
        .join(Case, CaseTask.case_id == Case.id)
        .where(CaseTask.state == TaskState.READY, mine)
        .options(joinedload(CaseTask.case).joinedload(Case.subject))
        .order_by(CaseTask.due_at.asc().nulls_last(), CaseTask.id)
    )
    # Not a pool step their part in the case keeps them off (their own request's dispute),
    # nor a stand-in's step on a case they are involved in.
    return [task for task in db.scalars(stmt) if task.assignee_id or _may_take(db, task, user)]


def _may_take(db: Session, task: CaseTask, user: User) -> bool:
    if task.pool_role in pools.PERSON_TYPES and not pools.takes_from(user, task.case, task.pool_role):
        return False
    return not conflicts.refusal(db, task, user)


# Beyond this a list says "1,000+" and offers filters: counting every
# match of a broad filter at 100k cases would cost more than the page.
COUNT_LIMIT = 1_000
PER_PAGE = 25
_REFERENCE = re.compile(r"^[A-Za-z]{2}-\d{4}-\d+$")


@dataclass
class CasePage:
    cases: list[Case]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_LIMIT) // self.per_page))

    @property
    def more_than_counted(self) -> bool:
        return self.total > COUNT_LIMIT


def list_cases(
    db: Session,
    user: User,
    *,
    status: str = "",
    kind: str = "",
    search: str = "",
    narrow: dict[str, str] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> CasePage:
    # Pages past the counted matches hold nothing: any number beyond is the last of them.
    page = min(max(page, 1), COUNT_LIMIT // per_page + 1)
    stmt = select(Case.id).where(visible_to(user))
    if status:
        stmt = stmt.where(Case.status == status)
    if kind:
        stmt = stmt.where(Case.kind == kind)
    if search.strip():
        stmt = stmt.where(_matching(search.strip(), db.get_bind().dialect.name))
    for name, value in (narrow or {}).items():
        if value:
            stmt = stmt.where(NARROWING[name](value, db.get_bind().dialect.name))
    # One pass finds the newest COUNT_LIMIT + 1 matches: their number is the
    # count (capped), and the page is a slice of them.
    first = (page - 1) * per_page
    ids = list(db.scalars(stmt.order_by(Case.id.desc()).limit(max(COUNT_LIMIT + 1, first + per_page))))
    shown = ids[first : first + per_page]
    rows = (
        db.scalars(select(Case).where(Case.id.in_(shown)).options(joinedload(Case.subject)).order_by(Case.id.desc()))
        if shown
        else []
    )
    return CasePage(list(rows), len(ids), page, per_page)


def visible_to(user: User):
    """Cases a user may list (the same rule as `access.can_view_case`).

    Written for the database: a party sees the cases they are a
    non-reporter party to; HR sees everything except the few cases where
    they are the subject or the reporter without another role. Both are
    uncorrelated IN-subqueries over a handful of ids, computed once.
    """
    if not user.has_role(Role.HR):
        mine = select(CaseParty.case_id).where(CaseParty.user_id == user.id, CaseParty.role.not_in(no_view_roles()))
        return Case.id.in_(mine)
    return Case.id.not_in(hidden_from_hr(user))


def hidden_from_hr(user: User):
    """The ids of the few cases an HR user may not see: those they are the
    subject or the reporter of without another role (`visible_to`)."""
    # The subject's and the reporter's cases (two index lookups), less those
    # where they also hold a staff role.
    conflicted = (
        select(Case.id.label("id"))
        .where(Case.subject_id == user.id)
        .union(select(CaseParty.case_id).where(CaseParty.user_id == user.id, CaseParty.role.in_(no_view_roles())))
        .subquery()
    )
    staff_party = exists().where(
        CaseParty.case_id == conflicted.c.id, CaseParty.user_id == user.id, CaseParty.role.not_in(no_view_roles())
    )
    return select(conflicted.c.id).where(~staff_party)


def _matching(term: str, dialect: str):
    """A reference finds its case; anything else matches the subject's name
    or the title."""
    if _REFERENCE.match(term):
        return Case.reference == term.upper()
    like = f"%{term.lower()}%"
    people = select(User.id).where(func.lower(User.name).like(like))
    if dialect == "postgresql":
        # `= ANY(ARRAY(...))` lets PostgreSQL OR the title's trigram index with
        # the subject_id index; `IN (subquery)` would read every case.
        by_subject = Case.subject_id == func.any(func.array(people.scalar_subquery()))
    else:
        by_subject = Case.subject_id.in_(people)
    return or_(func.lower(Case.title).like(like), by_subject)


def timeline(db: Session, case: Case, subject_view: bool, subject: User | None = None) -> list[AuditEvent]:
    """The case's events, less page views (see `view_count`): a busy case is
    viewed far more often than it changes."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id, AuditEvent.action != "case_viewed")
        .order_by(AuditEvent.seq)
    )
    events = list(db.scalars(stmt))
    if not subject_view:
        return events
    return [
        e
        for e in events
        if e.action in SUBJECT_VISIBLE_ACTIONS
        or (
            e.actor_id is not None and subject is not None and e.actor_id == subject.id and e.action == "task_completed"
        )
        or (e.action == "notification_sent" and subject is not None and e.data.get("to") == subject.email)
    ]


def view_count(db: Session, case: Case) -> int:
    return db.scalar(select(func.count()).where(AuditEvent.case_id == case.id, AuditEvent.action == "case_viewed"))


def case_tasks(db: Session, case: Case) -> list[CaseTask]:
    return list(db.scalars(select(CaseTask).where(CaseTask.case_id == case.id).order_by(CaseTask.id)))


def case_evidence(db: Session, case: Case, shared_only: bool = False) -> list[Evidence]:
    stmt = select(Evidence).where(Evidence.case_id == case.id)
    if shared_only:
        stmt = stmt.where(Evidence.shared_with_subject.is_(True))
    return list(db.scalars(stmt.order_by(Evidence.id)))


def interview_notes(db: Session, case: Case) -> list[InterviewNote]:
    return list(
        db.scalars(
            select(InterviewNote)
            .where(InterviewNote.case_id == case.id)
            .order_by(InterviewNote.interviewed_on, InterviewNote.id)
        )
    )


def letters(db: Session, case: Case) -> list[Letter]:
    return list(db.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id)))


def linked_cases(db: Session, case: Case) -> list[Case]:
    """The case it came from and those opened from it. Two lookups, each on
    its own index: SQLite plans "one OR the other" as a scan of every case."""
    found = list(db.scalars(select(Case).where(Case.parent_id == case.id)))
    parent = db.get(Case, case.parent_id) if case.parent_id else None
    return sorted(found + ([parent] if parent else []), key=lambda c: c.id)


def notices_to(db: Session, case: Case, user: User) -> list[OutboxMessage]:
    return list(
        db.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.case_id == case.id, OutboxMessage.to_email == user.email)
            .order_by(OutboxMessage.id)
        )
    )


def case_data(case: Case, spiff_task_id: str | None = None) -> dict:
    """Workflow data as of a task, or the case's now (the last step's, unless
    its procedure runs side branches and says which), straight from the JSON.

    The serializer stores each task's data as a delta on its parent's, so
    the data is rebuilt by replaying deltas from the root down.
    """
    if spiff_task_id is None:
        procedure = registry.find(case.kind)
        if procedure is not None and procedure.current_data is not None:
            return procedure.current_data(case)
    return replay(case, spiff_task_id or case.state.get("last_task"))


def replay(case: Case, key: str | None) -> dict:
    """The data of one task in the stored state (deltas replayed from the root)."""
    tasks = case.state.get("tasks", {})
    chain = []
    while key in tasks:
        chain.append(tasks[key])
        key = tasks[key].get("parent")
    data: dict = {}
    for task in reversed(chain):
        data.update(task.get("data") or {})
        delta = task.get("delta") or {}
        data.update(delta.get("updates") or {})
        for name in delta.get("deletions") or []:
            data.pop(name, None)
    return data


def step_states(case: Case) -> dict[str, list[str]]:
    """BPMN ids of completed, current and cancelled steps, for the diagram
    (with the finished steps whose tasks were forgotten: history.py)."""
    forgotten = case.state.get(history.KEY, {})
    found: dict[str, set[str]] = {
        "completed": set(forgotten.get("completed", ())),
        "current": set(),
        "cancelled": set(forgotten.get("cancelled", ())),
    }
    for task in case.state.get("tasks", {}).values():
        name, state = task.get("task_spec", ""), task.get("state")
        if state == SpiffState.COMPLETED:
            found["completed"].add(name)
        elif state in (SpiffState.READY, SpiffState.WAITING, SpiffState.STARTED):
            found["current"].add(name)
        elif state == SpiffState.CANCELLED:
            found["cancelled"].add(name)
    found["completed"] -= found["current"]  # a looped step that is live again is current
    found["cancelled"] -= found["completed"] | found["current"]  # e.g. a join passed once
    return {k: sorted(v) for k, v in found.items()}


def own_kinds_and_statuses(db: Session, user: User) -> tuple[set[str], set[str]]:
    """The kinds and statuses of the cases a person is named on: what the case
    list's filter offers someone with no staff role, so that a volunteer is
    never offered the words of procedures that are not theirs."""
    rows = db.execute(
        select(Case.kind, Case.status).join(CaseParty, CaseParty.case_id == Case.id).where(CaseParty.user_id == user.id)
    ).all()
    return {kind for kind, _status in rows}, {status for _kind, status in rows}

"""Read-only questions the pages ask. They read projection rows and JSON,
never deserializing a workflow."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload
from SpiffWorkflow.util.task import TaskState as SpiffState

from models import (AuditEvent, Case, CaseParty, CaseTask, Evidence, InterviewNote, Letter, OutboxMessage,
                    Role, TaskState, User)

from . import access

# What the subject of a case sees of its timeline: their own notices and
# steps, never investigators' or HR's working (DOMAIN.md, "Need to know").
SUBJECT_VISIBLE_ACTIONS = {"case_opened", "case_status_changed", "case_closed", "letter_issued"}


def my_tasks(db: Session, user: User) -> list[CaseTask]:
    pools = sorted(user.roles)
    reported = exists().where(CaseParty.case_id == Case.id, CaseParty.user_id == user.id,
                              CaseParty.role.in_(access.NO_VIEW_ROLES))
    mine = or_(CaseTask.assignee_id == user.id,
               and_(CaseTask.assignee_id.is_(None), CaseTask.pool_role.in_(pools),
                    Case.subject_id != user.id, ~reported))
    stmt = (select(CaseTask).join(Case, CaseTask.case_id == Case.id)
            .where(CaseTask.state == TaskState.READY, mine)
            .options(joinedload(CaseTask.case).joinedload(Case.subject))
            .order_by(CaseTask.due_at.asc().nulls_last(), CaseTask.id))
    return list(db.scalars(stmt))


@dataclass
class CasePage:
    cases: list[Case]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_cases(db: Session, user: User, *, status: str = "", kind: str = "", search: str = "",
               page: int = 1, per_page: int = 25) -> CasePage:
    party = exists().where(CaseParty.case_id == Case.id, CaseParty.user_id == user.id,
                           CaseParty.role.not_in(access.NO_VIEW_ROLES))
    reported = exists().where(CaseParty.case_id == Case.id, CaseParty.user_id == user.id,
                              CaseParty.role.in_(access.NO_VIEW_ROLES))
    staff_view = and_(Case.subject_id != user.id, ~reported)
    visible = or_(party, staff_view) if user.has_role(Role.HR) else party
    stmt = select(Case).where(visible)
    if status:
        stmt = stmt.where(Case.status == status)
    if kind:
        stmt = stmt.where(Case.kind == kind)
    if search:
        term = f"%{search.strip().lower()}%"
        subject_ids = select(User.id).where(func.lower(User.name).like(term))
        stmt = stmt.where(or_(func.lower(Case.reference).like(term), func.lower(Case.title).like(term),
                              Case.subject_id.in_(subject_ids)))
    total = db.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.scalars(stmt.options(joinedload(Case.subject)).order_by(Case.id.desc())
                      .limit(per_page).offset((page - 1) * per_page))
    return CasePage(list(rows), total, page, per_page)


def timeline(db: Session, case: Case, subject_view: bool, subject: User | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq)
    events = list(db.scalars(stmt))
    if not subject_view:
        return events
    return [e for e in events if e.action in SUBJECT_VISIBLE_ACTIONS
            or (e.actor_id is not None and subject is not None and e.actor_id == subject.id
                and e.action == "task_completed")
            or (e.action == "notification_sent" and subject is not None
                and e.data.get("to") == subject.email)]


def case_tasks(db: Session, case: Case) -> list[CaseTask]:
    return list(db.scalars(select(CaseTask).where(CaseTask.case_id == case.id).order_by(CaseTask.id)))


def case_evidence(db: Session, case: Case, shared_only: bool = False) -> list[Evidence]:
    stmt = select(Evidence).where(Evidence.case_id == case.id)
    if shared_only:
        stmt = stmt.where(Evidence.shared_with_subject.is_(True))
    return list(db.scalars(stmt.order_by(Evidence.id)))


def interview_notes(db: Session, case: Case) -> list[InterviewNote]:
    return list(db.scalars(select(InterviewNote).where(InterviewNote.case_id == case.id)
                           .order_by(InterviewNote.interviewed_on, InterviewNote.id)))


def letters(db: Session, case: Case) -> list[Letter]:
    return list(db.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id)))


def linked_cases(db: Session, case: Case) -> list[Case]:
    stmt = select(Case).where(or_(Case.parent_id == case.id, Case.id == case.parent_id))
    return list(db.scalars(stmt.order_by(Case.id)))


def notices_to(db: Session, case: Case, user: User) -> list[OutboxMessage]:
    return list(db.scalars(select(OutboxMessage).where(
        OutboxMessage.case_id == case.id, OutboxMessage.to_email == user.email).order_by(OutboxMessage.id)))


def case_data(case: Case, spiff_task_id: str | None = None) -> dict:
    """Workflow data as of a task (or the last step), straight from the JSON.

    The serializer stores each task's data as a delta on its parent's, so
    the data is rebuilt by replaying deltas from the root down.
    """
    tasks = case.state.get("tasks", {})
    chain, key = [], spiff_task_id or case.state.get("last_task")
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
    """BPMN ids of completed, current and cancelled steps, for the diagram."""
    found: dict[str, set[str]] = {"completed": set(), "current": set(), "cancelled": set()}
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

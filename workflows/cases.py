"""Operations on cases: open one, complete a step, look at one.

Each is one transaction's worth of work; the caller commits (one commit per
request), so any failure rolls back everything the operation did.
"""
from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, undefer

from models import Case, CaseTask, TaskState, User

from . import access, audit, clock
from .audit import Actor, PendingEvent
from .context import Context
from .errors import Forbidden, NotFound, StepAlreadyDone
from .running import add_party, finalize, run_engine


def open_case(ctx: Context, *, process_id: str, prefix: str, title: str, subject: User,
              opened_by: User, clauses: list[str], parties: dict[str, User],
              start_data: dict, opening_data: dict, parent: Case | None = None) -> Case:
    """Start a workflow for a new case; `parties` maps lane roles to people."""
    db, now, actor = ctx.db, clock.now(), Actor.person(opened_by)
    case = Case(reference=f"new-{now.timestamp()}-{opened_by.id}", kind=process_id, title=title,
                subject_id=subject.id, opened_by_id=opened_by.id, clauses=clauses,
                spec_hash=ctx.library.ensure_stored(db, process_id), state={},
                parent_id=parent.id if parent else None, opened_at=now, updated_at=now)
    db.add(case)
    db.flush()
    # The id makes the reference unique without a counter to race on.
    case.reference = f"{prefix}-{now.year}-{case.id:04d}"
    events = [PendingEvent("case_opened", actor, {"reference": case.reference, "title": title,
                                                  "clauses": clauses, **opening_data})]
    events += [add_party(case, user, role, actor) for role, user in parties.items()]
    workflow = ctx.library.start(process_id)
    for task in workflow.get_tasks():
        task.data.update(start_data)
    finalize(ctx, case, workflow, actor, events, run_engine(workflow), {})
    return case


def get_case(db: Session, reference: str) -> Case:
    case = db.scalar(select(Case).where(Case.reference == reference)
                     .options(undefer(Case.state), joinedload(Case.parties)))
    if case is None:
        raise NotFound(f"There is no case {reference}.")
    return case


def view_case(db: Session, user: User, reference: str) -> Case:
    """Fetch a case for `user`, auditing the view or the refusal."""
    case = get_case(db, reference)
    if not (access.can_view_case(user, case) or _offered_a_step(db, user, case)):
        deny(db, user, case, "viewed a case they have no role on")
    audit.record(db, case.id, "case_viewed", Actor.person(user))
    return case


def deny(db: Session, user: User, case: Case | None, what: str) -> None:
    """Record a refused access and refuse it. Callers commit before answering."""
    audit.record(db, case.id if case else None, "access_denied", Actor.person(user),
                 {"attempted": what, "user_id": user.id})
    raise Forbidden("You do not have access to this case." if case else "You do not have access to this page.")


def _offered_a_step(db: Session, user: User, case: Case) -> bool:
    """A pool's member (e.g. the Hub Manager) may open a case while one of its
    steps waits in their pool; taking the step names them on the case."""
    pools = db.scalars(select(CaseTask.pool_role).where(
        CaseTask.case_id == case.id, CaseTask.state == TaskState.READY, CaseTask.assignee_id.is_(None)))
    return user.id != case.subject_id and any(user.has_role(p) for p in pools if p)


def get_task(db: Session, task_id: int) -> CaseTask:
    """The task with its case and the case's parties: one query, since every
    caller checks access (parties) before anything else."""
    case = joinedload(CaseTask.case)
    task = db.get(CaseTask, task_id, options=[
        case.undefer(Case.state), case.joinedload(Case.parties), case.joinedload(Case.ready_tasks)])
    if task is None:
        raise NotFound("There is no such task.")
    return task


def check_can_complete(db: Session, user: User, task: CaseTask) -> None:
    """Refuse outsiders first, so they never learn who did what on a case."""
    if not (access.can_view_case(user, task.case) or _offered_a_step(db, user, task.case)):
        deny(db, user, task.case, f"opened task '{task.title}' on a case they have no role on")
    if task.state != TaskState.READY:
        raise already_done(task)
    if not access.can_complete(user, task, task.case):
        deny(db, user, task.case, f"opened task '{task.title}' assigned to someone else")


def complete_task(ctx: Context, task_id: int, user: User, form_data: dict,
                  audit_data: dict | None = None) -> Case:
    """Complete a human task with validated form data and run on.

    A step's own rules (`hooks.BEFORE`) may refuse the data or name new
    parties before the engine runs; follow-ups (`hooks.AFTER`) run after.
    """
    from . import hooks
    db = ctx.db
    row = get_task(db, task_id)
    check_can_complete(db, user, row)
    case, actor = row.case, Actor.person(user)
    new_parties = hooks.BEFORE.get(row.form_name, _no_parties)(ctx, case, user, form_data)
    workflow = ctx.library.restore(db, case.spec_hash, case.state)
    task = workflow.get_task_from_id(UUID(row.spiff_task_id))
    task.data.update(form_data)
    task.run()
    events = [PendingEvent("task_completed", actor, {
        "task": row.title, "form": row.form_name, "data": audit_data or form_data}, row.bpmn_id)]
    if row.assignee_id is None:  # a pool task: whoever takes it joins the case in that lane
        events.append(add_party(case, user, row.lane, actor))
    events += [add_party(case, person, role, actor) for role, person in new_parties.items()]
    finalize(ctx, case, workflow, actor, events, run_engine(workflow), {row.spiff_task_id: user.id})
    if row.form_name in hooks.AFTER:
        hooks.AFTER[row.form_name](ctx, case, user, form_data)
    return case


def _no_parties(ctx, case, user, data) -> dict:
    return {}


def already_done(task: CaseTask) -> StepAlreadyDone:
    if task.state == TaskState.COMPLETED:
        who = task.completed_by.name if task.completed_by else "someone else"
        return StepAlreadyDone(task.title, who, task.completed_at, "completed")
    return StepAlreadyDone(task.title, "the system (a deadline passed or the case moved on)",
                           task.completed_at, "closed")


def explain_conflict(db: Session, task_id: int) -> StepAlreadyDone:
    """After a lost race (StaleDataError, rolled back): who won, and when."""
    db.expire_all()
    task = get_task(db, task_id)
    if task.state == TaskState.READY:  # the case moved, this step did not
        return StepAlreadyDone(task.title, "someone else", task.case.updated_at, "changed")
    return already_done(task)


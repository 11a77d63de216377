"""Completing a case's human steps: load and authorise the task once
(`open_task`), then complete it with data its step's contract accepts."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from SpiffWorkflow.util.task import TaskState as SpiffState
from sqlalchemy.orm import Session, joinedload

from models import Case, CaseTask, TaskState, User

from . import access, audit, conflicts, registry, stepdata
from .audit import Actor, PendingEvent
from .cases import may_look
from .context import Context
from .errors import NotFound, StepAlreadyDone
from .running import add_party, finalize, run_engine


@dataclass(frozen=True)
class OpenTask:
    """A ready task, loaded with its case for a person who may complete it.
    Only `open_task` makes one, so holding one means the check was made."""

    row: CaseTask
    user: User

    @property
    def case(self) -> Case:
        return self.row.case

    @property
    def step(self) -> registry.Step:
        return registry.get(self.case.kind).step(self.row.form_name)


def load_task(db: Session, task_id: int) -> CaseTask:
    """The task with its case, the case's parties and waiting steps: one query."""
    case = joinedload(CaseTask.case)
    task = db.get(
        CaseTask,
        task_id,
        options=[case.undefer(Case.state), case.joinedload(Case.parties), case.joinedload(Case.ready_tasks)],
    )
    if task is None:
        raise NotFound("There is no such task.")
    return task


def open_task(db: Session, user: User, task_id: int) -> OpenTask:
    """Refuse outsiders first, so they never learn who did what on a case;
    then say if the step is already done; then refuse anyone else's step."""
    row = load_task(db, task_id)
    if not may_look(db, user, row.case):
        access.refuse(user, row.case, f"opened task '{row.title}' on a case they have no role on")
    # Nor does the subject learn which of HR's steps an address was, or who did it.
    if not (access.sees_case_file(user, row.case) or access.can_complete(user, row, row.case)):
        access.refuse(user, row.case, f"opened task '{row.title}', which is not theirs to see")
    if row.state != TaskState.READY:
        raise already_done(row)
    if not access.can_complete(user, row, row.case):
        access.refuse(user, row.case, f"opened task '{row.title}' assigned to someone else")
    reason = conflicts.refusal(db, row, user)
    if reason:
        access.refuse(user, row.case, f"opened task '{row.title}', not theirs to take: {reason}", reason)
    return OpenTask(row, user)


def complete_task(ctx: Context, task: OpenTask, submitted: dict) -> Case:
    """Complete a human step with data its contract accepts, and run on.

    Timers already due fire first: an answer that arrives after its
    deadline, before the worker got to it, does not count (`Overtaken`).
    The step's check may refuse the data or derive more (and name parties)
    before the engine runs; its follow-up runs after.
    """
    row, user, case, step = task.row, task.user, task.case, task.step
    data = stepdata.load(step.contract, submitted)
    overrides = conflicts.overridden(ctx.db, row, user, data)
    derived = step.check(ctx, case, user, data) if step.check else registry.Derived()
    data.update(derived.data)
    workflow = ctx.library.restore(ctx.db, case.spec_hash, case.state)
    overdue = run_engine(workflow)
    spiff_task = workflow.get_task_from_id(UUID(row.spiff_task_id))
    if spiff_task.state != SpiffState.READY:
        finalize(ctx, case, workflow, audit.TIMER, [], overdue, {})
        raise Overtaken(row)
    spiff_task.data.update(data)
    spiff_task.run()
    actor = Actor.person(user)
    events = [
        PendingEvent("task_completed", actor, {"task": row.title, "form": row.form_name, "data": data}, row.bpmn_id),
        *overrides,
    ]
    if row.assignee_id is None and (user.id, row.lane) not in {(p.user_id, p.role) for p in case.parties}:
        events.append(add_party(case, user, row.lane, actor))  # a pool task: whoever takes it joins in its lane
    events += [add_party(case, person, role, actor) for role, person in derived.parties.items()]
    completed = overdue + run_engine(workflow)
    finalize(ctx, case, workflow, actor, events, completed, {row.spiff_task_id: user.id})
    if step.follow_up:
        step.follow_up(ctx, case, user, data)
    return case


class Overtaken(StepAlreadyDone):
    """The step's deadline passed before the answer came. The case has been
    moved on as the deadline requires (saved in the caller's transaction:
    commit it), and the answer was not taken."""

    def __init__(self, row: CaseTask):
        super().__init__(row.title, "its deadline", row.due_at, "closed")


def already_done(task: CaseTask) -> StepAlreadyDone:
    if task.state == TaskState.COMPLETED:
        who = task.completed_by.name if task.completed_by else "someone else"
        return StepAlreadyDone(task.title, who, task.completed_at, "completed")
    return StepAlreadyDone(
        task.title, "the system (a deadline passed or the case moved on)", task.completed_at, "closed"
    )


def explain_conflict(db: Session, task_id: int) -> StepAlreadyDone:
    """After a lost race (StaleDataError, rolled back): who won, and when."""
    db.expire_all()
    task = load_task(db, task_id)
    if task.state == TaskState.READY:  # the case moved, this step did not
        return StepAlreadyDone(task.title, "someone else", task.case.updated_at, "changed")
    return already_done(task)

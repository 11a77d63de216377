"""Ready human tasks as `case_tasks` rows, with lanes resolved to people or pools."""

from __future__ import annotations

from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState as SpiffState
from sqlalchemy.orm import Session

from models import Case, CaseTask, TaskState

from . import audit, clock, conflicts, pools, registry, workdays
from .audit import PendingEvent
from .errors import ProcedureError


def properties(task: Task) -> dict[str, str]:
    return getattr(task.task_spec, "extensions", {}).get("properties", {})


def ready_human_tasks(workflow) -> list[Task]:
    return [t for t in workflow.get_tasks(state=SpiffState.READY) if t.task_spec.manual]


def sync(
    db: Session, case: Case, ready: list[Task], finished: dict[str, int | None]
) -> tuple[list[CaseTask], list[PendingEvent]]:
    """Make READY rows match the workflow's ready tasks; returns the rows
    created and the events to record about them (a step rerouted because its
    pool is kept out, or one nobody at all may take).

    `finished` maps spiff task ids completed in this operation to who did it;
    other rows that stopped being ready were cancelled (e.g. by a timer).
    """
    now = clock.now()
    rows = {r.spiff_task_id: r for r in case.ready_tasks}
    db.expire(case, ["ready_tasks"])  # read again next time: these rows change now
    ready_ids = {str(t.id) for t in ready}
    for spiff_id, row in rows.items():
        if spiff_id not in ready_ids:
            row.completed_at = now
            if spiff_id in finished:
                row.state, row.completed_by_id = TaskState.COMPLETED, finished[spiff_id]
            else:
                row.state = TaskState.CANCELLED
    created = [_new_row(db, case, task, now) for task in ready if str(task.id) not in rows]
    db.add_all(created)
    return created, [event for row in created if row.pool_role for event in _routing(db, case, row)]


def _routing(db: Session, case: Case, row: CaseTask) -> list[PendingEvent]:
    """What the trail says of a pool step's routing: nobody may take it
    (and why), or it went to another pool than its role's."""
    nobody = pools.why_nobody(db, case, row)
    if nobody:
        data = {"step": row.title, "lane": row.lane, "reason": nobody}
        return [PendingEvent(STEP_BLOCKED, audit.SYSTEM, data, row.bpmn_id)]
    return [_rerouted(case, row)] if row.pool_role != _pool_of(case, row) else []


# A step nobody may take: HR is told (`running`), and the case page says why.
STEP_BLOCKED = "step_blocked"


def _pool_of(case: Case, row: CaseTask) -> str | None:
    return registry.get(case.kind).role(row.lane).pool


def _rerouted(case: Case, row: CaseTask) -> PendingEvent:
    kept_out = f"everyone holding the {_pool_of(case, row)} role is a party who may not act on this case"
    return PendingEvent(
        "step_rerouted",
        audit.SYSTEM,
        {
            "step": row.title,
            "lane": row.lane,
            "to": row.pool_role,
            "reason": kept_out if row.pool_role == pools.FALLBACK else f"{kept_out}: someone else stands in",
        },
        row.bpmn_id,
    )


def _new_row(db: Session, case: Case, task: Task, now: datetime) -> CaseTask:
    """The step goes to whoever holds its lane's role on the case, or to
    that role's pool. A lane the procedure does not know, or a role with no
    pool that nobody holds yet, is an error: never a silent default."""
    spec, procedure = task.task_spec, registry.get(case.kind)
    where = f"{procedure.diagram.name}, {spec.bpmn_id}"
    if not spec.lane:
        raise ProcedureError(f"{where}: the step is in no lane, so nobody would be asked to do it")
    role = procedure.role(spec.lane)
    assignee = next((p.user_id for p in case.parties if p.role == spec.lane), None)
    form = properties(task).get("form", "")
    if role.pool and conflicts.part(procedure.step(form), case, assignee):
        assignee = None  # the lane's holder is kept off this step: the pool takes it
    if assignee is None and role.pool is None:
        raise ProcedureError(
            f"{where}: nobody holds the role '{spec.lane}' on {case.reference}, and it has no pool to fall back on"
        )
    return CaseTask(
        case_id=case.id,
        spiff_task_id=str(task.id),
        bpmn_id=spec.bpmn_id,
        title=spec.bpmn_name or spec.bpmn_id,
        lane=spec.lane,
        assignee_id=assignee,
        pool_role=None if assignee else pools.route(db, case, role.pool, role.stand_in),
        form_name=form,
        due_at=due_at(task, now),
        state=TaskState.READY,
        created_at=now,
    )


def due_at(task: Task, now: datetime) -> datetime | None:
    """The data the diagram names as the step's deadline (`due_at`); else an
    interrupting boundary timer; else `due_in_working_days` (never a weekend
    or bank holiday) or `due_in_hours`. A step whose timer is
    a later cut-off (the appeal window's, after which HR may still accept a
    late appeal) names its real deadline."""
    named = properties(task).get("due_at")
    if named and task.data.get(named):
        return datetime.fromisoformat(task.data[named])
    parent = task.parent
    if parent is not None and isinstance(parent.task_spec, BoundaryEventSplit):
        for sibling in parent.children:
            spec = sibling.task_spec
            if (
                sibling is not task
                and getattr(spec, "cancel_activity", False)
                and isinstance(getattr(spec, "event_definition", None), TimerEventDefinition)
            ):
                value = sibling._get_internal_data("event_value")
                if value:
                    return TimerEventDefinition.get_datetime(value)
    days = properties(task).get("due_in_working_days")
    if days:
        return workdays.working_days_after(now, int(days))
    hours = properties(task).get("due_in_hours")
    return now + timedelta(hours=float(hours)) if hours else None


def next_timer_at(workflow) -> datetime | None:
    """The earliest moment a waiting timer in this workflow falls due."""
    moments = []
    for event in workflow.waiting_events():
        value = event.value
        if event.event_type == "CycleTimerEventDefinition" and isinstance(value, dict):
            value = value.get("next")
        if event.event_type in _TIMER_TYPES and isinstance(value, str):
            moments.append(TimerEventDefinition.get_datetime(value))
    moments.extend(_gateway_timers(workflow))
    return min(moments, default=None)


def _gateway_timers(workflow) -> list[datetime]:
    """An event-based gateway waits on its events itself (its catch events
    hold none); the timer among them keeps its moment on the gateway."""
    found = []
    for task in workflow.get_tasks(state=SpiffState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, MultipleEventDefinition) and any(
            isinstance(d, TimerEventDefinition) for d in definition.event_definitions
        ):
            value = task._get_internal_data("event_value")
            if isinstance(value, str):
                found.append(TimerEventDefinition.get_datetime(value))
    return found


_TIMER_TYPES = {"TimeDateEventDefinition", "DurationTimerEventDefinition", "CycleTimerEventDefinition"}

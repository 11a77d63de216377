"""Recording something that happens to a person during a case, at any step:
a grievance, a resignation, a sickness absence, a request (`Recording`).

The diagram waits for each with a catch event on a signal of the same name,
on a branch of its own beside the main line; recording one delivers the
signal there, with the data recorded, in one transaction like a step.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.util.task import TaskState as SpiffState

from models import Case, User

from . import access, queries, registry, stepdata
from .audit import Actor, PendingEvent
from .context import Context
from .errors import InvalidInput
from .running import finalize, run_engine


def may_record(user: User, case: Case, recording: registry.Recording) -> bool:
    """Someone holding a role that records it, who may see the case and is
    not a party to it in a way that keeps them off it (the subject, a witness)."""
    roles = access.party_roles(user, case)
    return (
        user.has_role(*recording.recorded_by)
        and access.can_view_case(user, case)
        and not access.conflicted(user, case, roles)
    )


def record(ctx: Context, case: Case, user: User, signal: str, submitted: dict) -> Case:
    """Check the data as a step's would be, fire any due timers first, then
    deliver the signal to the catch event waiting for it and run on."""
    recording = registry.get(case.kind).recording(signal)
    if not may_record(user, case, recording):
        access.refuse(user, case, f"recorded {recording.label} without the role to")
    if case.closed_at is not None:
        raise InvalidInput(
            f"The case closed on {case.closed_at:%d %B %Y}: {recording.label} can no longer be recorded."
        )
    data = stepdata.load(recording.contract, submitted)
    derived = recording.check(ctx, case, user, data) if recording.check else registry.Derived()
    data.update(derived.data)
    workflow = ctx.library.restore(ctx.db, case.spec_hash, case.state)
    completed = run_engine(workflow)
    waiting = _waiting_for(workflow, signal)
    if waiting is None:
        raise InvalidInput(f"The procedure is not at a point where {recording.label} can be recorded.")
    workflow.catch(BpmnEvent(waiting.task_spec.event_definition))
    # Caught: its branch runs on from the case's data now, and what was recorded.
    waiting.data.update({**queries.case_data(case), **data})
    actor = Actor.person(user)
    events = [
        PendingEvent("event_recorded", actor, {"event": recording.label, "data": data}, waiting.task_spec.bpmn_id)
    ]
    completed += run_engine(workflow)
    finalize(ctx, case, workflow, actor, events, completed, {})
    return case


def _waiting_for(workflow, signal: str):
    for task in workflow.get_tasks(state=SpiffState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if definition is not None and getattr(definition, "name", None) == signal and not task.task_spec.manual:
            return task
    return None

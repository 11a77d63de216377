"""The second half of every operation: run the engine, then save the case,
its task rows, audit events and notifications together (one transaction)."""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.task import Task

from models import Case, CaseParty, CaseStatus, User

from . import audit, clock, letters, notifications, projection
from .audit import Actor, PendingEvent
from .context import Context


def run_engine(workflow) -> list[Task]:
    """Run everything automatic (scripts, gateways, due timers) in order."""
    completed: list[Task] = []
    workflow.refresh_timers()
    workflow.do_engine_steps(did_complete_task=completed.append)
    return completed


def finalize(ctx: Context, case: Case, workflow, actor: Actor, events: list[PendingEvent],
             completed: list[Task], finished: dict[str, int | None]) -> None:
    """Save one operation's outcome. The flush is the version check: a
    concurrent change to the same case raises StaleDataError here."""
    db, now = ctx.db, clock.now()
    for task in completed:
        events.extend(_events_for(ctx, case, task))
    ready = projection.ready_human_tasks(workflow)
    if workflow.is_completed():
        events.extend(_close(case))
    case.state = ctx.library.dump(workflow)
    case.next_timer_at = None if workflow.is_completed() else projection.next_timer_at(workflow)
    case.current_step = ", ".join(t.task_spec.bpmn_name or t.task_spec.bpmn_id for t in ready)
    case.updated_at = now
    db.flush()
    projection.sync(db, case, ready, finished)
    audit.append(db, case.id, events)


def _events_for(ctx: Context, case: Case, task: Task) -> list[PendingEvent]:
    spec, props = task.task_spec, projection.properties(task)
    found = []
    if isinstance(getattr(spec, "event_definition", None), TimerEventDefinition):
        found.append(PendingEvent("timer_fired", audit.TIMER, {
            "timer": spec.bpmn_name, "due": task._get_internal_data("event_value")}, spec.bpmn_id))
    if "case_status" in props and props["case_status"] != case.status:
        found.append(PendingEvent("case_status_changed", audit.SYSTEM, {
            "from": case.status, "to": props["case_status"], "step": spec.bpmn_name,
            "escalation_reason": task.data.get("escalation_reason")}, spec.bpmn_id))
        case.status = props["case_status"]
    if "letter" in props:
        found.append(letters.issue(ctx.db, ctx.settings, case, props["letter"], task.data))
    if "notify" in props:
        roles = [r.strip() for r in props.get("notify_to", "Subject").split(",")]
        with ctx.db.no_autoflush:  # the case is saved once, by finalize's flush
            sent_to = notifications.queue(ctx.db, case, props["notify"], roles, task.data,
                                          ctx.settings.base_url)
        found.append(PendingEvent("notification_queued", audit.SYSTEM, {
            "template": props["notify"], "to": sent_to}, spec.bpmn_id))
    return found


def _close(case: Case) -> list[PendingEvent]:
    if case.status == CaseStatus.OPEN:
        case.status = CaseStatus.CLOSED
    case.closed_at = clock.now()
    return [PendingEvent("case_closed", audit.SYSTEM, {"status": case.status})]


def add_party(case: Case, user: User, role: str, actor: Actor) -> PendingEvent:
    case.parties.append(CaseParty(user=user, role=role, added_at=clock.now()))
    return PendingEvent("party_assigned", actor, {"user_id": user.id, "name": user.name, "role": role})

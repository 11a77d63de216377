"""The second half of every operation: run the engine, then save the case,
its task rows, audit events and notifications together (one transaction)."""

from __future__ import annotations

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.task import Task
from sqlalchemy import func, select

from models import Case, CaseParty, User

from . import audit, clock, conflicts, letters, outbox, pools, projection, registry, webhooks
from .audit import Actor, PendingEvent
from .context import Context


def run_engine(workflow) -> list[Task]:
    """Run everything automatic (scripts, gateways, due timers) in order."""
    completed: list[Task] = []
    workflow.refresh_timers()
    workflow.do_engine_steps(did_complete_task=completed.append)
    return completed


def finalize(
    ctx: Context,
    case: Case,
    workflow,
    actor: Actor,
    events: list[PendingEvent],
    completed: list[Task],
    finished: dict[str, int | None],
) -> None:
    """Save one operation's outcome. The flush is the version check: a
    concurrent change to the same case raises StaleDataError here."""
    db, now = ctx.db, clock.now()
    for task in completed:
        events.extend(_events_for(ctx, case, task))
    ready = projection.ready_human_tasks(workflow)
    if workflow.is_completed():
        events.extend(_close(case))
    case.state = ctx.library.dump(workflow, case.state)
    earlier = case.next_timer_at
    case.next_timer_at = None if workflow.is_completed() else projection.next_timer_at(workflow)
    if case.next_timer_at is not None and (earlier is None or case.next_timer_at < earlier):
        wake_workers(db)
    case.current_step = current_step(ready)
    case.updated_at = now
    db.flush()
    created, rerouted = projection.sync(db, case, ready, finished)
    events += rerouted
    events += _tell_who_is_waited_on(ctx, case, ready, created, _told(db, actor, events))
    events += _tell_hr_nobody_can_take(ctx, case, rerouted)
    events += _tell_parties_told_only(ctx, case, events)
    audit.append(db, case.id, events)
    webhooks.queue(db, case, events, created)


_CURRENT_STEP_LENGTH = Case.__table__.c.current_step.type.length


def current_step(ready: list[Task]) -> str:
    """The waiting steps' names, each once, cut to fit the column: a case
    can wait on many of the same step (a grievance raised twice)."""
    names = ", ".join(dict.fromkeys(t.task_spec.bpmn_name or t.task_spec.bpmn_id for t in ready))
    return names if len(names) <= _CURRENT_STEP_LENGTH else names[: _CURRENT_STEP_LENGTH - 1] + "…"


# Workers LISTEN here (PostgreSQL) so a timer stored sooner than they planned
# to wake is not left waiting out their sleep; NOTIFY is sent on commit.
TIMERS_CHANNEL = "case_timers"


def wake_workers(db) -> None:
    if db.get_bind().dialect.name == "postgresql":
        db.execute(select(func.pg_notify(TIMERS_CHANNEL, "")))


# A pool step no notice of its diagram announces: every member of the pool is
# told it waits (engine/notices/, unless the procedure words its own).
STEP_WAITING = "step_waiting"
REPORTER_OPENED, REPORTER_CLOSED = "reporter_case_opened", "reporter_case_closed"
NOBODY_CAN_TAKE = "step_nobody_can_take"


def _told(db, actor: Actor, events: list[PendingEvent]) -> frozenset[str]:
    """Who needs no email of a step waiting: whoever did this operation (it
    is in front of them) and everyone it has already emailed about the case."""
    told = {to for e in events if e.action == "notification_queued" for to in e.data["to"]}
    person = db.get(User, actor.user_id) if actor.user_id else None
    return frozenset(told | ({person.email} if person else set()))


def _tell_who_is_waited_on(
    ctx: Context, case: Case, ready: list[Task], created, told: frozenset[str]
) -> list[PendingEvent]:
    """A step whose diagram names a `notify_waiting` notice tells whoever it
    now waits for (the lane's holder, or its pool), once, when it appears. A
    pool step without one tells every member of its pool, but those this
    operation has already emailed (one email each, never two at once)."""
    tasks = {str(t.id): t for t in ready}
    found = []
    for row in created:
        task = tasks[row.spiff_task_id]
        template = projection.properties(task).get("notify_waiting")
        # Nobody hears of a step they may not take (their own request's dispute).
        off = conflicts.kept_off(case, row.form_name)
        if template:
            found.append(_notice(ctx, case, task, template, [row.lane], not_these=off))
        elif row.assignee_id is None:
            waiting = {**task.data, "waiting_step": row.title, "waiting_due": row.due_at}
            event = _notice(ctx, case, task, STEP_WAITING, [row.lane], waiting, told, off)
            if event.data["to"]:
                found.append(event)
                told |= frozenset(event.data["to"])
    return found


def _tell_hr_nobody_can_take(ctx: Context, case: Case, routing: list[PendingEvent]) -> list[PendingEvent]:
    """A step nobody may take (the only Chair is the trustee concerned, and
    every other trustee is involved): HR is told why, and who could take it."""
    found = []
    for blocked in (e for e in routing if e.action == projection.STEP_BLOCKED):
        hr = pools.eligible(ctx.db, case, pools.FALLBACK)
        with ctx.db.no_autoflush:
            sent_to = outbox.queue_to(ctx.db, case, NOBODY_CAN_TAKE, hr, blocked.data, ctx.settings.base_url)
        if sent_to:  # (with no HR free of the case, the case page is all there is)
            data = {"template": NOBODY_CAN_TAKE, "to": sent_to}
            found.append(PendingEvent("notification_queued", audit.SYSTEM, data, blocked.bpmn_task))
    return found


def _tell_parties_told_only(ctx: Context, case: Case, events: list[PendingEvent]) -> list[PendingEvent]:
    """A reporter hears that the case was opened and when it closed, nothing more."""
    roles = [name for name, role in registry.get(case.kind).roles.items() if role.told_opened_and_closed]
    actions = {e.action for e in events}
    found = []
    for template, action in ((REPORTER_OPENED, "case_opened"), (REPORTER_CLOSED, "case_closed")):
        if roles and action in actions:
            with ctx.db.no_autoflush:
                sent_to = outbox.queue(ctx.db, case, template, roles, {}, ctx.settings.base_url)
            if sent_to:
                found.append(PendingEvent("notification_queued", audit.SYSTEM, {"template": template, "to": sent_to}))
    return found


def _notice(
    ctx: Context,
    case: Case,
    task: Task,
    template: str,
    roles: list[str],
    data: dict | None = None,
    told: frozenset[str] = frozenset(),
    not_these: frozenset[int] = frozenset(),
) -> PendingEvent:
    with ctx.db.no_autoflush:  # the case is saved once, by finalize's flush
        data = task.data if data is None else data
        sent_to = outbox.queue(ctx.db, case, template, roles, data, ctx.settings.base_url, told, not_these)
    return PendingEvent(
        "notification_queued", audit.SYSTEM, {"template": template, "to": sent_to}, task.task_spec.bpmn_id
    )


def _events_for(ctx: Context, case: Case, task: Task) -> list[PendingEvent]:
    """What a completed element's properties ask for (docs/architecture.md,
    "The diagram contract"): a status, a letter, a notice."""
    spec, props = task.task_spec, projection.properties(task)
    found = []
    if _timer_fired(spec, task):
        found.append(
            PendingEvent(
                "timer_fired",
                audit.TIMER,
                {"timer": spec.bpmn_name, "due": task._get_internal_data("event_value")},
                spec.bpmn_id,
            )
        )
    if "case_status" in props and props["case_status"] != case.status:
        found.append(_status_changed(case, task, props["case_status"]))
    if "letter" in props:
        found.append(letters.issue(ctx.db, ctx.settings, case, props["letter"], task.data))
    if "notify" in props:
        found.append(_notice(ctx, case, task, props["notify"], [r.strip() for r in props["notify_to"].split(",")]))
    return found


def _timer_fired(spec, task: Task) -> bool:
    """A timer event, or an event-based gateway that a timer of its own moved on."""
    definition = getattr(spec, "event_definition", None)
    if isinstance(definition, MultipleEventDefinition):
        seen = task._get_internal_data("seen_events") or []
        return any(isinstance(event.event_definition, TimerEventDefinition) for event in seen)
    return isinstance(definition, TimerEventDefinition)


def _status_changed(case: Case, task: Task, status: str) -> PendingEvent:
    data = {"from": case.status, "to": status, "step": task.task_spec.bpmn_name}
    reason = registry.get(case.kind).status_reason
    if reason:
        data[reason] = task.data.get(reason)
    case.status = status
    return PendingEvent("case_status_changed", audit.SYSTEM, data, task.task_spec.bpmn_id)


def _close(case: Case) -> list[PendingEvent]:
    if case.status == registry.OPEN:
        case.status = registry.CLOSED
    case.closed_at = clock.now()
    return [PendingEvent("case_closed", audit.SYSTEM, {"status": case.status})]


def add_party(case: Case, user: User, role: str, actor: Actor) -> PendingEvent:
    registry.get(case.kind).role(role)  # an unknown role is a bug, not a new kind of party
    case.parties.append(CaseParty(user=user, role=role, added_at=clock.now()))
    return PendingEvent("party_assigned", actor, {"user_id": user.id, "name": user.name, "role": role})

"""Driving a case through its diagram the way the web does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select, text

from models import AuditEvent, CaseTask, OutboxMessage, TaskState
from workflows.engine.tasks import complete_task, open_task


def ready_tasks(db, case) -> list[CaseTask]:
    return list(
        db.scalars(
            select(CaseTask).where(CaseTask.case_id == case.id, CaseTask.state == TaskState.READY).order_by(CaseTask.id)
        )
    )


def ready_task(db, case, bpmn_id: str) -> CaseTask:
    tasks = [t for t in ready_tasks(db, case) if t.bpmn_id == bpmn_id]
    assert len(tasks) == 1, f"expected {bpmn_id} ready, found {[t.bpmn_id for t in ready_tasks(db, case)]}"
    return tasks[0]


def complete(ctx, case, bpmn_id: str, user, **data):
    """Open the step as `user` (checking they may) and complete it with `data`."""
    return complete_task(ctx, open_task(ctx.db, user, ready_task(ctx.db, case, bpmn_id).id), data)


def actions(db, case) -> list[str]:
    return list(db.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq)))


def outbox(db, case) -> list[tuple[str, str]]:
    return [
        (m.template, m.to_email)
        for m in db.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id).order_by(OutboxMessage.id))
    ]


@contextmanager
def past_the_triggers(db) -> Iterator[None]:
    """Write to the audit tables as their owner could: with every trigger off
    (PostgreSQL's; SQLite has none)."""
    postgres = db.get_bind().dialect.name == "postgresql"
    for table in ("audit_events", "audit_chains") if postgres else ():
        db.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER ALL"))
    yield
    for table in ("audit_events", "audit_chains") if postgres else ():
        db.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER ALL"))

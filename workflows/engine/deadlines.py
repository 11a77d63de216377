"""What a case is waiting for, and until when: each waiting timer with its
name in the diagram ("Review due", "72 hours passed"), read from the stored
state as the pages read task data, without restoring the workflow."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from SpiffWorkflow.util.task import TaskState as SpiffState
from sqlalchemy.orm import Session

from models import Case

from .specs import ProcessLibrary


class Deadline(NamedTuple):
    name: str
    at: datetime


def waiting(db: Session, library: ProcessLibrary, case: Case) -> list[Deadline]:
    """Every timer the open case waits on, soonest first."""
    if case.closed_at is not None or not case.state:
        return []
    names = library.names(db, case.spec_hash)
    found = []
    for task in case.state.get("tasks", {}).values():
        value = (task.get("internal_data") or {}).get("event_value")
        if task.get("state") != SpiffState.WAITING or not isinstance(value, str):
            continue
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:  # not a date: another kind of event's value
            continue
        found.append(Deadline(names.get(task.get("task_spec"), task.get("task_spec")), moment))
    return sorted(found, key=lambda d: d.at)

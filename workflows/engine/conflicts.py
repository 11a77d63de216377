"""Steps a person's own part in a case keeps them off (`registry.KeptOff`):
such a step goes to its pool rather than to them, and they are refused it
with the reason and who else may take it, or, where the procedure allows,
take it with a reason recorded on the audit trail."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Case, CaseTask, User

from . import pools, registry
from .audit import Actor, PendingEvent
from .errors import InvalidInput


def part(step: registry.Step, case: Case, user_id: int | None) -> str | None:
    """The part in the case that keeps this person off the step, in words."""
    if step.kept_off is None or user_id is None:
        return None
    roles = {p.role for p in case.parties if p.user_id == user_id}
    return next((words for role, words in step.kept_off.parts.items() if role in roles), None)


def kept_off(case: Case, form: str) -> frozenset[int]:
    """Everyone the step `form` is not for: they are not told it waits, either."""
    step = registry.get(case.kind).steps.get(form)
    if step is None or step.kept_off is None:
        return frozenset()
    return frozenset(p.user_id for p in case.parties if p.role in step.kept_off.parts)


def who_else(db: Session, case: Case, row: CaseTask, user: User) -> str:
    pool = registry.get(case.kind).role(row.lane).pool
    return pools.others(db, case, pool, user.id) if pool else "nobody else"


def refusal(db: Session, row: CaseTask, user: User) -> str | None:
    """Why `user` may not take this step at all (no override allowed)."""
    step = registry.get(row.case.kind).step(row.form_name)
    found = part(step, row.case, user.id)
    if found is None or step.kept_off.override:
        return None
    return f"You {found}, so '{row.title}' is for someone else: {who_else(db, row.case, row, user)}."


def overridden(db: Session, row: CaseTask, user: User, data: dict) -> list[PendingEvent]:
    """A kept-off person taking the step anyway: only with the reason."""
    step = registry.get(row.case.kind).step(row.form_name)
    found = part(step, row.case, user.id)
    if found is None:
        return []
    field = step.kept_off.override
    if not data.get(field):
        raise InvalidInput(
            f"You {found}: {who_else(db, row.case, row, user)} can take '{row.title}' instead, "
            "or record here why you must do it yourself.",
            field,
        )
    details = {"step": row.title, "part": found, "reason": data[field]}
    return [PendingEvent("conflict_overridden", Actor.person(user), details, row.bpmn_id)]

"""Who may see a case and who may act on a task ("need to know",
docs/domain.md).

A person sees cases they are a party to. HR sees every case except one where
they are the subject or only its complainant: nobody sees their own case
through an HR role. Refusals raise Forbidden carrying a `Refusal`, which the
transaction's owner records after rolling the refused work back.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy.orm import Session

from models import Case, CaseTask, Evidence, Role, User

from . import audit, pools
from .audit import Actor
from .errors import Forbidden, Refusal
from .registry import EVERYONE, Procedure, no_view_roles


def party_roles(user: User, case: Case) -> set[str]:
    return {p.role for p in case.parties if p.user_id == user.id}


def can_view_case(user: User, case: Case) -> bool:
    roles = party_roles(user, case)
    if roles - no_view_roles():
        return True
    return user.has_role(Role.HR) and not conflicted(user, case, roles)


def conflicted(user: User, case: Case, roles: set[str]) -> bool:
    """The subject, or a complainant or witness, never acts on a case through a staff role."""
    return user.id == case.subject_id or bool(roles & no_view_roles())


def sees_case_file(user: User, case: Case) -> bool:
    """Investigation material (interview notes, unshared evidence): never the subject."""
    return can_view_case(user, case) and user.id != case.subject_id


def is_subject_only(user: User, case: Case) -> bool:
    """The subject sees their own notices, never the case file around them."""
    return user.id == case.subject_id


def can_complete(user: User, task: CaseTask, case: Case) -> bool:
    if task.assignee_id is not None:
        return task.assignee_id == user.id
    return pools.takes_from(user, case, task.pool_role)


def can_open(user: User, procedure: Procedure) -> bool:
    return EVERYONE in procedure.opened_by or user.has_role(*procedure.opened_by)


def can_see_evidence(user: User, item: Evidence) -> bool:
    """The case file's readers see all of it; the subject only what was shared."""
    if item.case is None:
        return False
    return sees_case_file(user, item.case) or (user.id == item.case.subject_id and item.shared_with_subject)


def refuse(user: User, case: Case | None, attempted: str, message: str | None = None) -> NoReturn:
    """Refuse `user` (with `message` saying why, where they may know it); the
    refusal is recorded by `record_refusal` once the refused work is rolled back."""
    if message is None:
        message = "You do not have access to this case." if case else "You do not have access to this page."
    raise Forbidden(message, Refusal(user.id, user.name, case.id if case else None, attempted))


def record_refusal(db: Session, refusal: Refusal) -> None:
    audit.record(
        db,
        refusal.case_id,
        "access_denied",
        Actor(refusal.user_label, refusal.user_id),
        {"attempted": refusal.attempted, "user_id": refusal.user_id},
    )

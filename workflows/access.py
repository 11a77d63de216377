"""Who may see a case and who may act on a task ("need to know", DOMAIN.md).

A person sees cases they are a party to. HR sees every case except one where
they are the subject: nobody sees their own case through an HR role.
"""
from __future__ import annotations

from models import Case, CaseTask, Evidence, Role, User

OPENING_ROLES = (Role.HR, Role.MANAGER, Role.HUB_MANAGER)


def party_roles(user: User, case: Case) -> set[str]:
    return {p.role for p in case.parties if p.user_id == user.id}


# Being named as the person who reported a breach gives no view of the
# investigation ("HR for HR": a complainant never sees the case file).
NO_VIEW_ROLES = {"Reporter"}


def can_view_case(user: User, case: Case) -> bool:
    roles = party_roles(user, case)
    if roles - NO_VIEW_ROLES:
        return True
    return user.has_role(Role.HR) and not _conflicted(user, case, roles)


def _conflicted(user: User, case: Case, roles: set[str]) -> bool:
    """The subject or the reporter never acts on a case through a staff role."""
    return user.id == case.subject_id or bool(roles & NO_VIEW_ROLES)


def sees_case_file(user: User, case: Case) -> bool:
    """Investigation material (interview notes, unshared evidence): never the subject."""
    return can_view_case(user, case) and user.id != case.subject_id


def is_subject_only(user: User, case: Case) -> bool:
    """The subject sees their own notices, never the case file around them."""
    return user.id == case.subject_id


def can_complete(user: User, task: CaseTask, case: Case) -> bool:
    if task.assignee_id is not None:
        return task.assignee_id == user.id
    return (bool(task.pool_role) and user.has_role(task.pool_role)
            and not _conflicted(user, case, party_roles(user, case)))


def can_open_takedown(user: User) -> bool:
    return user.has_role(*OPENING_ROLES)


def can_see_evidence(user: User, item: Evidence) -> bool:
    """The case file's readers see all of it; the subject only what was shared."""
    if item.case is None:
        return False
    return sees_case_file(user, item.case) or (
        user.id == item.case.subject_id and item.shared_with_subject)

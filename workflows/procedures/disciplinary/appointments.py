"""Who may hear the case, and who may hear the appeal: never someone already
involved, a dismissal only by someone with the authority to dismiss, and the
employee's own line manager only where nobody else can (with a reason)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Case, CaseTask, Role, TaskState, User
from workflows.engine import queries
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.registry import Derived

STAFF = (Role.HR, Role.MANAGER, Role.HUB_MANAGER)
# A party in these roles has a part in the case already.
INVOLVED_ROLES = {
    "Investigator": "investigated it",
    "Investigating officer": "investigated it",
    "Reporter": "reported it",
    "Witness": "is a witness",
    "Hearing officer": "is its hearing officer",
}


def _staff(ctx: Context) -> list[User]:
    people = ctx.db.scalars(
        select(User).where(User.active.is_(True)).order_by(User.name).options(selectinload(User.role_rows))
    )
    return [u for u in people if u.has_role(*STAFF)]


def _parts(ctx: Context, case: Case, decisions: bool) -> dict[int, str]:
    """Each person's part in the case (and the case it came from): their party
    roles, and with `decisions` every step they completed."""
    parts = {case.subject_id: "is the employee"}
    cases = [case] + ([case.parent] if case.parent_id else [])
    for each in cases:
        for party in each.parties:
            if party.role in INVOLVED_ROLES:
                parts.setdefault(party.user_id, INVOLVED_ROLES[party.role] + f" ({each.reference})")
    if decisions:
        done = ctx.db.scalars(
            select(CaseTask)
            .where(CaseTask.case_id.in_([c.id for c in cases]), CaseTask.state == TaskState.COMPLETED)
            .order_by(CaseTask.id)
        )
        for task in done:
            parts.setdefault(task.completed_by_id, f"did '{task.title}' ({task.case.reference})")
    return parts


def hearing_officer_choices(ctx: Context, case: Case) -> list[User]:
    parts = _parts(ctx, case, decisions=False)
    return [u for u in _staff(ctx) if u.id not in parts]


def appeal_officer_choices(ctx: Context, case: Case) -> list[User]:
    parts = _parts(ctx, case, decisions=True)
    return [u for u in _staff(ctx) if u.id not in parts]


def _chosen(ctx: Context, case: Case, person_id: int, field: str, decisions: bool) -> User:
    person = ctx.db.get(User, person_id)
    parts = _parts(ctx, case, decisions)
    if person is None or not person.active or not person.has_role(*STAFF):
        raise InvalidInput("Choose an HR officer or a manager.", field)
    if person.id in parts:
        raise InvalidInput(f"{person.name} {parts[person.id]}: choose someone not involved.", field)
    return person


def check_hearing_officer(ctx: Context, case: Case, user: User, data: dict) -> Derived:
    known = queries.case_data(case)
    person = _chosen(ctx, case, data["hearing_officer_id"], "hearing_officer_id", decisions=False)
    if known.get("dismissal_possible") and not person.has_role(known["may_dismiss"]):
        raise InvalidInput(
            f"Dismissal is a possible outcome, and {person.name} does not hold the authority to "
            f"dismiss ({known['may_dismiss'].replace('_', ' ')}).",
            "hearing_officer_id",
        )
    _line_manager_only_with_reason(ctx, case, person, data)
    return Derived(
        data={
            "hearing_officer_name": person.name,
            "hearing_officer_may_dismiss": person.has_role(known["may_dismiss"]),
        },
        parties={"Hearing officer": person},
    )


def _line_manager_only_with_reason(ctx: Context, case: Case, person: User, data: dict) -> None:
    if case.subject.line_manager_id != person.id or data["conflict_reason"]:
        return
    others = [u for u in hearing_officer_choices(ctx, case) if u.id != person.id]
    if others:
        raise InvalidInput(
            f"{person.name} is {case.subject.name}'s line manager and others could hear it "
            f"(for example {others[0].name}). Choose someone else, or record why they should.",
            "conflict_reason",
        )


_RANK = {Role.HUB_MANAGER: 2, Role.HR: 1, Role.MANAGER: 1}


def _rank(person: User) -> int:
    return max((_RANK.get(r, 0) for r in person.roles), default=0)


def check_appeal_officer(ctx: Context, case: Case, user: User, data: dict) -> Derived:
    person = _chosen(ctx, case, data["appeal_officer_id"], "appeal_officer_id", decisions=True)
    hearing = next((p.user for p in case.parties if p.role == "Hearing officer"), None)
    senior = [u for u in appeal_officer_choices(ctx, case) if hearing and _rank(u) > _rank(hearing)]
    if senior and _rank(person) <= _rank(hearing) and not data["seniority_reason"]:
        raise InvalidInput(
            f"{senior[0].name} is senior to the hearing officer, {hearing.name}, and was not "
            "involved. Choose them, or record why this appeal officer.",
            "seniority_reason",
        )
    return Derived(data={"appeal_officer_name": person.name}, parties={"Appeal officer": person})

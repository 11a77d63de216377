"""Operations on cases: open one, look at one, link two.

Each is one transaction's worth of work; the caller commits (one commit per
request), so any failure rolls back everything the operation did.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, undefer

from models import Case, CaseTask, TaskState, User

from . import access, audit, clock, pools, reads, registry
from . import tallies as _tallies  # noqa: F401  (its session hooks keep the dashboard's counts as cases change)
from .audit import Actor, PendingEvent
from .context import Context
from .errors import NotFound, ProcedureError
from .running import add_party, finalize, run_engine


def open_case(
    ctx: Context,
    kind: str,
    *,
    title: str,
    subject: User,
    opened_by: User,
    clauses: list[str],
    parties: dict[str, User],
    start_data: dict,
    parent: Case | None = None,
) -> Case:
    """Start a procedure's workflow for a new case; `parties` maps case
    roles to people, `start_data` is what the diagram starts from."""
    procedure = registry.get(kind)
    if not access.can_open(opened_by, procedure):
        access.refuse(opened_by, None, f"opened a {procedure.label.lower()} without the role to")
    undeclared = set(start_data) - set(procedure.start_data)
    if undeclared:
        raise ProcedureError(f"{kind}: the opening gave undeclared start data {sorted(undeclared)}")
    db, now, actor = ctx.db, clock.now(), Actor.person(opened_by)
    case = Case(
        reference=f"new-{now.timestamp()}-{opened_by.id}",
        kind=kind,
        title=title,
        subject_id=subject.id,
        opened_by_id=opened_by.id,
        clauses=clauses,
        spec_hash=ctx.library.ensure_stored(db, kind),
        state={},
        parent_id=parent.id if parent else None,
        opened_at=now,
        updated_at=now,
    )
    db.add(case)
    db.flush()
    # The id makes the reference unique without a counter to race on.
    case.reference = f"{procedure.prefix}-{now.year}-{case.id:04d}"
    events = [
        PendingEvent(
            "case_opened", actor, {"reference": case.reference, "title": title, "clauses": clauses, **start_data}
        )
    ]
    events += [add_party(case, user, role, actor) for role, user in parties.items()]
    workflow = ctx.library.start(kind)
    for task in workflow.get_tasks():
        task.data.update(start_data)
    finalize(ctx, case, workflow, actor, events, run_engine(workflow), {})
    return case


def link(ctx: Context, earlier: Case, later: Case, by: User, relations: tuple[str, str]) -> None:
    """Record on both cases' trails that `later` was opened from `earlier`:
    `relations` says so from each side."""
    actor = Actor.person(by)
    for case, other, relation in ((earlier, later, relations[0]), (later, earlier, relations[1])):
        audit.append(
            ctx.db,
            case.id,
            [PendingEvent("case_linked", actor, {"linked_case": other.reference, "relation": relation})],
        )


def get_case(db: Session, reference: str) -> Case:
    case = db.scalar(
        select(Case).where(Case.reference == reference).options(undefer(Case.state), joinedload(Case.parties))
    )
    if case is None:
        raise NotFound(f"There is no case {reference}.")
    return case


def view_case(db: Session, user: User, reference: str) -> Case:
    """Fetch a case for `user`, auditing the view (or refusing it)."""
    case = get_case(db, reference)
    if not may_look(db, user, case):
        access.refuse(user, case, "viewed a case they have no role on")
    # Who and why (their standing on it), and whether the case file was open
    # to them: notes, statements and evidence may be special-category data.
    data = {"as": reads.basis(user, case), "case_file": access.sees_case_file(user, case)}
    audit.record(db, case.id, "case_viewed", Actor.person(user), data)
    return case


def may_look(db: Session, user: User, case: Case) -> bool:
    """A party or HR (`access.can_view_case`), or a pool's member while one
    of the case's steps waits in their pool (e.g. the Hub Manager): taking
    the step names them on the case."""
    if access.can_view_case(user, case):
        return True
    waiting = db.scalars(
        select(CaseTask.pool_role).where(
            CaseTask.case_id == case.id, CaseTask.state == TaskState.READY, CaseTask.assignee_id.is_(None)
        )
    )
    return any(pools.takes_from(user, case, p) for p in waiting)

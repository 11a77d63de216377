"""Demo data for the disciplinary procedure: Tom Baker's earlier case, which
ended two months ago in a final written warning (still live), and a new case
about him waiting for HR to appoint a hearing officer. With his live final
warning, dismissal is possible, so only the Hub Manager may hear it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from models import CaseTask, TaskState, User
from workflows.engine import clock
from workflows.engine.context import Context
from workflows.engine.tasks import complete_task, open_task

from .opening import DisciplinaryOpening, open_disciplinary


def _step(ctx: Context, case, bpmn_id: str, user: User, **data) -> None:
    task_id = ctx.db.scalar(
        select(CaseTask.id).where(
            CaseTask.case_id == case.id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )
    complete_task(ctx, open_task(ctx.db, user, task_id), data)


def load(ctx: Context, hr: User, officer: User, employee: User) -> None:
    with clock.stopped_at(clock.now() - timedelta(days=70)):  # the earlier case happened then
        _earlier_case(ctx, hr, officer, employee)
    open_disciplinary(
        ctx,
        hr,
        DisciplinaryOpening(
            subject=employee,
            clauses=["SMP-5.2", "SMP-5.6"],
            allegation="A public TikTok video filmed at the Hub shows a service user without consent, with mocking "
            "captions about the drop-in.",
            reason="Tom posted it from his own account and has admitted it in writing; the facts are not in dispute.",
        ),
    )


def _earlier_case(ctx: Context, hr: User, officer: User, employee: User) -> None:
    case = open_disciplinary(
        ctx,
        hr,
        DisciplinaryOpening(
            subject=employee,
            clauses=["SMP-5.6"],
            allegation="Offensive replies to a member of the public on X.",
            reason="Admitted at once; no investigation was needed.",
        ),
    )
    _step(ctx, case, "UserTask_AppointHearingOfficer", hr, hearing_officer_id=officer.id)
    hearing_at = clock.london(clock.now() + timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
    _step(ctx, case, "UserTask_Invite", hr, hearing_at=hearing_at.isoformat(), place="Meeting room 2, the Hub")
    _step(ctx, case, "UserTask_Companion", employee, companion_choice="none")
    clock.freeze(datetime.fromisoformat(hearing_at.isoformat()) + timedelta(hours=2))
    _step(
        ctx,
        case,
        "UserTask_Hearing",
        officer,
        attendance="attended",
        hearing_notes="Tom accepted he wrote the replies.",
        employee_response="He was provoked, and is sorry.",
    )
    _step(
        ctx,
        case,
        "UserTask_Decide",
        officer,
        misconduct_found="misconduct",
        clauses_found=["SMP-5.6"],
        sanction="final_written",
        decision_reasons="Abusive language to a member of the public, in public.",
        serious_first_offence_reason="The replies were abusive and widely shared.",
        targets_manner=True,
        proportionality_reasons="Aimed at the abusive manner, not his view; short of dismissal.",
        mitigation_considered="Provocation; an apology; three years' good service.",
        consistency_considered=True,
    )
    _step(ctx, case, "UserTask_Appeal", employee, appeal_choice="accept")

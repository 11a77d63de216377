"""Demo data: an investigation run to its referral, so that the procedure
it refers to (volunteer problem-solving, the Chair's referral) has a case
waiting on its first step, opened the way it is in use."""

from __future__ import annotations

from sqlalchemy import select

from models import Case, CaseTask, TaskState, User
from workflows.engine.context import Context
from workflows.engine.tasks import complete_task, open_task

from .opening import BreachReport, open_breach
from .vocabulary import REFERRALS


def _step(ctx: Context, case: Case, bpmn_id: str, user: User, **data) -> None:
    task_id = ctx.db.scalar(
        select(CaseTask.id).where(
            CaseTask.case_id == case.id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )
    complete_task(ctx, open_task(ctx.db, user, task_id), data)


def referred(ctx: Context, hr: User, investigator: User, report: BreachReport, facts: str, account: str) -> Case:
    """Triage, investigate (with the subject's account), find and refer the
    subject to their own procedure; returns the case the referral opened."""
    case = open_breach(ctx, hr, report)
    _step(
        ctx,
        case,
        "UserTask_Triage",
        hr,
        severity="moderate",
        personal_data_published=False,
        suspension_needed=False,
        suspension_reason="",
        investigator_id=investigator.id,
        manager_conflict_reason="",
    )
    _step(ctx, case, "UserTask_Investigate", investigator, account_days=7, invitation_message="")
    _step(ctx, case, "UserTask_Account", report.subject, account_choice="give", account_statement=account)
    _step(
        ctx,
        case,
        "UserTask_Findings",
        investigator,
        facts_found=facts,
        clauses_breached=report.clauses,
        mitigation="Removed the same day, when asked.",
        recommendation="informal_action",
    )
    referral, _label = REFERRALS[report.subject.person_type]
    _step(
        ctx,
        case,
        "UserTask_Outcome",
        hr,
        outcome=referral,
        outcome_reasons="Breach found; it is for their own procedure to decide what follows.",
        informal_action="",
    )
    return ctx.db.scalar(select(Case).where(Case.parent_id == case.id))

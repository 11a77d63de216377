"""Demo data for monitoring findings: a restriction of Sam Wright's access to
Instagram and TikTok, decided four weeks ago and told to him in writing, whose
review date is today, so HR's review is waiting (and it heads the register)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import CaseTask, TaskState, User
from workflows.engine import clock, workdays
from workflows.engine.context import Context
from workflows.engine.tasks import complete_task, open_task
from workflows.engine.timers import fire_due_timers

from .opening import MonitoringFinding, record_finding

WEEKS_AGO = timedelta(days=28)


def load(ctx: Context, hr: User, person: User) -> None:
    review_on = workdays.today()
    with clock.stopped_at(clock.now() - WEEKS_AGO):  # the finding and the decision happened then
        case = record_finding(
            ctx,
            hr,
            MonitoringFinding(
                subject=person,
                occasion="routine_audit",
                purposes=["SMP-6.1", "SMP-6.3"],
                found="The monthly audit showed about two hours a day on Instagram and TikTok in working hours "
                "from the outreach laptop, outside any break.",
            ),
        )
        task_id = ctx.db.scalar(
            select(CaseTask.id).where(CaseTask.case_id == case.id, CaseTask.state == TaskState.READY)
        )
        decision = {
            "decision": "restrict",
            "decision_reasons": "Use in working hours has delayed two outreach visits this month.",
            "access_action": "restrict",
            "sites": "Instagram and TikTok on BCW Hub equipment",
            "starts_on": workdays.today().isoformat(),
            "review_on": review_on.isoformat(),
            "telling": "told",
        }
        complete_task(ctx, open_task(ctx.db, hr, task_id), decision)
    fire_due_timers(ctx)  # the review date has come: HR's review waits now, not after the worker's next pass

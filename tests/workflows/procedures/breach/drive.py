"""Driving a breach investigation to its outcome for any subject, so that
the procedures it refers to can start from a real referral."""

from __future__ import annotations

from sqlalchemy import select

from models import Case, Role
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import complete
from workflows.procedures.breach.opening import BreachReport, open_breach

REFERRAL = {
    "employee": "refer_to_disciplinary",
    "volunteer": "refer_to_problem_solving",
    "trustee": "refer_to_chair",
}


def staff(db) -> dict:
    manager = make_manager(db, "Mark Taylor")
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "manager": manager,
        "coordinator": make_manager(db, "Priya Shah"),
        "investigator": make_manager(db, "Ivan Investigator"),
        "hub": make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,)),
        "chair": make_user(db, "Ruth Adeyemi", roles=(Role.CHAIR,), person_type="trustee"),
        "trustee": make_user(db, "Tariq Khan", person_type="trustee"),
        "other_trustee": make_user(db, "Olu Bello", person_type="trustee"),
    }


def investigated(ctx, people, subject, *, step_back: bool = False, account: bool = True) -> Case:
    """A breach case about `subject`, reported by the manager, triaged,
    investigated and waiting for HR's outcome."""
    case = open_breach(
        ctx,
        people["hr"],
        BreachReport(
            subject=subject,
            source="manager_report",
            clauses=["SMP-5.6"],
            description="Posted derogatory comments about a service user.",
            reported_by=people["manager"],
        ),
    )
    complete(
        ctx,
        case,
        "UserTask_Triage",
        people["hr"],
        severity="moderate",
        personal_data_published=False,
        suspension_needed=step_back,
        suspension_reason="To let the concern be looked into calmly." if step_back else "",
        investigator_id=people["investigator"].id,
        manager_conflict_reason="",
    )
    complete(ctx, case, "UserTask_Investigate", people["investigator"], account_days=7, invitation_message="")
    if account:
        complete(
            ctx,
            case,
            "UserTask_Account",
            subject,
            account_choice="give",
            account_statement="I was upset and wrote it in haste.",
        )
    complete(
        ctx,
        case,
        "UserTask_Findings",
        people["investigator"],
        facts_found="The comments were posted on Saturday and removed on Monday.",
        clauses_breached=["SMP-5.6"],
        mitigation="Removed when asked.",
        recommendation="informal_action",
    )
    return case


def refer(ctx, case, people, outcome: str | None = None) -> Case:
    """HR refers the subject to their own procedure; returns the case it opened."""
    complete(
        ctx,
        case,
        "UserTask_Outcome",
        people["hr"],
        outcome=outcome or REFERRAL[case.subject.person_type],
        outcome_reasons="The matter needs to be taken further.",
        informal_action="",
    )
    return ctx.db.scalar(select(Case).where(Case.parent_id == case.id))

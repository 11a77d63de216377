"""A takedown refused and escalated, the investigation it opened (linked, its
screenshot carried over), an account, interview notes and an outcome letter:
what a tribunal bundle is made of (workflows/engine/bundle.py)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from sqlalchemy import select

from models import Case, User
from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import complete
from workflows.demo import DEMO_PNG
from workflows.engine import clock
from workflows.engine.casefile import add_interview_note
from workflows.engine.evidence import store_upload

STATEMENT = "I did not know it was not allowed; I removed it when I understood."
NOTES = "Sam Wright saw the post on Sunday evening and told Mark on Monday."


@dataclass
class Linked:
    hr: User
    manager: User
    investigator: User
    employee: User
    takedown: Case
    investigation: Case


def linked_cases(ctx, db) -> Linked:
    manager = make_manager(db, "Mark Taylor")
    hr, investigator = make_hr(db, "Hana Hussain"), make_manager(db, "Priya Shah")
    employee = make_user(db, "Ellie Jones", line_manager=manager)
    shot = store_upload(ctx.settings, BytesIO(DEMO_PNG), "post.png", manager, "The post, captured", clock.now())
    takedown = make_takedown(ctx, manager, employee, evidence=[shot])
    complete(ctx, takedown, "UserTask_Respond", employee, response="refuse", dispute_grounds="It is my opinion.")
    complete(
        ctx,
        takedown,
        "UserTask_DecideEscalation",
        hr,
        escalation_decision="open_investigation",
        escalation_reasons="Refused to remove it.",
    )
    investigation = db.scalar(select(Case).where(Case.parent_id == takedown.id))
    complete(
        ctx,
        investigation,
        "UserTask_Triage",
        hr,
        severity="serious",
        personal_data_published=False,
        suspension_needed=False,
        suspension_reason="",
        investigator_id=investigator.id,
        manager_conflict_reason="",
    )
    complete(ctx, investigation, "UserTask_Investigate", investigator, account_days=7, invitation_message="")
    complete(ctx, investigation, "UserTask_Account", employee, account_choice="give", account_statement=STATEMENT)
    add_interview_note(ctx, investigation, investigator, "Sam Wright", clock.london(clock.now()).date(), NOTES)
    complete(
        ctx,
        investigation,
        "UserTask_Findings",
        investigator,
        facts_found="The photo was posted on Sunday evening.",
        clauses_breached=["SMP-5.6"],
        mitigation="Removed within the day.",
        recommendation="informal_action",
    )
    complete(
        ctx,
        investigation,
        "UserTask_Outcome",
        hr,
        outcome="informal_action",
        outcome_reasons="A first lapse, admitted and put right.",
        informal_action="A conversation about the policy and a note on file.",
    )
    return Linked(hr, manager, investigator, employee, takedown, investigation)

"""An HR officer who investigated never decides the outcome, unless they
record why they must (on the audit trail); another HR officer may."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, Case
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import complete, ready_task
from workflows.procedures.breach.opening import BreachReport, open_breach


@pytest.fixture
def people(db):
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "other": make_hr(db, "Harriet Hill"),
        "employee": make_user(db, "Ellie Jones", line_manager=make_manager(db, "Mark Taylor")),
    }


@pytest.fixture
def case(ctx, db, people) -> Case:
    """Hana opens the case and investigates it herself, to the findings."""
    hana = people["hr"]
    report = BreachReport(people["employee"], "monitoring", ["SMP-5.6"], "Derogatory comments found in monitoring.")
    case = open_breach(ctx, hana, report)
    complete(
        ctx, case, "UserTask_Triage", hana, severity="low", personal_data_published=False, suspension_needed=False,
        suspension_reason="", investigator_id=hana.id, manager_conflict_reason="",
    )  # fmt: skip
    complete(ctx, case, "UserTask_Investigate", hana, account_days=7, invitation_message="")
    complete(ctx, case, "UserTask_Account", people["employee"], account_choice="decline", account_statement="")
    complete(
        ctx, case, "UserTask_Findings", hana, facts_found="Two comments about a colleague, since removed.",
        clauses_breached=["SMP-5.6"], mitigation="", recommendation="informal_action",
    )  # fmt: skip
    db.commit()
    return case


OUTCOME = {"outcome": "no_case_to_answer", "outcome_reasons": "The comments were not about a colleague."}


def test_the_investigator_s_outcome_goes_to_the_pool_and_needs_their_reason(db, web, people, case):
    row = ready_task(db, case, "UserTask_Outcome")
    assert row.assignee_id is None and row.pool_role == "hr"  # not to Hana, who holds the HR lane
    web.login(people["hr"])
    page = web.submit(f"/tasks/{row.id}", OUTCOME)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "You investigated this case" in html and "Harriet Hill" in html
    assert "The comments were not about a colleague.</textarea>" in html  # what was typed is kept
    assert ready_task(db, case, "UserTask_Outcome").id == row.id
    reason = "Harriet is on leave for a month and the subject asked for a prompt decision."
    decided = web.submit(f"/tasks/{row.id}", {**OUTCOME, "investigator_decides_reason": reason})
    assert decided.status_code == 302
    event = db.scalar(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "conflict_overridden")
    )
    assert event.actor_id == people["hr"].id
    assert event.data["reason"] == reason and event.data["part"] == "investigated this case"


def test_another_hr_officer_decides_without_a_reason(db, web, people, case):
    web.login(people["other"])
    decided = web.submit(f"/tasks/{ready_task(db, case, 'UserTask_Outcome').id}", OUTCOME)
    assert decided.status_code == 302
    db.refresh(case)
    assert case.status == "closed"
    overridden = select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "conflict_overridden")
    assert db.scalar(overridden) is None

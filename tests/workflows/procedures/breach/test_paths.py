"""Every branch and timer of bpmn/breach_investigation.bpmn, with a moved clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Case, Letter, PersonType, Role
from tests.conftest import START
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import actions, complete, outbox, ready_task, ready_tasks
from workflows.engine import clock
from workflows.engine.errors import InvalidInput
from workflows.engine.queries import case_data
from workflows.engine.timers import fire_due_timers
from workflows.procedures.breach.opening import BreachReport, open_breach


@pytest.fixture
def people(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "manager": manager,
        "investigator": make_manager(db, "Ivan Investigator"),
        "hub": make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,)),
        "employee": make_user(db, "Ellie Jones", line_manager=manager),
    }


@pytest.fixture
def case(ctx, people):
    report = BreachReport(
        subject=people["employee"],
        source="manager_report",
        clauses=["SMP-5.5"],
        description="Posted a photo of a service user without consent.",
        reported_by=people["manager"],
    )
    return open_breach(ctx, people["hr"], report)


def triage(ctx, case, people, **overrides):
    data = {
        "severity": "serious",
        "personal_data_published": False,
        "suspension_needed": False,
        "suspension_reason": "",
        "investigator_id": people["investigator"].id,
        "manager_conflict_reason": "",
    }
    data.update(overrides)
    return complete(ctx, case, "UserTask_Triage", people["hr"], **data)


def investigate(ctx, db, case, people, account=True):
    complete(ctx, case, "UserTask_Investigate", people["investigator"], account_days=7, invitation_message="")
    if account:
        complete(
            ctx,
            case,
            "UserTask_Account",
            people["employee"],
            account_choice="give",
            account_statement="I did not know it was not allowed.",
        )
    complete(
        ctx,
        case,
        "UserTask_Findings",
        people["investigator"],
        facts_found="The photo was posted on Sunday evening.",
        clauses_breached=["SMP-5.5"],
        mitigation="Removed within the hour.",
        recommendation="informal_action",
    )


def test_plain_path_to_no_case_to_answer(ctx, db, case, people):
    assert ready_task(db, case, "UserTask_Triage").assignee_id == people["hr"].id
    triage(ctx, case, people)
    assert ready_task(db, case, "UserTask_Investigate").assignee_id == people["investigator"].id
    assert ("investigation_assigned", people["investigator"].email) in outbox(db, case)
    investigate(ctx, db, case, people)
    outcome = ready_task(db, case, "UserTask_Outcome")
    assert outcome.assignee_id == people["hr"].id
    waiting = [(t, to) for t, to in outbox(db, case) if t in ("findings_due", "outcome_to_decide")]
    assert waiting == [("findings_due", people["investigator"].email), ("outcome_to_decide", people["hr"].email)]
    complete(
        ctx,
        case,
        "UserTask_Outcome",
        people["hr"],
        outcome="no_case_to_answer",
        outcome_reasons="Consent was later shown.",
        informal_action="",
    )
    assert case.status == "closed" and case.closed_at
    letter = db.scalar(select(Letter).where(Letter.case_id == case.id))
    assert letter.kind == "outcome_no_case" and "no case to answer" in letter.body
    assert "letter_issued" in actions(db, case)


def test_the_investigator_can_be_neither_subject_nor_reporter(ctx, db, case, people):
    with pytest.raises(InvalidInput, match="neither the subject"):
        triage(ctx, case, people, investigator_id=people["manager"].id)  # the reporter
    with pytest.raises(InvalidInput, match="neither the subject"):
        triage(ctx, case, people, investigator_id=people["employee"].id)


def test_a_line_manager_investigator_needs_a_recorded_reason(ctx, db, people):
    report = BreachReport(
        subject=people["employee"],
        source="monitoring",
        clauses=["SMP-5.6"],
        description="Derogatory comments found in monitoring.",
    )
    case = open_breach(ctx, people["hr"], report)
    with pytest.raises(InvalidInput, match="line manager"):
        triage(ctx, case, people, investigator_id=people["manager"].id)
    triage(
        ctx,
        case,
        people,
        investigator_id=people["manager"].id,
        manager_conflict_reason="Only manager on site; small team.",
    )
    assert ready_task(db, case, "UserTask_Investigate").assignee_id == people["manager"].id


def test_data_breach_assessed_in_time_then_informal_action(ctx, db, case, people):
    triage(ctx, case, people, personal_data_published=True)
    assessment = ready_task(db, case, "UserTask_AssessDataBreach")
    assert assessment.due_at == START + timedelta(hours=72)
    investigate(ctx, db, case, people)
    assert [t.bpmn_id for t in ready_tasks(db, case)] == ["UserTask_AssessDataBreach"]  # outcome waits
    complete(
        ctx,
        case,
        "UserTask_AssessDataBreach",
        people["hr"],
        ico_decision="not_reportable",
        ico_reasons="One photo, removed within the hour.",
        ico_reference="",
    )
    complete(
        ctx,
        case,
        "UserTask_Outcome",
        people["hr"],
        outcome="informal_action",
        outcome_reasons="Breach found but mitigated.",
        informal_action="Data protection training.",
    )
    assert case.status == "closed"
    assert db.scalar(select(Letter.kind).where(Letter.case_id == case.id)) == "outcome_informal"


def test_72_hours_without_a_decision_goes_to_the_hub_manager(ctx, db, case, people):
    triage(ctx, case, people, personal_data_published=True)
    clock.advance(timedelta(hours=72, minutes=1))
    assert fire_due_timers(ctx) == 1
    hub_task = ready_task(db, case, "UserTask_HubManagerIco")
    assert hub_task.pool_role == Role.HUB_MANAGER
    assert ("data_breach_overdue", people["hub"].email) in outbox(db, case)
    complete(
        ctx,
        case,
        "UserTask_HubManagerIco",
        people["hub"],
        ico_decision="reported",
        ico_reasons="Risk to a vulnerable service user.",
        ico_reference="ICO-123",
    )


def test_suspension_notice_reviews_every_14_days_and_lifting_is_recorded(ctx, db, case, people):
    triage(ctx, case, people, suspension_needed=True, suspension_reason="To protect the service user.")
    notice = db.scalar(select(Letter).where(Letter.case_id == case.id))
    assert notice.kind == "suspension_notice"
    assert "full pay" in notice.body and "not a disciplinary action" in notice.body
    assert case.next_timer_at == START + timedelta(days=14)
    clock.advance(timedelta(days=14, minutes=1))
    assert fire_due_timers(ctx) == 1
    complete(
        ctx,
        case,
        "UserTask_ReviewSuspension",
        people["hr"],
        suspension_decision="continue",
        suspension_review_reasons="Investigation still under way.",
    )
    # 14 days on, at the same UK time: British Summer Time began in between.
    assert case.next_timer_at == datetime(2026, 3, 30, 8, 1, tzinfo=UTC)
    clock.advance(timedelta(days=14, minutes=1))
    fire_due_timers(ctx)
    complete(
        ctx,
        case,
        "UserTask_ReviewSuspension",
        people["hr"],
        suspension_decision="lift",
        suspension_review_reasons="Evidence secured.",
    )
    kinds = list(db.scalars(select(Letter.kind).where(Letter.case_id == case.id).order_by(Letter.id)))
    assert kinds == ["suspension_notice", "suspension_lifted"]


def test_account_deadline_passing_lets_the_case_go_on(ctx, db, case, people):
    triage(ctx, case, people)
    complete(
        ctx,
        case,
        "UserTask_Investigate",
        people["investigator"],
        account_days=7,
        invitation_message="Please tell us your side.",
    )
    assert ready_task(db, case, "UserTask_Account").due_at == START + timedelta(days=7)
    assert ("account_invitation", people["employee"].email) in outbox(db, case)
    clock.advance(timedelta(days=7, minutes=1))
    assert fire_due_timers(ctx) == 1
    assert ready_task(db, case, "UserTask_Findings")


def refer(ctx, case, people):
    complete(
        ctx,
        case,
        "UserTask_Outcome",
        people["hr"],
        outcome="refer_to_disciplinary",
        outcome_reasons="Formal action needed.",
        informal_action="",
    )


def review(ctx, case, people, decision: str, reasons: str):
    complete(
        ctx,
        case,
        "UserTask_ReviewSuspension",
        people["hr"],
        suspension_decision=decision,
        suspension_review_reasons=reasons,
    )


def test_referral_ends_a_live_suspension_loop(ctx, db, case, people):
    triage(ctx, case, people, suspension_needed=True, suspension_reason="Serious allegation.")
    investigate(ctx, db, case, people)
    refer(ctx, case, people)
    assert case.status == "referred" and case.closed_at and case.next_timer_at is None
    assert ready_tasks(db, case) == []
    # The suspension goes on, under review, in the disciplinary case it opened.
    disciplinary = db.scalar(select(Case).where(Case.parent_id == case.id))
    carried = case_data(disciplinary)
    assert carried["suspension_live"] is True and carried["suspension_reason"] == "Serious allegation."
    assert carried["suspended_since"] == START.date().isoformat()
    assert disciplinary.next_timer_at == START + timedelta(days=14)


def test_a_suspension_lifted_before_the_referral_is_not_carried_over(ctx, db, case, people):
    triage(ctx, case, people, suspension_needed=True, suspension_reason="Serious allegation.")
    clock.advance(timedelta(days=14, minutes=1))
    fire_due_timers(ctx)
    review(ctx, case, people, "lift", "Evidence secured.")
    investigate(ctx, db, case, people)
    refer(ctx, case, people)
    carried = case_data(db.scalar(select(Case).where(Case.parent_id == case.id)))
    assert carried["suspension_live"] is False and carried["suspended_since"] is None


def test_a_volunteer_suspension_letter_avoids_employment_words(ctx, db, people):
    volunteer = make_user(db, "Vic Patel", person_type=PersonType.VOLUNTEER)
    case = open_breach(
        ctx,
        people["hr"],
        BreachReport(subject=volunteer, source="public_complaint", clauses=["SMP-5.6"], description="Rude replies."),
    )
    triage(ctx, case, people, suspension_needed=True, suspension_reason="Complaint under review.")
    body = db.scalar(select(Letter.body).where(Letter.case_id == case.id))
    assert "pause your volunteering" in body
    assert "suspended from work" not in body and "disciplinary" not in body.lower()


def test_an_escalated_takedown_becomes_a_linked_investigation_with_its_evidence(ctx, db, people):
    from io import BytesIO

    from models import Case, Evidence
    from tests.factories import make_takedown
    from workflows.demo import DEMO_PNG
    from workflows.engine.evidence import store_upload

    shot = store_upload(ctx.settings, BytesIO(DEMO_PNG), "post.png", people["manager"])
    takedown = make_takedown(ctx, people["manager"], people["employee"], evidence=[shot])
    complete(
        ctx,
        takedown,
        "UserTask_Respond",
        people["employee"],
        response="refuse",
        dispute_grounds="It is my account and my opinion.",
    )
    complete(
        ctx,
        takedown,
        "UserTask_DecideEscalation",
        people["hr"],
        escalation_decision="open_investigation",
        escalation_reasons="Refused twice to remove it.",
    )
    investigation = db.scalar(select(Case).where(Case.parent_id == takedown.id))
    assert investigation.kind == "breach_investigation" and investigation.reference.startswith("BI-")
    assert investigation.clauses == ["SMP-5.6", "SMP-5.8"]
    assert ready_task(db, investigation, "UserTask_Triage").assignee_id == people["hr"].id
    carried = db.scalars(select(Evidence).where(Evidence.case_id == investigation.id)).all()
    assert {e.sha256 for e in carried if e.kind == "file"} == {shot.sha256}
    assert "https://facebook.com/posts/123" in {e.url for e in carried}
    assert "case_linked" in actions(db, takedown) and "case_linked" in actions(db, investigation)
    reporter = [p.user_id for p in investigation.parties if p.role == "Reporter"]
    assert reporter == [people["manager"].id]


def test_an_hr_reporter_never_sees_or_acts_on_the_case_through_the_hr_role(ctx, db, people):
    from workflows.engine import access, queries

    hr_reporter = make_hr(db, "Rita Reporter")
    case = open_breach(
        ctx,
        people["hr"],
        BreachReport(
            subject=people["employee"],
            source="manager_report",
            clauses=["SMP-5.6"],
            description="Reported by a colleague in HR.",
            reported_by=hr_reporter,
        ),
    )
    assert not access.can_view_case(hr_reporter, case)
    assert case not in queries.list_cases(db, hr_reporter).cases
    assert access.can_view_case(people["hr"], case)

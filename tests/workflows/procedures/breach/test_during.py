"""The breach diagram's branches at any step (a suspension, personal data
found after triage), the ICO clock from when BCW Hub became aware, the
review period as a setting, and day-based due dates on working days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Letter
from tests.conftest import START
from tests.factories import make_takedown
from tests.workflows.helpers import complete, outbox, ready_task, ready_tasks
from tests.workflows.procedures.breach import test_paths as paths
from tests.workflows.procedures.breach.test_paths import investigate, refer, review, triage
from workflows.engine import clock, events
from workflows.engine.errors import InvalidInput
from workflows.engine.queries import case_data
from workflows.engine.timers import fire_due_timers
from workflows.procedures.breach import opening
from workflows.procedures.breach.opening import BreachReport, open_breach

people, case = paths.people, paths.case  # the same people and case fixtures


def suspend(ctx, case, people, reason="New allegations from two colleagues."):
    return events.record(ctx, case, people["hr"], "suspension_started", {"suspension_reason": reason})


def found(ctx, case, people):
    data = {"personal_data_found": "A colleague's home address in a screenshot on the thread."}
    return events.record(ctx, case, people["hr"], "personal_data_found", data)


def letters(db, case) -> list[str]:
    return list(db.scalars(select(Letter.kind).where(Letter.case_id == case.id).order_by(Letter.id)))


def test_a_suspension_started_during_the_investigation_is_noticed_reviewed_and_lifted(ctx, db, case, people):
    triage(ctx, case, people)  # no suspension at triage
    complete(ctx, case, "UserTask_Investigate", people["investigator"], account_days=7, invitation_message="")
    clock.advance(timedelta(days=2))
    suspend(ctx, case, people)
    notice = db.scalar(select(Letter).where(Letter.case_id == case.id))
    assert notice.kind == "suspension_notice" and "New allegations from two colleagues." in notice.body
    assert ("suspension_notice", people["employee"].email) in outbox(db, case)
    with pytest.raises(InvalidInput, match="suspended already"):
        suspend(ctx, case, people, "Again, while the first is in force.")
    review_at = START + timedelta(days=16)  # Wednesday 18 March, 14 days after it started
    assert ready_task(db, case, "UserTask_Account")  # the main line waits as it was
    clock.advance(timedelta(days=14, minutes=1))
    fire_due_timers(ctx)
    assert ready_task(db, case, "UserTask_ReviewSuspension").created_at == review_at + timedelta(minutes=1)
    review(ctx, case, people, "lift", "Colleagues' statements taken.")
    assert letters(db, case) == ["suspension_notice", "suspension_lifted"]
    suspend(ctx, case, people, "A further post about the witnesses.")  # once lifted, it may start again
    assert letters(db, case) == ["suspension_notice", "suspension_lifted", "suspension_notice"]


def test_a_suspension_started_after_triage_goes_on_into_the_referral(ctx, db, case, people):
    triage(ctx, case, people)
    suspend(ctx, case, people)
    investigate(ctx, db, case, people)
    refer(ctx, case, people)
    carried = case_data(db.scalar(select(type(case)).where(type(case).parent_id == case.id)))
    assert carried["suspension_live"] is True and carried["suspension_reason"] == "New allegations from two colleagues."
    assert case_data(case)["facts_found"]  # the page's data is the main line's, not the side branch's


def test_the_review_period_is_the_setting_the_case_started_with(ctx, db, people, monkeypatch):
    monkeypatch.setattr(opening, "SUSPENSION_REVIEW_DAYS", 7)
    report = BreachReport(people["employee"], "monitoring", ["SMP-5.6"], "Derogatory comments found in monitoring.")
    case = open_breach(ctx, people["hr"], report)
    triage(ctx, case, people, suspension_needed=True, suspension_reason="To protect the colleague named.")
    assert case.next_timer_at == START + timedelta(days=7)
    assert "every 7 days" in db.scalar(select(Letter.body).where(Letter.case_id == case.id))


def test_a_review_that_would_fall_on_a_sunday_falls_on_the_monday(ctx, db, case, people):
    clock.advance(timedelta(days=6))  # Sunday 8 March: 14 days on is a Sunday too
    triage(ctx, case, people, suspension_needed=True, suspension_reason="To protect the service user.")
    assert case.next_timer_at == datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # Monday


def test_personal_data_found_after_triage_starts_the_72_hours_then_and_the_outcome_waits(ctx, db, case, people):
    triage(ctx, case, people)  # none published, as far as triage knew
    clock.advance(timedelta(days=3))
    found(ctx, case, people)
    assessment = ready_task(db, case, "During_AssessDataBreach")
    assert assessment.pool_role == "hr" or assessment.assignee_id == people["hr"].id
    assert assessment.due_at == clock.now() + timedelta(hours=72)
    assert ("data_breach_found", people["hr"].email) in outbox(db, case)
    with pytest.raises(InvalidInput, match="already recorded"):
        found(ctx, case, people)
    investigate(ctx, db, case, people)
    with pytest.raises(InvalidInput, match="ICO decision comes before the outcome"):
        refer(ctx, case, people)
    complete(
        ctx, case, "During_AssessDataBreach", people["hr"], ico_decision="not_reportable",
        ico_reasons="One address, already public, no risk to rights.", ico_reference="",
    )  # fmt: skip
    refer(ctx, case, people)
    assert case.status == "referred"


def test_personal_data_found_and_left_72_hours_goes_to_the_hub_manager(ctx, db, case, people):
    triage(ctx, case, people)
    found(ctx, case, people)
    clock.advance(timedelta(hours=72, minutes=1))
    assert fire_due_timers(ctx) == 1
    assert [t.bpmn_id for t in ready_tasks(db, case)] == ["UserTask_Investigate", "During_HubManagerIco"]
    assert ("data_breach_overdue", people["hub"].email) in outbox(db, case)
    complete(
        ctx, case, "During_HubManagerIco", people["hub"], ico_decision="reported",
        ico_reasons="Reported late: the finding was not passed on.", ico_reference="ICO-123",
    )  # fmt: skip
    assert [t.bpmn_id for t in ready_tasks(db, case)] == ["UserTask_Investigate"]


def test_personal_data_already_published_at_triage_is_not_recorded_twice(ctx, db, case, people):
    triage(ctx, case, people, personal_data_published=True)
    with pytest.raises(InvalidInput, match="already recorded"):
        found(ctx, case, people)


def test_an_investigation_from_a_takedown_citing_smp_5_5_runs_the_72_hours_from_the_takedown(ctx, db, people):
    takedown = make_takedown(ctx, people["manager"], people["employee"], clauses=["SMP-5.5"])
    clock.advance(timedelta(hours=24, minutes=1))
    fire_due_timers(ctx)  # no answer: escalated to HR
    clock.advance(timedelta(hours=20))
    complete(
        ctx, takedown, "UserTask_DecideEscalation", people["hr"], escalation_decision="open_investigation",
        escalation_reasons="A service user's details were in the post.",
    )  # fmt: skip
    case = db.scalar(select(type(takedown)).where(type(takedown).parent_id == takedown.id))
    triage(ctx, case, people, personal_data_published=True)
    assert ready_task(db, case, "UserTask_AssessDataBreach").due_at == START + timedelta(hours=72)
    clock.advance(timedelta(hours=28))  # 72 hours after the takedown opened, not after this case did
    assert fire_due_timers(ctx) == 1
    assert ready_task(db, case, "UserTask_HubManagerIco")


def test_an_investigation_from_a_takedown_without_smp_5_5_runs_them_from_its_own_opening(ctx, db, people):
    takedown = make_takedown(ctx, people["manager"], people["employee"])
    clock.advance(timedelta(hours=24, minutes=1))
    fire_due_timers(ctx)
    complete(
        ctx, takedown, "UserTask_DecideEscalation", people["hr"], escalation_decision="open_investigation",
        escalation_reasons="Repeated and abusive.",
    )  # fmt: skip
    case = db.scalar(select(type(takedown)).where(type(takedown).parent_id == takedown.id))
    triage(ctx, case, people, personal_data_published=True)
    assert ready_task(db, case, "UserTask_AssessDataBreach").due_at == clock.now() + timedelta(hours=72)


def test_day_based_due_dates_fall_on_working_days(ctx, db, people):
    clock.advance(timedelta(days=4))  # Friday 6 March
    report = BreachReport(people["employee"], "monitoring", ["SMP-5.6"], "Derogatory comments found in monitoring.")
    case = open_breach(ctx, people["hr"], report)
    assert ready_task(db, case, "UserTask_Triage").due_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # Tuesday
    triage(ctx, case, people)
    complete(ctx, case, "UserTask_Investigate", people["investigator"], account_days=2, invitation_message="")
    assert ready_task(db, case, "UserTask_Account").due_at == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # not Sunday

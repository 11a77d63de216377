"""Every branch and timer of bpmn/inaccurate_information_report.bpmn, with a
moved clock: the line manager's (or HR's) four decisions, the Hub Manager's,
the reminders, and the hand-over when nobody decides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Case, OutboxMessage, Role
from tests.factories import make_hr, make_inaccuracy_report, make_manager, make_user
from tests.workflows.helpers import actions, complete, outbox, ready_task, ready_tasks
from workflows.engine import clock, people
from workflows.engine.timers import fire_due_timers

SMP_5_12 = "Should employees notice any inaccurate information about BCW Hub online, they should report this"
THURSDAY = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)  # START (a Monday) + 3 working days
TEN_DAYS_ON = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)  # + 10 working days: two weekends skipped


@pytest.fixture
def staff(db):
    hub = make_user(db, "Grace Hub", roles=(Role.HUB_MANAGER,))
    manager = make_manager(db, "Mark Manager")
    return {
        "hub": hub,
        "manager": manager,
        "reporter": make_user(db, "Sam Reporter", line_manager=manager),
        "colleague": make_user(db, "Tom Colleague", line_manager=manager),
        "hr": make_hr(db, "Hana HR"),
    }


@pytest.fixture
def case(ctx, staff):
    return make_inaccuracy_report(ctx, staff["reporter"])


def body(db, case, template: str, to: str) -> str:
    return db.scalar(
        select(OutboxMessage.body).where(
            OutboxMessage.case_id == case.id, OutboxMessage.template == template, OutboxMessage.to_email == to
        )
    )


def decide(ctx, case, user, decision: str, reasons: str = "Our own listing needs the new hours."):
    complete(ctx, case, "UserTask_Decide", user, decision=decision, reasons=reasons)


def test_a_report_goes_to_the_line_manager_with_both_timers_set(db, case, staff):
    task = ready_task(db, case, "UserTask_Decide")
    assert task.assignee_id == staff["manager"].id and task.lane == "Line manager"
    assert task.due_at == TEN_DAYS_ON  # the hand-over to the Hub Manager
    assert case.next_timer_at == THURSDAY  # the reminder comes first
    assert case.reference.startswith("IR-2026-") and case.status == "open"
    assert case.subject_id == staff["reporter"].id and case.clauses == []  # a report alleges nothing
    assert {p.role: p.user_id for p in case.parties} == {
        "Person reporting": staff["reporter"].id,
        "Line manager": staff["manager"].id,
    }
    assert outbox(db, case) == [("inaccurate_report_received", staff["manager"].email)]
    notice = body(db, case, "inaccurate_report_received", staff["manager"].email)
    assert SMP_5_12 in notice and "The listing says the Hub is closed on Tuesdays." in notice
    assert "Monday 16 March 2026 at 09:00" in notice


@pytest.mark.parametrize(
    "decision, told",
    [
        ("correct", "BCW Hub will correct it through its own channels"),
        ("ask_platform", "BCW Hub will ask the platform or the author to correct it"),
        ("no_action", "no action will be taken"),
    ],
)
def test_each_decision_closes_the_case_and_the_reporter_is_told(ctx, db, case, staff, decision, told):
    decide(ctx, case, staff["manager"], decision, "Because the opening hours changed in May.")
    assert case.status == "closed" and case.closed_at is not None
    assert case.next_timer_at is None and ready_tasks(db, case) == []  # deciding cancels both timers
    assert outbox(db, case)[-1] == ("inaccurate_outcome", staff["reporter"].email)
    notice = body(db, case, "inaccurate_outcome", staff["reporter"].email)
    assert f"The decision: {told}." in notice
    assert "Reasons: Because the opening hours changed in May." in notice and SMP_5_12 in notice
    assert actions(db, case)[-1] == "case_closed"


def test_passed_to_the_hub_manager_who_decides(ctx, db, case, staff):
    clock.advance(timedelta(days=1))
    decide(ctx, case, staff["manager"], "pass_to_hub_manager", "The press office should answer the newspaper.")
    assert case.status == "with_hub_manager"
    changed = db.scalar(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "case_status_changed")
    )
    assert changed.data["to"] == "with_hub_manager" and changed.data["passed_because"] == "line_manager"
    hub_step = ready_task(db, case, "UserTask_HubDecide")
    assert hub_step.assignee_id is None and hub_step.pool_role == Role.HUB_MANAGER
    assert hub_step.due_at == datetime(2026, 3, 6, 9, 0, tzinfo=UTC)  # 3 working days from Tuesday
    assert {("inaccurate_passed", staff["hub"].email), ("inaccurate_passed", staff["reporter"].email)} <= set(
        outbox(db, case)
    )
    assert "The press office should answer" in body(db, case, "inaccurate_passed", staff["hub"].email)
    complete(
        ctx, case, "UserTask_HubDecide", staff["hub"], hub_decision="ask_platform", hub_reasons="I will ask the editor."
    )
    assert case.status == "closed" and case.closed_at is not None
    assert {p.role for p in case.parties if p.user_id == staff["hub"].id} == {"Hub Manager"}
    told = [to for template, to in outbox(db, case) if template == "inaccurate_outcome"]
    assert sorted(told) == sorted([staff["reporter"].email, staff["manager"].email])
    notice = body(db, case, "inaccurate_outcome", staff["reporter"].email)
    assert "The decision (by the Hub Manager): BCW Hub will ask the platform or the author" in notice
    assert "Reasons: I will ask the editor." in notice


def test_a_reminder_after_three_working_days_leaves_the_step_open(ctx, db, case, staff):
    clock.freeze(THURSDAY - timedelta(minutes=1))
    assert fire_due_timers(ctx) == 0
    clock.freeze(THURSDAY + timedelta(minutes=1))
    assert fire_due_timers(ctx) == 1
    assert outbox(db, case)[-1] == ("inaccurate_reminder", staff["manager"].email)
    assert ready_task(db, case, "UserTask_Decide")  # non-interrupting: still the manager's to decide
    assert case.next_timer_at == TEN_DAYS_ON
    decide(ctx, case, staff["manager"], "correct")
    assert case.status == "closed"


def test_not_decided_in_ten_working_days_goes_to_the_hub_manager(ctx, db, case, staff):
    clock.freeze(TEN_DAYS_ON + timedelta(minutes=1))
    assert fire_due_timers(ctx) == 1  # the reminder and the hand-over fall due together: one firing
    assert case.status == "with_hub_manager"
    assert [t.bpmn_id for t in ready_tasks(db, case)] == ["UserTask_HubDecide"]
    sent = outbox(db, case)
    assert sent.index(("inaccurate_reminder", staff["manager"].email)) < sent.index(
        ("inaccurate_not_decided", staff["manager"].email)
    )
    assert ("inaccurate_passed", staff["hub"].email) in sent and ("inaccurate_passed", staff["reporter"].email) in sent
    assert "not decided within the working days allowed" in body(db, case, "inaccurate_passed", staff["hub"].email)
    assert actions(db, case).count("timer_fired") == 2
    hub_step = ready_task(db, case, "UserTask_HubDecide")
    assert hub_step.due_at == datetime(2026, 3, 19, 9, 1, tzinfo=UTC)
    assert case.next_timer_at == hub_step.due_at


def test_the_hub_manager_is_reminded_when_their_date_passes(ctx, db, case, staff):
    decide(ctx, case, staff["manager"], "pass_to_hub_manager", "Needs the Hub Manager's voice.")
    clock.freeze(datetime(2026, 3, 5, 9, 1, tzinfo=UTC))
    assert fire_due_timers(ctx) == 1
    assert outbox(db, case)[-1] == ("inaccurate_hub_reminder", staff["hub"].email)
    assert ready_task(db, case, "UserTask_HubDecide")
    assert case.next_timer_at is None
    complete(ctx, case, "UserTask_HubDecide", staff["hub"], hub_decision="no_action", hub_reasons="Already fixed.")
    assert case.status == "closed"


def test_working_days_skip_bank_holidays(ctx, db, staff):
    clock.freeze(datetime(2026, 4, 2, 9, 0, tzinfo=UTC))  # Thursday before Good Friday; 10:00 BST
    case = make_inaccuracy_report(ctx, staff["reporter"])
    # Good Friday and Easter Monday are not working days: Tue 7, Wed 8, Thu 9 April.
    assert case.next_timer_at == datetime(2026, 4, 9, 9, 0, tzinfo=UTC)


def test_with_no_line_manager_the_report_goes_to_hr_and_never_to_the_reporter(ctx, db, staff):
    other_hr = make_hr(db, "Harriet HR")
    reporter = make_hr(db, "Helen Reporting")  # HR herself, with no line manager on record
    case = make_inaccuracy_report(ctx, reporter)
    task = ready_task(db, case, "UserTask_Decide")
    assert task.assignee_id is None and task.pool_role == Role.HR
    told = {to for _template, to in outbox(db, case)}
    assert reporter.email not in told and {staff["hr"].email, other_hr.email} <= told
    assert "has no line manager on record, so the report has come to HR" in body(
        db, case, "inaccurate_report_received", other_hr.email
    )
    decide(ctx, case, other_hr, "correct")
    assert {p.role for p in case.parties if p.user_id == other_hr.id} == {"Line manager"}
    assert outbox(db, case)[-1] == ("inaccurate_outcome", reporter.email)


def test_an_inactive_line_manager_is_passed_over_for_hr(ctx, db, staff):
    people.deactivate(db, staff["manager"])
    case = make_inaccuracy_report(ctx, staff["colleague"])
    assert ready_task(db, case, "UserTask_Decide").pool_role == Role.HR
    assert "Line manager" not in {p.role for p in case.parties}


def test_a_hub_manager_reporting_is_not_their_own_decider(ctx, db, staff):
    """The only Hub Manager reported it: once passed on, the step goes to HR
    rather than to the person reporting."""
    hub = staff["hub"]
    case = make_inaccuracy_report(ctx, hub)  # no line manager: HR decides first
    decide(ctx, case, staff["hr"], "pass_to_hub_manager", "Needs a senior voice on this.")
    assert ready_task(db, case, "UserTask_HubDecide").pool_role == Role.HR
    assert ("inaccurate_passed", hub.email) in outbox(db, case)  # told as the person reporting, not as decider
    assert "passed to you as Hub Manager" not in body(db, case, "inaccurate_passed", hub.email)


def test_the_decision_needs_a_choice_and_reasons(ctx, db, case, staff):
    from workflows.engine.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        complete(ctx, case, "UserTask_Decide", staff["manager"], decision="", reasons="")
    assert refused.value.errors["decision"] == ["Choose what to do about the report."]
    assert "the person reporting is told" in refused.value.errors["reasons"][0]
    with pytest.raises(InvalidInput) as refused:
        complete(ctx, case, "UserTask_Decide", staff["manager"], decision="discipline", reasons="Short")
    assert set(refused.value.errors) == {"decision", "reasons"}
    assert db.scalar(select(Case.status).where(Case.id == case.id)) == "open"


@pytest.mark.parametrize(
    "overrides, fields",
    [
        ({"url": ""}, {"url", "screenshot"}),  # no link and no screenshot: nothing shows what was seen
        ({"url": "javascript:alert(1)"}, {"url"}),
        ({"inaccuracy": " "}, {"inaccuracy"}),
        ({"platform": "Myspace"}, {"platform"}),
    ],
)
def test_the_operation_refuses_a_report_that_shows_nothing(ctx, db, staff, overrides, fields):
    from workflows.engine.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        make_inaccuracy_report(ctx, staff["reporter"], **overrides)
    assert set(refused.value.errors) == fields
    assert db.scalar(select(Case.id)) is None

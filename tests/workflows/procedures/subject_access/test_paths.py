"""Every branch and timer of bpmn/subject_access_request.bpmn, with a moved
clock: release, the extension (once, with a reason, before the deadline),
the reminder a week before the deadline and the deadline passing; and a
request from someone not in the system, answered "nothing held"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Evidence, OutboxMessage
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import actions, complete, outbox, ready_task, ready_tasks
from workflows.engine import clock, queries
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import evidence_path
from workflows.engine.timers import fire_due_timers
from workflows.procedures.subject_access.opening import add_months

from . import extending, make_request, releasing

DUE_BY = datetime(2026, 4, 2, 22, 59, 59, tzinfo=UTC)  # the end of 2 April, UK summer time
REMINDER = datetime(2026, 3, 26, 9, 0, tzinfo=UTC)  # a week before, 09:00 UK time
EXTENDED_DUE_BY = datetime(2026, 6, 2, 22, 59, 59, tzinfo=UTC)
EXTENDED_REMINDER = datetime(2026, 5, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def staff(db):
    return {"hr": make_hr(db, "Hana HR"), "other_hr": make_hr(db, "Harriet HR"), "ellie": make_user(db, "Ellie Jones")}


@pytest.fixture
def case(ctx, staff):
    return make_request(ctx, staff["hr"], staff["ellie"])


def review(ctx, case, user, **data):
    complete(ctx, case, "UserTask_Review", user, **data)


def hr_notices(db, case, template: str) -> list[str]:
    return [to for t, to in outbox(db, case) if t == template]


def test_a_request_waits_for_hr_with_its_deadline_and_reminder(db, case, staff):
    task = ready_task(db, case, "UserTask_Review")
    assert task.pool_role == "hr" and task.assignee_id is None and task.due_at == DUE_BY
    assert case.next_timer_at == REMINDER
    assert case.reference.startswith("SA-2026-") and case.status == "open"
    assert case.subject_id == staff["ellie"].id and case.parties == []  # she is no party: she sees nothing of it
    data = queries.case_data(case)
    assert data["due_on"] == "2026-04-02" and data["route"] == "email" and data["extended"] is False


def test_release_closes_the_case_with_the_zip_kept_and_audited(ctx, db, case, staff):
    review(ctx, case, staff["hr"], **releasing())
    assert case.status == "released" and case.closed_at is not None and ready_tasks(db, case) == []
    release = db.scalar(select(Evidence).where(Evidence.case_id == case.id))
    assert release.content_type == "application/zip" and not release.shared_with_subject
    assert evidence_path(ctx.settings, release.sha256).stat().st_size == release.size
    assert "subject_data_released" in actions(db, case)
    event = db.scalar(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "subject_data_released")
    )
    assert event.data["sha256"] == release.sha256 and event.actor_id == staff["hr"].id


def test_the_reminder_comes_a_week_before_and_the_step_stays(ctx, db, case, staff):
    clock.freeze(REMINDER + timedelta(minutes=1))
    fire_due_timers(ctx)
    assert sorted(hr_notices(db, case, "sar_reminder")) == sorted([staff["hr"].email, staff["other_hr"].email])
    assert ready_task(db, case, "UserTask_Review").due_at == DUE_BY
    assert case.next_timer_at == DUE_BY and case.status == "open"
    body = db.scalar(select(OutboxMessage.body).where(OutboxMessage.template == "sar_reminder"))
    assert "Ellie Jones" in body and "Thursday 2 April 2026" in body


def test_the_deadline_passing_marks_it_overdue_and_tells_hr(ctx, db, case, staff):
    clock.freeze(DUE_BY + timedelta(minutes=1))
    fire_due_timers(ctx)
    assert case.status == "overdue"
    assert hr_notices(db, case, "sar_reminder") and hr_notices(db, case, "sar_overdue")
    ready_task(db, case, "UserTask_Review")  # still to be released: late is not never
    review(ctx, case, staff["hr"], **releasing())
    assert case.status == "released"


def test_an_extension_moves_both_timers_two_months_and_records_the_reason(ctx, db, case, staff):
    review(ctx, case, staff["hr"], **extending())
    assert case.status == "extended"
    task = ready_task(db, case, "UserTask_Review")
    assert task.due_at == EXTENDED_DUE_BY and case.next_timer_at == EXTENDED_REMINDER
    data = queries.case_data(case)
    assert data["due_on"] == "2026-06-02" and data["first_due_on"] == "2026-04-02" and data["extended"] is True
    assert hr_notices(db, case, "sar_extended")
    clock.freeze(DUE_BY + timedelta(days=1))  # the first deadline no longer counts
    fire_due_timers(ctx)
    assert case.status == "extended" and not hr_notices(db, case, "sar_reminder")
    clock.freeze(EXTENDED_REMINDER + timedelta(minutes=1))
    fire_due_timers(ctx)
    assert hr_notices(db, case, "sar_reminder")
    clock.freeze(EXTENDED_DUE_BY + timedelta(minutes=1))
    fire_due_timers(ctx)
    assert case.status == "overdue"


def test_an_extension_without_a_reason_is_refused(ctx, db, case, staff):
    with pytest.raises(InvalidInput) as refused:
        review(ctx, case, staff["hr"], **extending(reason=""))
    assert "Say why the request needs longer" in refused.value.errors["extension_reason"][0]


def test_a_second_extension_is_refused_naming_the_deadline(ctx, db, case, staff):
    review(ctx, case, staff["hr"], **extending())
    with pytest.raises(InvalidInput) as refused:
        review(ctx, case, staff["hr"], **extending())
    assert "extended once already, to Tuesday 2 June 2026" in refused.value.errors["decision"][0]


def test_no_extension_after_the_deadline(ctx, db, case, staff):
    clock.freeze(DUE_BY + timedelta(minutes=1))
    fire_due_timers(ctx)
    with pytest.raises(InvalidInput) as refused:
        review(ctx, case, staff["hr"], **extending())
    assert "The deadline passed on Thursday 2 April 2026" in refused.value.errors["decision"][0]


def test_an_exemption_needs_its_reasons(ctx, db, case, staff):
    with pytest.raises(InvalidInput) as refused:
        review(ctx, case, staff["hr"], **releasing(exemptions=["legal_privilege"]))
    assert "exemption_reasons" in refused.value.errors


def test_someone_not_in_the_system_is_answered_nothing_held_on_the_trail(ctx, db, staff):
    case = make_request(ctx, staff["hr"], None, name="Pat Public", email="pat@example.org", route="letter")
    assert case is None
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "subject_access_answered"))
    assert event.case_id is None and event.actor_id == staff["hr"].id
    assert event.data["answer"] == "nothing_held" and event.data["email"] == "pat@example.org"
    assert "Nothing is held about Pat Public" in event.data["said"]


def test_an_email_of_someone_in_the_system_finds_them(ctx, db, staff):
    case = make_request(ctx, staff["hr"], None, name="E. Jones", email=staff["ellie"].email.upper())
    assert case is not None and case.subject_id == staff["ellie"].id


@pytest.mark.parametrize("received_on", [date(2026, 3, 3), date(2025, 3, 1)])
def test_a_received_date_outside_the_range_is_refused_with_the_range(ctx, staff, received_on):
    with pytest.raises(InvalidInput) as refused:
        make_request(ctx, staff["hr"], staff["ellie"], received_on=received_on)
    assert refused.value.errors["received_on"] == [
        "The date received must be between Sunday 2 March 2025 and Monday 2 March 2026 (today)."
    ]


def test_a_month_ends_on_the_same_day_or_the_month_s_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 2), 1) == date(2026, 4, 2)
    assert add_months(date(2026, 11, 30), 2) == date(2027, 1, 30)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)


def test_only_hr_may_record_one(ctx, db, staff):
    from workflows.engine.errors import Forbidden

    with pytest.raises(Forbidden):
        make_request(ctx, make_manager(db, "Mark Manager"), staff["ellie"])

"""Step data is checked by the operation that completes the step (one check
for the web form and any API): unknown fields, missing answers and answers
needed only for some choices are refused with the field named."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent
from tests.factories import make_breach, make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import complete, ready_task
from workflows.engine.errors import InvalidInput
from workflows.engine.queries import case_data


@pytest.fixture
def takedown(ctx, db):
    return make_takedown(ctx, make_manager(db), make_user(db, "Ellie Jones"))


def refusal(ctx, case, bpmn_id, user, **data) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as raised:
        complete(ctx, case, bpmn_id, user, **data)
    return raised.value.errors


def test_an_unknown_field_is_refused_not_ignored(ctx, takedown):
    subject = takedown.subject
    errors = refusal(ctx, takedown, "UserTask_Respond", subject, response="removed", respons="x")
    assert errors == {"respons": ["Unknown field."]}


def test_every_missing_answer_is_named_at_once(ctx, takedown):
    errors = refusal(ctx, takedown, "UserTask_Respond", takedown.subject, response="dispute")
    assert errors == {"dispute_grounds": ["Tell us your reasons."]}
    errors = refusal(ctx, takedown, "UserTask_Respond", takedown.subject, response="gone")
    assert errors == {"response": ["Choose your response."]}


def test_a_refused_step_is_refused_before_the_engine_runs(ctx, db, takedown):
    state = takedown.state
    refusal(ctx, takedown, "UserTask_Respond", takedown.subject, response="gone")
    assert takedown.state is state and not db.dirty
    assert ready_task(db, takedown, "UserTask_Respond")
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "task_completed")) is None


def test_text_is_trimmed_and_words_become_answers(ctx, db):
    hr, investigator = make_hr(db), make_manager(db, "Ivan Investigator")
    case = make_breach(ctx, hr, make_user(db))
    complete(
        ctx,
        case,
        "UserTask_Triage",
        hr,
        severity="low",
        personal_data_published="no",
        suspension_needed="no",
        suspension_reason="   ",
        investigator_id=str(investigator.id),
        manager_conflict_reason="",
    )
    data = case_data(case)
    assert data["personal_data_published"] is False and data["suspension_needed"] is False
    assert data["investigator_id"] == investigator.id and data["suspension_reason"] == ""


def test_what_a_check_derives_reaches_the_workflow_and_the_trail_not_the_caller(ctx, db):
    hr, investigator = make_hr(db), make_manager(db, "Ivan Investigator")
    case = make_breach(ctx, hr, make_user(db))
    submitted = {
        "severity": "low",
        "personal_data_published": False,
        "suspension_needed": False,
        "investigator_id": investigator.id,
    }
    complete(ctx, case, "UserTask_Triage", hr, **submitted)
    assert "investigator_name" not in submitted  # the caller's dict is left alone
    assert case_data(case)["investigator_name"] == "Ivan Investigator"
    event = db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "task_completed"))
    assert event.data["data"]["investigator_name"] == "Ivan Investigator"
    assert {p.role for p in case.parties if p.user_id == investigator.id} == {"Investigator"}


def test_a_number_that_is_not_one_gets_one_plain_message():
    from workflows.engine import stepdata

    class Days(stepdata.StepData):
        days = stepdata.number(1, 30)

    with pytest.raises(InvalidInput) as raised:
        stepdata.load(Days, {"days": "abc"})
    assert raised.value.errors == {"days": ["Enter a whole number, such as 7."]}


def test_text_over_its_limit_is_refused_saying_by_how_much_never_cut(ctx, takedown):
    from workflows.engine import stepdata
    from workflows.procedures.takedown.steps import TakedownResponse

    errors = refusal(
        ctx, takedown, "UserTask_Respond", takedown.subject, response="dispute", dispute_grounds="x" * 5000
    )
    assert errors == {
        "dispute_grounds": ["At most 4,000 characters: this has 5,000. Please shorten it (nothing was cut)."]
    }
    assert stepdata.limits(TakedownResponse) == {"confirmation": 2000, "dispute_grounds": 4000}
    complete(ctx, takedown, "UserTask_Respond", takedown.subject, response="dispute", dispute_grounds="x" * 4000)
    assert len(case_data(takedown)["dispute_grounds"]) == 4000

"""Every branch and timer of bpmn/trustee_referral.bpmn, from a breach
investigation's referral of a trustee: the Chair records each of the board's
four decisions, with its letter in those words, and is reminded (with HR)
when the decision is not recorded by its date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Letter, Role
from tests.workflows.helpers import complete, outbox, ready_task, ready_tasks
from tests.workflows.procedures.breach.drive import investigated, refer, staff
from workflows.engine import clock
from workflows.engine.errors import InvalidInput
from workflows.engine.timers import fire_due_timers


@pytest.fixture
def people(db):
    return staff(db)


@pytest.fixture
def case(ctx, people):
    return refer(ctx, investigated(ctx, people, people["trustee"]), people)


def letters(db, case) -> dict[str, str]:
    rows = db.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id))
    return {row.kind: row.body for row in rows}


def decide(ctx, case, people, decision, provision="", met_on=None, user=None):
    complete(
        ctx,
        case,
        "UserTask_BoardDecision",
        user or people["chair"],
        board_met_on=(met_on or clock.now().date()).isoformat(),
        board_decision=decision,
        decision_reasons="The board considered the findings and the trustee's account.",
        governing_document_provision=provision,
    )


def test_the_referral_goes_to_the_chair_and_the_trustee_is_told_in_writing(db, case, people):
    task = ready_task(db, case, "UserTask_BoardDecision")
    assert task.pool_role == Role.CHAIR and task.lane == "Chair"
    assert case.reference.startswith("TR-") and case.subject_id == people["trustee"].id
    assert ("trustee_referral_received", people["chair"].email) in outbox(db, case)
    assert ("trustee_referral", people["trustee"].email) in outbox(db, case)
    assert "referred to the Chair of the board" in letters(db, case)["trustee_referral"]
    assert "governing document" in letters(db, case)["trustee_referral"]


@pytest.mark.parametrize(
    "decision, provision, words",
    [
        ("no_action", "", "No further action will be taken."),
        ("informal_resolution", "", "resolve the matter informally"),
        ("step_down", "", "The board asks you to step down as a trustee."),
        ("removal", "Article 22.3", "remove you as a trustee under the governing document's procedure (Article 22.3)"),
    ],
)
def test_each_board_decision_is_written_in_its_own_words(ctx, db, case, people, decision, provision, words):
    decide(ctx, case, people, decision, provision)
    assert case.status == "closed" and ready_tasks(db, case) == []
    letter = letters(db, case)["trustee_decision"]
    assert words in letter and "Ruth Adeyemi" in letter and "Chair of the board" in letter
    assert ("trustee_decision", people["trustee"].email) in outbox(db, case)
    assert ("trustee_decision", people["hr"].email) in outbox(db, case)


def test_a_removal_names_the_governing_documents_provision(ctx, db, case, people):
    with pytest.raises(InvalidInput) as refused:
        decide(ctx, case, people, "removal", "")
    assert "governing_document_provision" in refused.value.errors


def test_the_board_decides_on_a_day_the_case_could_have(ctx, db, case, people):
    for day in (clock.now().date() - timedelta(days=1), clock.now().date() + timedelta(days=1)):
        with pytest.raises(InvalidInput, match="when the case was referred, to today"):
            decide(ctx, case, people, "no_action", met_on=day)


def test_an_undecided_referral_reminds_the_chair_and_hr(ctx, db, case, people):
    due = ready_task(db, case, "UserTask_BoardDecision").due_at
    # 20 working days on, at the same UK time: 09:00 BST, as the clocks go forward on 29 March.
    assert due == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    clock.freeze(due + timedelta(minutes=1))
    assert fire_due_timers(ctx) == 1
    sent = outbox(db, case)
    assert ("trustee_decision_reminder", people["chair"].email) in sent
    assert ("trustee_decision_reminder", people["hr"].email) in sent
    decide(ctx, case, people, "no_action")  # still the Chair's to record
    assert case.status == "closed"

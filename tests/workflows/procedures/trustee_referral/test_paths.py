"""Every branch and timer of bpmn/trustee_referral.bpmn, from a breach
investigation's referral of a trustee: the Chair records each of the board's
four decisions, with its letter in those words, and is reminded (with HR)
when the decision is not recorded by its date. When the only Chair is the
trustee concerned, another trustee not involved acts as Chair; with none, HR
is told why nobody can take the step and who could."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Case, Letter, OutboxMessage, PersonType, Role
from tests.factories import make_user
from tests.workflows.helpers import complete, outbox, ready_task, ready_tasks
from tests.workflows.procedures.breach.drive import investigated, refer, staff
from workflows.engine import clock
from workflows.engine.errors import Forbidden, InvalidInput
from workflows.engine.queries import my_tasks
from workflows.engine.tasks import open_task
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


# --- The Chair kept out: the trustee concerned is the only Chair ---------------


def refer_the_chair(ctx, people, reporter=None) -> Case:
    """An investigation of Ruth, the only Chair, referred to the Chair."""
    involved = {**people, "manager": reporter or people["manager"]}
    return refer(ctx, investigated(ctx, involved, people["chair"]), involved)


def test_another_trustee_not_involved_acts_as_chair_when_the_chair_is_the_trustee_concerned(ctx, db, people):
    case = refer_the_chair(ctx, people, reporter=people["trustee"])  # Tariq reported it: involved too
    task = ready_task(db, case, "UserTask_BoardDecision")
    assert task.lane == "Chair" and task.pool_role == PersonType.TRUSTEE
    rerouted = db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "step_rerouted"))
    assert rerouted.data["to"] == PersonType.TRUSTEE and "stands in" in rerouted.data["reason"]
    told = {to for template, to in outbox(db, case) if template == "trustee_referral_received"}
    assert told == {people["other_trustee"].email}  # never Ruth herself, nor Tariq
    assert "whoever of you takes the step acts as Chair" in notice(db, case, people["other_trustee"], "received")
    for involved in ("chair", "trustee"):
        assert task.id not in {t.id for t in my_tasks(db, people[involved])}
        with pytest.raises(Forbidden):
            open_task(db, people[involved], task.id)
    assert task.id in {t.id for t in my_tasks(db, people["other_trustee"])}
    decide(ctx, case, people, "no_action", user=people["other_trustee"])
    assert case.status == "closed"
    assert ("Chair", people["other_trustee"].id) in {(p.role, p.user_id) for p in case.parties}
    letter = letters(db, case)["trustee_decision"]
    assert "Olu Bello\nActing Chair of the board for this case, BCW Hub" in letter


def test_with_no_trustee_free_of_the_case_hr_is_told_why_nobody_can_take_the_step(ctx, db, people):
    people["other_trustee"].active = False  # Olu has left the board; Tariq reported the concern
    case = refer_the_chair(ctx, people, reporter=people["trustee"])
    task = ready_task(db, case, "UserTask_BoardDecision")
    assert task.pool_role == Role.CHAIR  # it waits for whoever is given the chair role
    blocked = db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "step_blocked"))
    reason = blocked.data["reason"]
    assert "everyone holding the chair role is kept out of this case (Ruth Adeyemi, who it is about)" in reason
    assert "Add a trustee who is not, with the chair role" in reason
    assert reason in notice(db, case, people["hr"], "nobody_can_take")
    for person in ("chair", "trustee", "other_trustee", "hr"):
        assert task.id not in {t.id for t in my_tasks(db, people[person])}
    # The remedy the message names: a new trustee, not involved, given the chair role.
    acting = make_user(db, "Ada Acting", roles=(Role.CHAIR,), person_type=PersonType.TRUSTEE)
    assert task.id in {t.id for t in my_tasks(db, acting)}
    decide(ctx, case, people, "informal_resolution", user=acting)
    assert case.status == "closed"


def notice(db, case, person, template) -> str:
    return db.scalar(
        select(OutboxMessage.body).where(
            OutboxMessage.case_id == case.id,
            OutboxMessage.to_email == person.email,
            OutboxMessage.template.endswith(template),
        )
    )

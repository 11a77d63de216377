"""Every branch and timer of bpmn/volunteer_problem_solving.bpmn, from a
breach investigation's referral of a volunteer: the coordinator's
conversation and its three outcomes, the review asked for (confirmed or
changed), not wanted, or not asked for in time, and the reminder to record
the conversation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import Letter, PersonType
from tests.conftest import START
from tests.factories import make_user
from tests.workflows.helpers import complete, outbox, ready_task, ready_tasks
from tests.workflows.procedures.breach.drive import investigated, refer, staff
from workflows.engine import clock
from workflows.engine.errors import InvalidInput
from workflows.engine.timers import fire_due_timers

CONVERSATION_AT = START + timedelta(days=3, hours=5)  # Thursday 14:00 UK time


@pytest.fixture
def people(db):
    found = staff(db)
    found["volunteer"] = make_user(db, "Vic Patel", person_type=PersonType.VOLUNTEER, line_manager=found["coordinator"])
    return found


@pytest.fixture
def case(ctx, people):
    return refer(ctx, investigated(ctx, people, people["volunteer"]), people)


def letters(db, case) -> dict[str, str]:
    rows = db.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id))
    return {row.kind: row.body for row in rows}


def arranged(ctx, case, people):
    complete(ctx, case, "UserTask_ChooseCoordinator", people["hr"], coordinator_id=people["coordinator"].id)
    complete(
        ctx,
        case,
        "UserTask_Arrange",
        people["coordinator"],
        conversation_at=CONVERSATION_AT.isoformat(),
        place="The quiet room at the Hub",
        invitation_message="",
    )


def conversation(ctx, case, people, outcome="guidance_support", new_role=""):
    arranged(ctx, case, people)
    clock.freeze(CONVERSATION_AT + timedelta(hours=1))
    complete(
        ctx,
        case,
        "UserTask_Conversation",
        people["coordinator"],
        supporter="Jo, a friend",
        conversation_notes="We talked about the post and how it felt to the service user.",
        outcome=outcome,
        outcome_reasons="Vic understands why the post was hurtful.",
        new_role=new_role,
    )


def ask_for_review(ctx, case, people):
    complete(
        ctx,
        case,
        "UserTask_AskReview",
        people["volunteer"],
        review_choice="ask",
        review_grounds="I took the post down as soon as I was asked.",
    )


def test_the_referral_waits_for_hr_to_choose_the_coordinator(db, case, people):
    task = ready_task(db, case, "UserTask_ChooseCoordinator")
    assert task.assignee_id == people["hr"].id
    assert case.reference.startswith("VP-") and case.subject_id == people["volunteer"].id


def test_the_coordinator_arranges_it_and_the_volunteer_is_invited_with_a_friend_or_supporter(ctx, db, case, people):
    arranged(ctx, case, people)
    assert ("vps_coordinator_named", people["coordinator"].email) in outbox(db, case)
    assert ("vps_invitation", people["volunteer"].email) in outbox(db, case)
    invitation = letters(db, case)["vps_invitation"]
    assert "friend or supporter" in invitation and "Thursday 5 March 2026 at 14:00" in invitation
    assert ready_task(db, case, "UserTask_Conversation").assignee_id == people["coordinator"].id


@pytest.mark.parametrize(
    "outcome, new_role, words",
    [
        ("guidance_support", "", "Guidance and support"),
        ("change_of_role", "Helping at the Tuesday drop-in", "A change of role: Helping at the Tuesday drop-in"),
        ("end_arrangement", "", "Ending the volunteering arrangement"),
    ],
)
def test_each_outcome_is_written_in_its_own_words(ctx, db, case, people, outcome, new_role, words):
    conversation(ctx, case, people, outcome, new_role)
    letter = letters(db, case)["vps_outcome"]
    assert words.split(":")[0] in letter and (new_role in letter)
    assert "Jo, a friend" in letter and case.status == "outcome_given"
    assert ready_task(db, case, "UserTask_AskReview").assignee_id == people["volunteer"].id


def test_a_change_of_role_needs_the_new_role(ctx, db, case, people):
    with pytest.raises(InvalidInput) as refused:
        conversation(ctx, case, people, "change_of_role", "")
    assert "new_role" in refused.value.errors


def test_the_conversation_is_arranged_ahead_and_recorded_only_once_held(ctx, db, case, people):
    complete(ctx, case, "UserTask_ChooseCoordinator", people["hr"], coordinator_id=people["coordinator"].id)
    with pytest.raises(InvalidInput, match="still to come"):
        complete(
            ctx,
            case,
            "UserTask_Arrange",
            people["coordinator"],
            conversation_at=(START - timedelta(hours=1)).isoformat(),
            place="The Hub",
            invitation_message="",
        )
    complete(
        ctx,
        case,
        "UserTask_Arrange",
        people["coordinator"],
        conversation_at=CONVERSATION_AT.isoformat(),
        place="The Hub",
        invitation_message="",
    )
    with pytest.raises(InvalidInput, match="has not happened yet"):
        complete(
            ctx,
            case,
            "UserTask_Conversation",
            people["coordinator"],
            supporter="",
            conversation_notes="Written before it happened.",
            outcome="guidance_support",
            outcome_reasons="Too early to say this.",
            new_role="",
        )


def test_the_coordinator_is_never_the_volunteer_or_the_reporter(ctx, db, case, people):
    for wrong in (people["volunteer"], people["manager"]):  # the manager reported the concern
        with pytest.raises(InvalidInput, match="line manager or another manager"):
            complete(ctx, case, "UserTask_ChooseCoordinator", people["hr"], coordinator_id=wrong.id)


def test_an_unrecorded_conversation_reminds_the_coordinator(ctx, db, case, people):
    arranged(ctx, case, people)
    clock.freeze(CONVERSATION_AT + timedelta(days=2, hours=12))  # past the end of the second day after
    assert fire_due_timers(ctx) == 1
    assert ("vps_record_reminder", people["coordinator"].email) in outbox(db, case)
    assert ready_task(db, case, "UserTask_Conversation")  # still theirs to record


def test_a_review_not_wanted_closes_the_case(ctx, db, case, people):
    conversation(ctx, case, people)
    complete(ctx, case, "UserTask_AskReview", people["volunteer"], review_choice="no_review", review_grounds="")
    assert case.status == "closed" and ready_tasks(db, case) == []


def test_no_review_asked_for_in_time_closes_the_case(ctx, db, case, people):
    conversation(ctx, case, people)
    due = ready_task(db, case, "UserTask_AskReview").due_at
    assert due == clock.now() + timedelta(days=14)  # 10 working days: two weekends
    clock.freeze(due + timedelta(minutes=1))
    assert fire_due_timers(ctx) == 1
    assert case.status == "closed" and ready_tasks(db, case) == []


def test_a_review_by_the_hub_manager_confirms_the_outcome(ctx, db, case, people):
    conversation(ctx, case, people)
    ask_for_review(ctx, case, people)
    assert case.status == "under_review"
    assert ("vps_review_asked", people["hr"].email) in outbox(db, case)
    complete(ctx, case, "UserTask_ChooseReviewer", people["hr"], reviewer_id=people["hub"].id)
    assert ("vps_review_assigned", people["hub"].email) in outbox(db, case)
    complete(
        ctx,
        case,
        "UserTask_Review",
        people["hub"],
        review_decision="confirm",
        review_outcome="",
        review_reasons="The guidance offered is fair and kind.",
    )
    assert case.status == "closed"
    letter = letters(db, case)["vps_review_outcome"]
    assert "The outcome stands: Guidance and support." in letter and "Grace Okafor" in letter
    assert ("vps_review_outcome", people["volunteer"].email) in outbox(db, case)


def test_a_review_by_a_trustee_may_change_the_outcome(ctx, db, case, people):
    conversation(ctx, case, people, "end_arrangement")
    ask_for_review(ctx, case, people)
    complete(ctx, case, "UserTask_ChooseReviewer", people["hr"], reviewer_id=people["trustee"].id)
    with pytest.raises(InvalidInput) as refused:
        complete(
            ctx,
            case,
            "UserTask_Review",
            people["trustee"],
            review_decision="change",
            review_outcome="",
            review_reasons="Ending it was too much.",
        )
    assert "review_outcome" in refused.value.errors
    complete(
        ctx,
        case,
        "UserTask_Review",
        people["trustee"],
        review_decision="change",
        review_outcome="change_of_role",
        review_reasons="Ending it was too much.",
    )
    letter = letters(db, case)["vps_review_outcome"]
    assert "It was: Ending the volunteering arrangement. It is now: A change of role." in letter


def test_nobody_involved_may_review(ctx, db, case, people):
    conversation(ctx, case, people)
    ask_for_review(ctx, case, people)
    # The coordinator, HR on the case, the investigator and the reporter (of the investigation) are involved.
    for involved in ("coordinator", "hr", "investigator", "manager"):
        with pytest.raises(InvalidInput, match="involved in the case"):
            complete(ctx, case, "UserTask_ChooseReviewer", people["hr"], reviewer_id=people[involved].id)
    someone = make_user(ctx.db, "Una Uninvolved")  # an employee: neither the Hub Manager nor a trustee
    with pytest.raises(InvalidInput, match="the Hub Manager or a trustee"):
        complete(ctx, case, "UserTask_ChooseReviewer", people["hr"], reviewer_id=someone.id)

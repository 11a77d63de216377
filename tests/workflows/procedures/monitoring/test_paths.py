"""Every branch and the review timer of bpmn/monitoring_finding.bpmn, with a moved clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Case, Letter, Role
from tests.factories import make_hr, make_user
from tests.workflows.helpers import actions, complete, outbox, ready_task, ready_tasks
from workflows.engine import access, clock, queries, workdays
from workflows.engine.errors import InvalidInput
from workflows.engine.timers import fire_due_timers
from workflows.procedures.monitoring import restrictions

from . import keeping, lifting, make_finding, restriction

# The review falls due as its day (16 March 2026) begins, UK time.
REVIEW_DAY = workdays.end_of(date(2026, 3, 15))
NOT_TOLD = {"telling": "not_told", "withholding_reason": "An investigation into leaks is under way."}


@pytest.fixture
def people(db):
    return {"hr": make_hr(db, "Hana HR"), "person": make_user(db, "Ellie Employee")}


@pytest.fixture
def case(ctx, people):
    return make_finding(ctx, people["hr"], people["person"])


def letters(db, case) -> list[str]:
    return list(db.scalars(select(Letter.kind).where(Letter.case_id == case.id).order_by(Letter.id)))


def named(case, role: str) -> list[int]:
    return [p.user_id for p in case.parties if p.role == role]


def to_review(ctx, db, case, when=REVIEW_DAY):
    clock.advance(when - clock.now() + timedelta(minutes=1))
    assert fire_due_timers(ctx) == 1
    return ready_task(db, case, "UserTask_Review")


def test_recording_a_finding_waits_for_hr_and_names_nobody(db, case, people):
    decide = ready_task(db, case, "UserTask_Decide")
    assert decide.pool_role == Role.HR and decide.assignee_id is None
    assert case.reference.startswith("MF-2026-") and case.clauses == ["SMP-6.1", "SMP-6.3"]
    assert case.parties == [] and outbox(db, case) == []
    assert not access.can_view_case(people["person"], case)


def test_no_action_closes_the_case_and_tells_nobody(ctx, db, case, people):
    complete(ctx, case, "UserTask_Decide", people["hr"], decision="no_action", decision_reasons="Within breaks only.")
    assert case.status == "no_action" and case.closed_at is not None
    assert letters(db, case) == [] and named(case, "Subject") == []
    assert actions(db, case)[-1] == "case_closed"


def test_an_investigation_is_opened_linked_through_the_referral(ctx, db, case, people):
    complete(
        ctx,
        case,
        "UserTask_Decide",
        people["hr"],
        decision="investigate",
        decision_reasons="Posting in working hours, repeatedly.",
        breach_clauses=["SMP-3.1"],
    )
    assert case.status == "referred" and case.closed_at is not None
    [investigation] = db.scalars(select(Case).where(Case.kind == "breach_investigation")).all()
    assert investigation.parent_id == case.id and investigation.clauses == ["SMP-3.1"]
    assert investigation.subject_id == people["person"].id
    assert "TikTok in working hours" in queries.case_data(investigation)["description"]
    assert queries.case_data(investigation)["source"] == "monitoring"
    assert "case_linked" in actions(db, case)


def test_only_rules_may_be_investigated_and_one_must_be_chosen(ctx, db, case, people):
    base = {"decision": "investigate", "decision_reasons": "Posting in working hours."}
    with pytest.raises(InvalidInput) as refused:
        complete(ctx, case, "UserTask_Decide", people["hr"], **base, breach_clauses=["SMP-3.2"])
    assert "Not a valid choice." in refused.value.errors["breach_clauses"]
    with pytest.raises(InvalidInput) as refused:
        complete(ctx, case, "UserTask_Decide", people["hr"], **base)
    assert refused.value.errors == {"breach_clauses": ["Choose the rules the finding may have broken."]}
    assert ready_task(db, case, "UserTask_Decide")


def test_a_told_restriction_is_written_reviewed_kept_and_lifted(ctx, db, case, people):
    hr, person = people["hr"], people["person"]
    complete(ctx, case, "UserTask_Decide", hr, **restriction())
    assert case.status == "restricted" and case.next_timer_at == REVIEW_DAY
    assert letters(db, case) == ["restriction"] and named(case, "Subject") == [person.id]
    [letter] = db.scalars(select(Letter).where(Letter.case_id == case.id)).all()
    assert letter.addressed_to_id == person.id
    assert "[SMP-6.6] BCW Hub reserves the right to restrict, deny or remove internet access" in letter.body
    assert "Next review: 16 March 2026" in letter.body and "TikTok in working hours" in letter.body
    assert ready_tasks(db, case) == []  # nothing until the review date
    clock.advance(timedelta(days=13))
    assert fire_due_timers(ctx) == 0
    review = to_review(ctx, db, case)
    assert review.assignee_id == hr.id  # the HR officer who decided reviews it
    # Told in writing: the letter is on their case page, and an email says so.
    assert outbox(db, case) == [("restriction_letter", person.email), ("restriction_review_due", hr.email)]
    complete(ctx, case, "UserTask_Review", hr, **keeping())
    assert letters(db, case) == ["restriction", "restriction"]
    assert outbox(db, case)[-1] == ("restriction_letter", person.email)
    assert case.next_timer_at == datetime(2026, 3, 29, 22, 59, 59, tzinfo=UTC)  # British Summer Time by then
    assert [r.sites for r in restrictions.in_force(db)] == ["TikTok"]
    to_review(ctx, db, case, case.next_timer_at)
    complete(ctx, case, "UserTask_Review", hr, **lifting())
    assert letters(db, case)[-1] == "restriction_lifted"
    assert outbox(db, case)[-1] == ("restriction_lifted_letter", person.email)
    assert case.status == "lifted" and case.closed_at is not None
    assert restrictions.in_force(db) == []


def test_a_restriction_kept_from_the_person_names_them_nowhere_until_told(ctx, db, case, people):
    hr, person = people["hr"], people["person"]
    complete(ctx, case, "UserTask_Decide", hr, **restriction(**NOT_TOLD))
    assert case.status == "restricted" and letters(db, case) == [] and named(case, "Subject") == []
    assert not access.can_view_case(person, case) and outbox(db, case) == []  # no letter, no email
    [entry] = restrictions.in_force(db)
    assert not entry.told and entry.withholding_reason == NOT_TOLD["withholding_reason"]
    to_review(ctx, db, case)
    [notice] = queries.notices_to(db, case, hr)
    assert "review the reason recorded for not telling them" in notice.body
    complete(ctx, case, "UserTask_Review", hr, **keeping(**NOT_TOLD))
    assert letters(db, case) == [] and named(case, "Subject") == []
    to_review(ctx, db, case, case.next_timer_at)
    complete(ctx, case, "UserTask_Review", hr, **keeping(review_on="2026-04-13"))  # the investigation is over
    assert letters(db, case) == ["restriction"] and named(case, "Subject") == [person.id]
    assert access.can_view_case(person, case) and outbox(db, case)[-1] == ("restriction_letter", person.email)


def test_once_told_they_cannot_be_untold(ctx, db, case, people):
    complete(ctx, case, "UserTask_Decide", people["hr"], **restriction())
    to_review(ctx, db, case)
    with pytest.raises(InvalidInput) as refused:
        complete(ctx, case, "UserTask_Review", people["hr"], **keeping(**NOT_TOLD))
    assert list(refused.value.errors) == ["telling"]


def test_lifting_a_restriction_never_told_writes_nothing(ctx, db, case, people):
    complete(ctx, case, "UserTask_Decide", people["hr"], **restriction(**NOT_TOLD))
    to_review(ctx, db, case)
    complete(ctx, case, "UserTask_Review", people["hr"], **lifting(**NOT_TOLD))
    assert case.status == "lifted" and letters(db, case) == [] and named(case, "Subject") == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"review_on": None}, "review_on", "A restriction needs a review date."),
        ({"ends_on": "2026-03-01"}, "ends_on", "The restriction cannot end before it starts."),
        ({"review_on": "2026-03-02"}, "review_on", "The review date must be after today."),
        ({"starts_on": "2026-03-20"}, "review_on", "The review cannot come before the restriction starts."),
        ({"ends_on": "2026-03-10"}, "review_on", "Review it on or before the day it ends."),
        ({"telling": "not_told"}, "withholding_reason", "Record why telling them would prejudice an investigation."),
    ],
)
def test_a_restriction_with_bad_dates_or_no_reason_is_refused(ctx, db, case, people, change, field, message):
    with pytest.raises(InvalidInput) as refused:
        complete(ctx, case, "UserTask_Decide", people["hr"], **restriction(**change))
    assert refused.value.errors[field] == [message]
    assert ready_task(db, case, "UserTask_Decide") and case.status == "open"


def test_a_kept_restriction_needs_a_new_review_date_after_today(ctx, db, case, people):
    complete(ctx, case, "UserTask_Decide", people["hr"], **restriction(ends_on="2026-04-30"))
    to_review(ctx, db, case)
    for change, field in (({"review_on": None}, "review_on"), ({"ends_on": "2026-02-27"}, "ends_on")):
        with pytest.raises(InvalidInput) as refused:
            complete(ctx, case, "UserTask_Review", people["hr"], **keeping(**change))
        assert field in refused.value.errors
    assert ready_task(db, case, "UserTask_Review")

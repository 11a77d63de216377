"""Adding to a case file (workflows/engine/casefile.py): evidence and
interview notes while the case is open, nothing once it has ended."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from models import Evidence, InterviewNote
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import actions, complete
from workflows.engine.casefile import add_evidence, add_interview_note
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import url_evidence
from workflows.procedures.breach.opening import BreachReport, open_breach


def notes_of(db, case) -> list[str]:
    return list(db.scalars(select(InterviewNote.witness).where(InterviewNote.case_id == case.id)))


def evidence_of(db, case) -> list[str]:
    return list(db.scalars(select(Evidence.description).where(Evidence.case_id == case.id)))


def test_additions_are_kept_while_the_case_is_open_and_refused_once_it_has_ended(ctx, db):
    hr, investigator, employee = make_hr(db), make_manager(db, "Ivan Investigator"), make_user(db)
    case = open_breach(
        ctx,
        hr,
        BreachReport(
            subject=employee,
            source="monitoring",
            clauses=["SMP-5.6"],
            description="Derogatory comments found in monitoring.",
        ),
    )
    complete(
        ctx,
        case,
        "UserTask_Triage",
        hr,
        severity="serious",
        personal_data_published=False,
        suspension_needed=False,
        suspension_reason="",
        investigator_id=investigator.id,
        manager_conflict_reason="",
    )
    link = url_evidence("https://facebook.com/posts/1", investigator)
    link.description = "The post"
    add_evidence(ctx, case, investigator, link, shared=False)
    add_interview_note(ctx, case, investigator, "Sam Wright", date(2026, 3, 2), "Saw it on Sunday.")
    assert notes_of(db, case) == ["Sam Wright"] and evidence_of(db, case) == ["The post"]
    assert {"evidence_added", "interview_recorded"} <= set(actions(db, case))

    complete(ctx, case, "UserTask_Investigate", investigator, account_days=7, invitation_message="")
    complete(ctx, case, "UserTask_Account", employee, account_choice="decline", account_statement="")
    complete(
        ctx,
        case,
        "UserTask_Findings",
        investigator,
        facts_found="The comments were made in jest.",
        clauses_breached=[],
        mitigation="",
        recommendation="no_case_to_answer",
    )
    complete(
        ctx,
        case,
        "UserTask_Outcome",
        hr,
        outcome="no_case_to_answer",
        outcome_reasons="Banter between friends.",
        informal_action="",
    )
    assert not case.is_open
    trail = actions(db, case)

    late = url_evidence("https://facebook.com/posts/2", hr)
    late.description = "A late link"
    for add in (
        lambda: add_evidence(ctx, case, hr, late, shared=False),
        lambda: add_interview_note(ctx, case, investigator, "Late Witness", date(2026, 3, 2), "Remembered later."),
    ):
        with pytest.raises(InvalidInput, match=r"This case has ended: nothing more can be added to it\."):
            add()
    assert notes_of(db, case) == ["Sam Wright"] and evidence_of(db, case) == ["The post"]
    assert actions(db, case) == trail  # nothing audited either


@pytest.fixture
def open_case(ctx, db):
    hr = make_hr(db)
    case = open_breach(
        ctx,
        hr,
        BreachReport(subject=make_user(db), source="monitoring", clauses=["SMP-5.6"], description="Rude posts."),
    )
    return case, hr


@pytest.mark.parametrize("day", [date(1, 1, 1), date(2026, 3, 1), date(2026, 3, 3)])
def test_an_interview_before_the_case_was_opened_or_in_the_future_is_refused_naming_the_range(ctx, db, open_case, day):
    case, hr = open_case  # opened on Monday 2 March 2026, and today is that day
    with pytest.raises(InvalidInput) as refused:
        add_interview_note(ctx, case, hr, "Sam Wright", day, "Saw it.")
    assert refused.value.errors == {
        "interviewed_on": [
            "The interview date must be between 2 March 2026, when the case was opened, and today, 2 March 2026."
        ]
    }
    assert notes_of(db, case) == []
    add_interview_note(ctx, case, hr, "Sam Wright", date(2026, 3, 2), "Saw it.")
    assert notes_of(db, case) == ["Sam Wright"]


def test_an_interview_may_date_from_the_case_this_one_was_opened_from(ctx, db, open_case):
    from datetime import timedelta

    from workflows.engine import clock

    earlier, hr = open_case
    clock.advance(timedelta(days=10))
    later = open_breach(
        ctx,
        hr,
        BreachReport(subject=make_user(db), source="monitoring", clauses=["SMP-5.6"], description="Follow-up."),
    )
    later.parent = earlier
    add_interview_note(ctx, later, hr, "Sam Wright", date(2026, 3, 3), "Before this case, during the first.")
    assert notes_of(db, later) == ["Sam Wright"]


@pytest.mark.parametrize(
    "captured_at",
    [datetime(1900, 1, 1, tzinfo=UTC), datetime(2025, 3, 1, 8, 59, tzinfo=UTC), datetime(2026, 3, 2, 9, 6, tzinfo=UTC)],
)
def test_evidence_captured_over_a_year_before_the_case_or_in_the_future_is_refused(ctx, db, open_case, captured_at):
    case, hr = open_case
    link = url_evidence("https://facebook.com/posts/1", hr, captured_at=captured_at)
    link.description = "The post"
    with pytest.raises(InvalidInput) as refused:
        add_evidence(ctx, case, hr, link, shared=False)
    assert refused.value.errors == {
        "captured_at": [
            "The capture time must be between 2 March 2025, 09:00 (a year before the case was opened) "
            "and now, 2 March 2026, 09:00 (UK time)."
        ]
    }
    assert evidence_of(db, case) == []
    within = url_evidence("https://facebook.com/posts/1", hr, captured_at=datetime(2025, 3, 2, 9, 0, tzinfo=UTC))
    within.description = "A year before"
    add_evidence(ctx, case, hr, within, shared=False)
    assert evidence_of(db, case) == ["A year before"]

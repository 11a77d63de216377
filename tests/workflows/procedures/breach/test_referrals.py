"""The referral branches by the subject's person type [SMP-2]: the
disciplinary procedure for an employee, volunteer problem-solving for a
volunteer, the Chair of the board for a trustee; each linked both ways, and
no one offered another's referral."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, Case
from tests.factories import make_user
from tests.workflows.procedures.breach.drive import REFERRAL, investigated, refer, staff
from workflows.engine.errors import InvalidInput
from workflows.engine.queries import case_data
from workflows.engine.queries import letters as issued
from workflows.procedures.breach.vocabulary import outcomes_for

OPENS = {"employee": "disciplinary", "volunteer": "volunteer_problem_solving", "trustee": "trustee_referral"}


@pytest.fixture
def people(db):
    return staff(db)


@pytest.mark.parametrize("person_type", ["employee", "volunteer", "trustee"])
def test_each_person_type_is_referred_to_its_own_procedure_linked_both_ways(ctx, db, people, person_type):
    subject = make_user(db, "Sam Subject", person_type=person_type, line_manager=people["manager"])
    case = investigated(ctx, people, subject)
    opened = refer(ctx, case, people)
    assert opened.kind == OPENS[person_type] and opened.subject_id == subject.id
    assert case.status == "referred" and opened.status == "open"
    linked = db.scalars(select(AuditEvent).where(AuditEvent.action == "case_linked")).all()
    assert {(e.case_id, e.data["linked_case"]) for e in linked} == {
        (case.id, opened.reference),
        (opened.id, case.reference),
    }
    carried = case_data(opened)
    assert carried["facts_found"].startswith("The comments were posted")
    assert carried["account_statement"] == "I was upset and wrote it in haste."
    assert {p.role for p in opened.parties} >= {"HR", "Reporter"}


@pytest.mark.parametrize("person_type", ["employee", "volunteer", "trustee"])
def test_only_a_persons_own_referral_is_offered_or_accepted(ctx, db, people, person_type):
    subject = make_user(db, "Sam Subject", person_type=person_type)
    offered = outcomes_for(person_type)
    assert [v for v in offered if v.startswith("refer")] == [REFERRAL[person_type]]
    case = investigated(ctx, people, subject)
    for other in set(REFERRAL.values()) - {REFERRAL[person_type]}:
        with pytest.raises(InvalidInput, match=f"is a {person_type}"):
            refer(ctx, case, people, outcome=other)
    assert db.scalar(select(Case).where(Case.parent_id == case.id)) is None


def test_a_volunteers_choices_name_problem_solving_and_never_disciplinary():
    words = " ".join(outcomes_for("volunteer").values()).lower()
    assert "refer to volunteer problem-solving" in words and "disciplinary" not in words
    assert "Chair of the board" in outcomes_for("trustee")["refer_to_chair"]


def test_a_trustee_who_stepped_back_is_told_it_goes_on_until_the_board_decides(ctx, db, people):
    case = investigated(ctx, people, people["trustee"], step_back=True)
    opened = refer(ctx, case, people)
    assert case_data(opened)["stepped_back"] is True
    letters = {row.kind: row.body for row in issued(db, opened)}
    assert "stepped back from your trustee duties" in letters["trustee_referral"]

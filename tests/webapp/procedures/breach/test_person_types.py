"""The investigation in each person's words [SMP-2]: the precautionary step
is a suspension for an employee, a pause for a volunteer and stepping back
from trustee duties for a trustee, in the triage form, the review's choices,
the summary and the letters; "Decide outcome" offers each their own referral."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import Letter
from tests.factories import make_user
from tests.workflows.helpers import complete, ready_task
from tests.workflows.procedures.breach.drive import investigated, staff
from workflows.procedures.breach.opening import BreachReport, open_breach

QUESTION = {
    "employee": "Is a precautionary suspension needed?",
    "volunteer": "Should the volunteering pause while this is looked into?",
    "trustee": "Should the trustee step back from trustee duties while this is looked into?",
}
REFERRAL = {
    "employee": "Refer to the disciplinary procedure",
    "volunteer": "Refer to volunteer problem-solving",
    "trustee": "Refer to the Chair of the board (governing document)",
}


@pytest.fixture
def people(db):
    return staff(db)


def opened(ctx, people, subject):
    report = BreachReport(subject=subject, source="monitoring", clauses=["SMP-5.6"], description="Unkind comments.")
    return open_breach(ctx, people["hr"], report)


@pytest.mark.parametrize("person_type", ["employee", "volunteer", "trustee"])
def test_triage_asks_about_the_precaution_in_their_words(ctx, db, web, people, person_type):
    case = opened(ctx, people, make_user(db, "Sam Subject", person_type=person_type))
    web.login(people["hr"])
    form = web.text(f"/tasks/{ready_task(db, case, 'UserTask_Triage').id}")
    assert QUESTION[person_type] in form
    assert ("Why suspension is needed" in form) == (person_type == "employee")


@pytest.mark.parametrize("person_type", ["employee", "volunteer", "trustee"])
def test_decide_outcome_offers_their_own_referral_only(ctx, db, web, people, person_type):
    case = investigated(ctx, people, make_user(db, "Sam Subject", person_type=person_type))
    web.login(people["hr"])
    form = web.text(f"/tasks/{ready_task(db, case, 'UserTask_Outcome').id}")
    offered = re.findall(r'name="outcome" required type="radio" value="[^"]+"> <label[^>]*>([^<]+)<', form)
    offered = offered or re.findall(r'<label class="form-check-label" for="outcome-\d">([^<]+)</label>', form)
    assert [o for o in offered if o.startswith("Refer")] == [REFERRAL[person_type]]


def test_a_trustee_is_asked_in_writing_to_step_back_never_suspended(ctx, db, web, people):
    case = opened(ctx, people, people["trustee"])
    complete(
        ctx,
        case,
        "UserTask_Triage",
        people["hr"],
        severity="moderate",
        personal_data_published=False,
        suspension_needed=True,
        suspension_reason="While the board looks at it.",
        investigator_id=people["investigator"].id,
        manager_conflict_reason="",
    )
    letter = db.scalar(select(Letter).where(Letter.case_id == case.id))
    assert letter.title == "Stepping back from trustee duties while a concern is looked into"
    assert "asked you, in writing, to step back from your trustee duties" in letter.body
    assert "suspended" not in letter.body and "full pay" not in letter.body and "trade union" not in letter.body
    web.login(people["hr"])
    assert "Stepping back from trustee duties" in web.text(f"/cases/{case.reference}")

"""No employment words anywhere a volunteer can see [SMP-2]: on every path
through the breach investigation about them and the volunteer problem-solving
it refers them to, every page, task, letter (page and PDF) and notice is
read, and none says "disciplinary", "hearing", "warning", "dismissal",
"suspended", "trade union" or "employee" outside the policy's quoted text.
Treating volunteers like staff risks creating worker status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import Case, PersonType
from tests.conftest import START
from tests.factories import make_user
from tests.webapp.procedures.volunteer_problem_solving.words import VolunteerView, page_text
from tests.workflows.helpers import complete, ready_task
from tests.workflows.procedures.breach.drive import staff
from workflows.engine import clock
from workflows.engine.timers import fire_due_timers
from workflows.procedures.breach.opening import BreachReport, open_breach

CONVERSATION_AT = START + timedelta(days=3, hours=5)


@pytest.fixture
def people(db):
    found = staff(db)
    found["volunteer"] = make_user(db, "Vic Patel", person_type=PersonType.VOLUNTEER, line_manager=found["coordinator"])
    return found


@pytest.fixture
def view(web, db, people):
    web.login(people["volunteer"])
    return VolunteerView(web, db, people["volunteer"])


def task_id(db, case, bpmn_id) -> int:
    return ready_task(db, case, bpmn_id).id


def breach_to_outcome(ctx, db, web, view, people, *, pause: bool, account: bool, lift: bool = False) -> Case:
    """The investigation about the volunteer, looked at after each step;
    their account (or its deadline passing) through the page."""
    case = open_breach(
        ctx,
        people["hr"],
        BreachReport(
            subject=people["volunteer"],
            source="takedown_escalation",
            clauses=["SMP-5.5", "SMP-5.6"],
            description="Shared a photo of a service user with unkind comments.",
            reported_by=people["manager"],
        ),
    )
    view.look()
    complete(
        ctx,
        case,
        "UserTask_Triage",
        people["hr"],
        severity="potential_gross_misconduct",
        personal_data_published=False,
        suspension_needed=pause,
        suspension_reason="So that the concern can be looked into calmly." if pause else "",
        investigator_id=people["investigator"].id,
        manager_conflict_reason="",
    )
    view.look()
    complete(ctx, case, "UserTask_Investigate", people["investigator"], account_days=7, invitation_message="")
    view.look()
    if account:
        url = f"/tasks/{task_id(db, case, 'UserTask_Account')}"
        view.add("account form refused", web.submit(url, {"account_choice": "give"}).get_data(as_text=True))
        sent = web.submit(url, {"account_choice": "give", "account_statement": "I am sorry; I took it down."})
        assert sent.status_code == 302
        db.expire_all()  # the page's request saved the case in a session of its own
    else:
        clock.advance(timedelta(days=7, minutes=1))
        fire_due_timers(ctx)
    if lift:
        clock.advance(timedelta(days=14, minutes=1))
        fire_due_timers(ctx)
        view.look()  # the review is due: the current step shows
        complete(
            ctx,
            case,
            "UserTask_ReviewSuspension",
            people["hr"],
            suspension_decision="lift",
            suspension_review_reasons="The evidence is secured.",
        )
    view.look()
    complete(
        ctx,
        case,
        "UserTask_Findings",
        people["investigator"],
        facts_found="The photo was shared on Saturday and removed on Monday.",
        clauses_breached=["SMP-5.6"],
        mitigation="Removed when asked.",
        recommendation="formal_disciplinary",
    )
    view.look()
    return case


def decide(ctx, case, people, outcome):
    complete(
        ctx,
        case,
        "UserTask_Outcome",
        people["hr"],
        outcome=outcome,
        outcome_reasons="Having read the findings and Vic's account.",
        informal_action="Read the guidance on sharing photos." if outcome == "informal_action" else "",
    )


def assert_no_employment_words(view):
    view.look()
    assert view.seen, "nothing was looked at"
    assert view.employment_words() == {}


@pytest.mark.parametrize(
    "outcome, pause, account, lift",
    [
        ("no_case_to_answer", True, True, True),
        ("informal_action", True, False, False),
        ("informal_action", False, True, False),
    ],
)
def test_an_investigation_that_closes(ctx, db, web, view, people, outcome, pause, account, lift):
    case = breach_to_outcome(ctx, db, web, view, people, pause=pause, account=account, lift=lift)
    decide(ctx, case, people, outcome)
    assert case.status == "closed"
    assert_no_employment_words(view)


def problem_solving(ctx, db, web, view, people, outcome: str, new_role: str = "") -> Case:
    breach = breach_to_outcome(ctx, db, web, view, people, pause=True, account=True)
    decide(ctx, breach, people, "refer_to_problem_solving")
    case = db.scalar(select(Case).where(Case.parent_id == breach.id))
    view.look()
    complete(ctx, case, "UserTask_ChooseCoordinator", people["hr"], coordinator_id=people["coordinator"].id)
    complete(
        ctx,
        case,
        "UserTask_Arrange",
        people["coordinator"],
        conversation_at=CONVERSATION_AT.isoformat(),
        place="The quiet room",
        invitation_message="",
    )
    view.look()
    clock.freeze(CONVERSATION_AT + timedelta(days=3))
    fire_due_timers(ctx)  # the coordinator's reminder
    complete(
        ctx,
        case,
        "UserTask_Conversation",
        people["coordinator"],
        supporter="Jo",
        conversation_notes="We talked it through.",
        outcome=outcome,
        outcome_reasons="Vic understands why it hurt.",
        new_role=new_role,
    )
    view.look()
    return case


def ask(db, web, view, case, choice: str):
    url = f"/tasks/{task_id(db, case, 'UserTask_AskReview')}"
    view.add("review request refused", web.submit(url, {"review_choice": "ask"}).get_data(as_text=True))
    sent = web.submit(url, {"review_choice": choice, "review_grounds": "I acted at once." if choice == "ask" else ""})
    assert sent.status_code == 302
    db.expire_all()  # the page's request saved the case in a session of its own


@pytest.mark.parametrize(
    "outcome, new_role, review",
    [
        ("guidance_support", "", "no_review"),
        ("change_of_role", "Helping at the Tuesday drop-in", "confirm"),
        ("end_arrangement", "", "change"),
        ("guidance_support", "", "timer"),
    ],
)
def test_problem_solving_after_a_referral(ctx, db, web, view, people, outcome, new_role, review):
    case = problem_solving(ctx, db, web, view, people, outcome, new_role)
    if review == "timer":
        clock.advance(timedelta(days=15))
        fire_due_timers(ctx)
    else:
        ask(db, web, view, case, "no_review" if review == "no_review" else "ask")
    if review in ("confirm", "change"):
        view.look()
        complete(ctx, case, "UserTask_ChooseReviewer", people["hr"], reviewer_id=people["hub"].id)
        complete(
            ctx,
            case,
            "UserTask_Review",
            people["hub"],
            review_decision=review,
            review_outcome="guidance_support" if review == "change" else "",
            review_reasons="Looked at again with fresh eyes.",
        )
    assert case.status == "closed"
    assert_no_employment_words(view)


def test_the_scan_finds_an_employment_word_where_one_is(view):
    """The scan itself: a word in a page's text is found, one only in its code is not."""
    view.add("a page", "<p>Your disciplinary hearing</p>")
    view.add("a word alone", "<blockquote>employee</blockquote>")
    view.add(
        "quoted policy",
        "<p>Employees and volunteers must remove any offending content immediately "
        "if they are asked to do so by BCW Hub.</p>",
    )
    assert set(view.employment_words()) == {"a page", "a word alone"}
    assert page_text("<script>warning()</script><p class='text-bg-warning'>fine</p>") == "fine"

"""Volunteer problem-solving's forms: each refuses bad input beside the
field, keeping what was typed, and records nothing; and who sees the case
and its steps, from both sides (every refusal a 403)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, PersonType
from tests.conftest import START
from tests.factories import make_user
from tests.workflows.helpers import complete, ready_task
from tests.workflows.procedures.breach.drive import investigated, refer, staff
from workflows.engine import clock

WHEN = (START + timedelta(days=3, hours=5)).isoformat()


@pytest.fixture
def people(db):
    found = staff(db)
    found["volunteer"] = make_user(db, "Vic Patel", person_type=PersonType.VOLUNTEER, line_manager=found["coordinator"])
    found["stranger"] = make_user(db, "Olly Outsider")
    return found


@pytest.fixture
def case(ctx, people):
    return refer(ctx, investigated(ctx, people, people["volunteer"]), people)


def url(db, case, bpmn_id) -> str:
    return f"/tasks/{ready_task(db, case, bpmn_id).id}"


def as_user(web, user):
    web.logout()
    web.login(user)


def recorded(db, form: str) -> bool:
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "task_completed"))
    return any(e.data.get("form") == form for e in events)


def to_conversation(ctx, case, people):
    complete(ctx, case, "UserTask_ChooseCoordinator", people["hr"], coordinator_id=people["coordinator"].id)
    complete(
        ctx,
        case,
        "UserTask_Arrange",
        people["coordinator"],
        conversation_at=WHEN,
        place="The Hub",
        invitation_message="",
    )


def to_review(ctx, case, people):
    to_conversation(ctx, case, people)
    clock.freeze(START + timedelta(days=4))
    complete(
        ctx,
        case,
        "UserTask_Conversation",
        people["coordinator"],
        supporter="",
        conversation_notes="We talked it through.",
        outcome="guidance_support",
        outcome_reasons="Vic understands why it hurt.",
        new_role="",
    )
    complete(ctx, case, "UserTask_AskReview", people["volunteer"], review_choice="ask", review_grounds="I acted fast.")


def test_hr_is_offered_the_line_manager_first_and_never_the_reporter(db, web, case, people):
    web.login(people["hr"])
    page = url(db, case, "UserTask_ChooseCoordinator")
    form = web.text(page)
    assert "Priya Shah (line manager)" in form and "Mark Taylor" not in form  # Mark reported it
    html = web.submit(page, {"coordinator_id": "0"}).get_data(as_text=True)
    assert "Choose the volunteer coordinator." in html
    html = web.submit(page, {"coordinator_id": str(people["manager"].id)}).get_data(as_text=True)
    assert "who did not report the concern" in html and not recorded(db, "vps_coordinator")


def test_the_arrangement_needs_a_time_to_come_and_a_place(ctx, db, web, case, people):
    complete(ctx, case, "UserTask_ChooseCoordinator", people["hr"], coordinator_id=people["coordinator"].id)
    web.login(people["coordinator"])
    page = url(db, case, "UserTask_Arrange")
    html = web.submit(page, {"conversation_at": "", "place": "", "invitation_message": "See you then"})
    html = html.get_data(as_text=True)
    assert "Give the date and time of the conversation." in html and "Say where the conversation will be." in html
    assert "See you then</textarea>" in html
    html = web.submit(page, {"conversation_at": "2026-03-01T10:00", "place": "The Hub"}).get_data(as_text=True)
    assert "a time still to come" in html and 'value="The Hub"' in html
    assert not recorded(db, "vps_arrange")


def test_the_conversation_record_needs_the_new_role_for_a_change_of_role(ctx, db, web, case, people):
    to_conversation(ctx, case, people)
    clock.freeze(START + timedelta(days=4))
    web.login(people["coordinator"])
    page = url(db, case, "UserTask_Conversation")
    typed = {
        "conversation_notes": "We talked about the post.",
        "outcome": "change_of_role",
        "outcome_reasons": "A role away from social media.",
    }
    html = web.submit(page, typed).get_data(as_text=True)
    assert "Describe the new role." in html and "We talked about the post.</textarea>" in html
    html = web.submit(page, {"outcome": "dismiss"}).get_data(as_text=True)
    assert "Choose the outcome." in html and "Write what was talked about." in html
    assert not recorded(db, "vps_conversation")


def test_the_volunteer_asking_for_a_review_says_why(ctx, db, web, case, people):
    to_conversation(ctx, case, people)
    clock.freeze(START + timedelta(days=4))
    complete(
        ctx,
        case,
        "UserTask_Conversation",
        people["coordinator"],
        supporter="",
        conversation_notes="We talked it through.",
        outcome="end_arrangement",
        outcome_reasons="It happened twice.",
        new_role="",
    )
    web.login(people["volunteer"])
    page = url(db, case, "UserTask_AskReview")
    form = web.text(page)
    assert "the Hub Manager or a trustee" in form and "Ending the volunteering arrangement" in form
    html = web.submit(page, {"review_choice": "ask", "review_grounds": ""}).get_data(as_text=True)
    assert "Say why you would like a review." in html
    html = web.submit(page, {"review_choice": "", "review_grounds": "It was once."}).get_data(as_text=True)
    assert "Say whether you would like a review." in html and "It was once.</textarea>" in html
    assert not recorded(db, "vps_review_request")


def test_hr_may_not_name_anyone_involved_to_review(ctx, db, web, case, people):
    to_review(ctx, case, people)
    web.login(people["hr"])
    page = url(db, case, "UserTask_ChooseReviewer")
    form = web.text(page)
    offered = re.findall(r"<option[^>]*>([^<]+)</option>", form)
    assert offered == [
        "Choose…",
        "Grace Okafor (Hub Manager)",
        "Olu Bello (trustee)",
        "Ruth Adeyemi (trustee)",
        "Tariq Khan (trustee)",
    ]
    html = web.submit(page, {"reviewer_id": str(people["investigator"].id)}).get_data(as_text=True)
    assert "Ivan Investigator is involved in the case: the review must be by someone who is not." in html
    html = web.submit(page, {"reviewer_id": str(people["stranger"].id)}).get_data(as_text=True)
    assert "Choose the Hub Manager or a trustee." in html
    assert not recorded(db, "vps_reviewer")


def test_a_changed_outcome_needs_the_new_one(ctx, db, web, case, people):
    to_review(ctx, case, people)
    complete(ctx, case, "UserTask_ChooseReviewer", people["hr"], reviewer_id=people["hub"].id)
    web.login(people["hub"])
    page = url(db, case, "UserTask_Review")
    assert "I acted fast." in web.text(page)  # the volunteer's grounds
    html = web.submit(page, {"review_decision": "change", "review_reasons": "Too harsh by far."})
    html = html.get_data(as_text=True)
    assert "Choose the outcome that replaces it." in html and "Too harsh by far.</textarea>" in html
    assert not recorded(db, "vps_review")


def test_the_volunteer_sees_their_case_and_letters_but_not_the_working(ctx, db, web, case, people):
    to_conversation(ctx, case, people)
    web.login(people["volunteer"])
    page = web.text(f"/cases/{case.reference}")
    assert "An informal conversation about your volunteering" in page  # the invitation letter
    assert "Posted derogatory comments" in page and 'id="case-diagram"' not in page
    assert "The comments were posted on Saturday" not in page  # the investigation's findings are the staff's
    assert web.client.get(url(db, case, "UserTask_Conversation")).status_code == 403


@pytest.mark.parametrize("who", ["stranger", "manager", "hub"])
def test_others_do_not_see_it_and_the_refusal_is_audited(db, web, case, people, who):
    web.login(people[who])  # the manager reported it; the Hub Manager is not yet named to review
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    refused = db.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied", AuditEvent.case_id == case.id))
    assert refused is not None and refused.actor_id == people[who].id


def test_the_coordinator_and_then_the_reviewer_see_it_once_named(ctx, db, web, case, people):
    web.login(people["coordinator"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 403  # not yet named
    complete(ctx, case, "UserTask_ChooseCoordinator", people["hr"], coordinator_id=people["coordinator"].id)
    assert web.client.get(f"/cases/{case.reference}").status_code == 200
    assert "Arrange the conversation" in web.text("/")
    complete(
        ctx,
        case,
        "UserTask_Arrange",
        people["coordinator"],
        conversation_at=WHEN,
        place="The Hub",
        invitation_message="",
    )
    clock.freeze(START + timedelta(days=4))
    complete(
        ctx,
        case,
        "UserTask_Conversation",
        people["coordinator"],
        supporter="",
        conversation_notes="We talked it through.",
        outcome="guidance_support",
        outcome_reasons="Vic understands why it hurt.",
        new_role="",
    )
    complete(ctx, case, "UserTask_AskReview", people["volunteer"], review_choice="ask", review_grounds="Once only.")
    as_user(web, people["other_trustee"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    complete(ctx, case, "UserTask_ChooseReviewer", people["hr"], reviewer_id=people["other_trustee"].id)
    assert web.client.get(f"/cases/{case.reference}").status_code == 200
    assert "Review the outcome" in web.text("/")

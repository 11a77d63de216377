"""A volunteer's case and a trustee's case end to end in Chromium, from the
breach investigation's "Decide outcome" to their outcome. HR is offered
"Refer to volunteer problem-solving" for Vic (and no disciplinary option),
follows the link to the new case and chooses Priya, his line manager, as
coordinator; Priya arranges the conversation, Vic reads the invitation
(a friend or supporter is welcome), Priya records a change of role once the
conversation has happened, Vic asks for a review, HR names Grace (Hub
Manager, not involved) and Grace confirms it. For Tariq, a trustee, HR refers
him to the Chair of the board; Ruth, the Chair, records the board's decision
to ask him to step down, and Tariq reads the letter. The investigations are
run to their outcome step through the operations; the clock is moved past
the conversation."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import START
from tests.webapp.procedures.volunteer_problem_solving.words import EMPLOYMENT_WORDS, plain, without_quoted_policy
from tests.workflows.procedures.breach.drive import investigated
from workflows.engine import clock, people
from workflows.engine.context import Context

from .live import served
from .test_investigation_in_browser import letters, submit

# Reused, with the module-scoped `page` fixture (it browses this module's base_url);
# these imports skip the module when there is no Chromium.
from .test_takedown_in_browser import PASSWORD, open_task, page, sign_in, sign_out  # noqa: F401

SHOTS = Path("/tmp/browser-shots-vt")
HR, INVESTIGATOR, MANAGER = "hana@bcwhub.example.org", "ivan@bcwhub.example.org", "mark@bcwhub.example.org"
COORDINATOR, HUB = "priya@bcwhub.example.org", "grace@bcwhub.example.org"
VOLUNTEER, TRUSTEE, CHAIR = "vic@bcwhub.example.org", "tariq@bcwhub.example.org", "ruth@bcwhub.example.org"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    def seed(db):
        def person(email, name, **kwargs):
            return people.create_user(db, email=email, name=name, password=PASSWORD, **kwargs)

        person(HR, "Hana Hussain", roles=("hr",))
        person(INVESTIGATOR, "Ivan Petrov", roles=("manager",))
        person(MANAGER, "Mark Taylor", roles=("manager",))
        priya = person(COORDINATOR, "Priya Shah", roles=("manager",))
        person(HUB, "Grace Okafor", roles=("hub_manager",))
        person(VOLUNTEER, "Vic Patel", person_type="volunteer", line_manager=priya)
        person(TRUSTEE, "Tariq Khan", person_type="trustee")
        person(CHAIR, "Ruth Adeyemi", person_type="trustee", roles=("chair",))

    with served(tmp_path_factory.mktemp("browser-vt"), seed) as live:
        services = live.app.extensions["casework"]
        with services.sessions() as db, clock.stopped_at(START):  # each test runs at START
            ctx = Context(db=db, library=services.library, settings=services.settings)
            by_email = {u.email: u for u in people.active_people(db)}
            staff = {"hr": by_email[HR], "investigator": by_email[INVESTIGATOR], "manager": by_email[MANAGER]}
            for email in (VOLUNTEER, TRUSTEE):
                investigated(ctx, staff, by_email[email])
            db.commit()
        yield live


@pytest.fixture(scope="module")
def base_url(live):
    return live.url


def refer_from_the_investigation(page, name: str, referral: str) -> str:
    """HR decides the investigation's outcome; returns the linked case's reference."""
    sign_in(page, HR)
    page.get_by_role("navigation").get_by_role("link", name="Cases").click()
    page.get_by_role("row", name=re.compile(f"Possible breach by {name}")).get_by_role("link").click()
    page.get_by_role("link", name="Open this step").click()
    options = " | ".join(page.locator('input[name="outcome"] + label').all_inner_texts())
    assert referral in options and options.count("Refer") == 1, options
    page.get_by_label(referral).check()
    page.get_by_label("Reasons (these go in the letter)").fill("The findings show a breach to be taken further.")
    submit(page, "Record outcome")
    expect(page.locator(".badge").first).to_have_text("Referred")
    linked = page.locator("section", has=page.get_by_role("heading", name="Linked cases")).get_by_role("link")
    reference = linked.first.inner_text()
    linked.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    return reference


def test_a_volunteer_goes_from_referral_to_a_reviewed_change_of_role(page):
    reference = refer_from_the_investigation(page, "Vic Patel", "Refer to volunteer problem-solving")
    expect(page.locator(".alert-info")).to_contain_text("Choose the volunteer coordinator")
    shot(page, "01-problem-solving-opened")
    open_task(page, "Choose the volunteer coordinator")
    page.get_by_label("Volunteer coordinator").select_option(label="Priya Shah (line manager)")
    submit(page, "Name the coordinator")
    sign_out(page)

    sign_in(page, COORDINATOR)
    open_task(page, "Arrange the conversation")
    when = clock.london(clock.now() + timedelta(days=2)).replace(hour=14, minute=0, second=0, microsecond=0)
    page.get_by_label("Date and time of the conversation (UK time)").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where").fill("The quiet room at the Hub")
    shot(page, "02-arrange")
    submit(page, "Send the invitation")
    sign_out(page)

    sign_in(page, VOLUNTEER)
    page.goto(f"/cases/{reference}")
    letters(page).get_by_role("link", name="An informal conversation about your volunteering").click()
    expect(page.locator("body")).to_contain_text("You are welcome to bring a friend or supporter with you.")
    shot(page, "03-invitation")
    sign_out(page)

    clock.freeze(when + timedelta(hours=2))  # the conversation has happened
    sign_in(page, COORDINATOR)
    open_task(page, "Record the conversation and its outcome")
    page.get_by_label("Friend or supporter who came, if any").fill("Jo, a friend")
    page.get_by_label("What was talked about").fill("The comment, and how it felt to the client's family.")
    page.get_by_label("A change of role", exact=True).check()
    page.get_by_label("Reasons", exact=True).fill("A role away from the clients' families suits Vic better for now.")
    page.get_by_label("For a change of role: the new role").fill("Helping at the Tuesday drop-in")
    submit(page, "Record the outcome")
    sign_out(page)

    sign_in(page, VOLUNTEER)
    open_task(page, "Ask for a review, if you wish")
    page.get_by_label("I would like the outcome reviewed").check()
    page.get_by_label("Why you would like a review").fill("I apologised straight away.")
    submit(page, "Send")
    expect(letters(page)).to_contain_text("After our conversation: a change of role")
    sign_out(page)

    sign_in(page, HR)
    open_task(page, "Choose who reviews")
    reviewer = page.get_by_label("Who reviews (the Hub Manager or a trustee)")
    offered = " | ".join(reviewer.locator("option").all_inner_texts())
    assert "Grace Okafor" in offered and "Priya" not in offered and "Ivan" not in offered, offered
    reviewer.select_option(label="Grace Okafor (Hub Manager)")
    submit(page, "Name the reviewer")
    sign_out(page)

    sign_in(page, HUB)
    open_task(page, "Review the outcome")
    page.get_by_label("Confirm the outcome").check()
    page.get_by_label("Reasons", exact=True).fill("A fair and kind outcome; the new role keeps Vic with us.")
    submit(page, "Record the review")
    sign_out(page)

    sign_in(page, VOLUNTEER)
    page.goto(f"/cases/{reference}")
    expect(page.locator(".badge").first).to_have_text("This case has ended")
    expect(letters(page)).to_contain_text("The review you asked for: the outcome stands")
    shot(page, "04-volunteer-closed")
    seen = without_quoted_policy(plain(page.locator("body").inner_text()))
    assert EMPLOYMENT_WORDS.findall(seen) == []
    sign_out(page)


def test_a_trustee_goes_from_referral_to_the_boards_decision(page):
    reference = refer_from_the_investigation(page, "Tariq Khan", "Refer to the Chair of the board (governing document)")
    expect(page.locator(".alert-info")).to_contain_text("Record the board's decision")
    sign_out(page)

    sign_in(page, CHAIR)
    open_task(page, "Record the board's decision")
    page.get_by_label("The date the board decided").fill(clock.london(clock.now()).date().isoformat())
    page.get_by_label("The board asks the trustee to step down").check()
    page.get_by_label("The board's reasons").fill("Posting as a trustee made it read as the Hub's view.")
    shot(page, "05-board-decision")
    submit(page, "Record the board's decision")
    sign_out(page)

    sign_in(page, TRUSTEE)
    page.goto(f"/cases/{reference}")
    expect(letters(page)).to_contain_text("The board's decision: the board asks the trustee to step down")
    expect(letters(page)).to_contain_text("Your case has been referred to the Chair of the board")
    shot(page, "06-trustee-letter")
    sign_out(page)

"""A monitoring finding end to end in a real browser (Chromium), by visible
labels: HR records what a routine audit found, decides a restriction (first
refused without a review date), the person is told in writing (one email,
through a real SMTP server, however often the worker runs) and reads the
letter; the clock reaches the review date, HR's review waits, HR lifts the
restriction and the register empties. The app is served for real on a fresh
SQLite database."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no Chromium at /usr/bin/chromium (`make test` installs it)", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

from workflows.engine import clock, people  # noqa: E402

from .live import mail, mail_to, served  # noqa: E402,F401
from .test_takedown_in_browser import PASSWORD, open_task, page, shot, sign_in, sign_out  # noqa: E402,F401

HR, PERSON = "hana@bcwhub.example.org", "sam@bcwhub.example.org"
FOUND = "About two hours a day on TikTok in working hours, from the outreach laptop."
LETTER_EMAIL = "A letter about your internet or social media access"
LIFTED_EMAIL = "Your access restriction has been lifted"


@pytest.fixture(scope="module")
def live(tmp_path_factory, mail):
    def seed(db):
        people.create_user(db, email=HR, name="Hana Hussain", password=PASSWORD, roles=("hr",))
        people.create_user(db, email=PERSON, name="Sam Wright", password=PASSWORD)

    config = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail.port}
    with served(tmp_path_factory.mktemp("browser-mf"), seed, config) as live:
        yield live


@pytest.fixture(scope="module")
def base_url(live):
    return live.url


def test_hr_restricts_access_the_person_is_told_once_and_hr_lifts_it_at_review(page, live, mail):
    # 1. Hana records what the routine audit found.
    sign_in(page, HR)
    page.get_by_role("link", name="Record a monitoring finding").click()
    expect(page.get_by_role("heading", name="Record a monitoring finding")).to_be_visible()
    page.get_by_label("Whose use was monitored").select_option(label="Sam Wright (employee)")
    page.get_by_label("A routine audit of the computer system").check()
    page.get_by_label(re.compile(r"^SMP-6\.1: ")).check()
    page.get_by_label("What was found").fill(FOUND)
    page.get_by_role("button", name="Record the finding").click()
    expect(page).to_have_url(re.compile(r"/cases/MF-2026-\d{4}$"))
    reference = page.url.rsplit("/", 1)[1]

    # 2. She decides a restriction; without a review date it is refused, what she chose kept.
    open_task(page, "Decide on the finding")
    page.get_by_label("Restrict, deny or remove access [SMP-6.6]").check()
    page.get_by_label("Reasons").fill("Use in working hours delayed two outreach visits.")
    page.get_by_label("Restrict access").check()
    page.get_by_label("Which sites (or all internet access)").fill("TikTok on BCW Hub equipment")
    page.get_by_label("Restricted from").fill("2026-03-02")
    page.get_by_label("Tell them in writing").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("A restriction needs a review date.")).to_be_visible()
    expect(page.get_by_label("Which sites (or all internet access)")).to_have_value("TikTok on BCW Hub equipment")
    shot(page, "mf-1-review-date-needed")
    page.get_by_label("Review date").fill("2026-03-16")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("h1 .badge")).to_have_text("Access restricted")
    page.goto("/monitoring/restrictions")
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text("TikTok on BCW Hub equipment")
    sign_out(page)

    # 3. The worker sends Sam's email once, however often it runs; Sam reads the letter.
    live.run_worker()
    live.run_worker()
    assert mail_to(mail, PERSON, reference) == {f"{LETTER_EMAIL} ({reference})": 1}
    [email] = [m for m in mail.inbox.messages if PERSON in m["To"]]
    assert f"http://127.0.0.1/cases/{reference}" in email.get_payload(decode=True).decode()
    sign_in(page, PERSON)
    page.goto(f"/cases/{reference}")
    page.get_by_role("link", name="A restriction of your internet or social media access").click()
    expect(page.get_by_text("TikTok on BCW Hub equipment").first).to_be_visible()
    shot(page, "mf-2-letter")
    page.goto("/")
    sign_out(page)

    # 4. The review date comes (the clock moves, the worker fires the timer): Hana lifts it.
    clock.advance(datetime(2026, 3, 16, 9, 0, tzinfo=clock.LONDON) - clock.now())
    live.run_worker()
    sign_in(page, HR)
    open_task(page, "Review the restriction")
    page.get_by_label("Lift the restriction").check()
    page.get_by_label("Reasons").fill("Two weeks without use in working hours.")
    page.get_by_label("Tell them in writing").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("h1 .badge")).to_have_text("Restriction lifted")
    page.goto("/monitoring/restrictions")
    expect(page.get_by_text("No access restriction is in force.")).to_be_visible()
    shot(page, "mf-3-lifted")
    sign_out(page)

    live.run_worker()
    assert mail_to(mail, PERSON, reference) == {f"{LETTER_EMAIL} ({reference})": 1, f"{LIFTED_EMAIL} ({reference})": 1}
    assert Counter(m["Subject"] for m in mail.inbox.messages if HR in m["To"]) == {
        f"Access restriction due for review: Sam Wright ({reference})": 1
    }

"""One breach investigation end to end in Chromium: HR opens and triages it (suspension,
data breach), the investigator interviews a witness and invites the employee's account,
she reads her suspension letter and answers, and HR closes it with informal action."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from workflows.engine import clock, people

from .live import served_app

# Reused, with the module-scoped `page` fixture (it browses this module's base_url).
# This import skips the module when there is no Chromium, so it comes before Playwright's.
from .test_takedown_in_browser import (  # noqa: F401
    EMPLOYEE,
    MANAGER,
    PASSWORD,
    VENDOR_BUNDLE,
    open_task,
    page,
    sign_in,
    sign_out,
)

SHOTS = Path("/tmp/browser-shots-bi")
HR, INVESTIGATOR = "hana@bcwhub.example.org", "ivan@bcwhub.example.org"
SMP_5_5 = "include personal information or data about the organisation's employees"
NOTES = "Sam saw the photo of a service user on Ellie's public profile on Sunday."
SUSPENSION, OUTCOME = "Notice of precautionary suspension on full pay", "Outcome of the investigation: informal action"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    def seed(db):
        people.create_user(db, email=HR, name="Hana Hussain", password=PASSWORD, roles=("hr",))
        people.create_user(db, email=INVESTIGATOR, name="Ivan Petrov", password=PASSWORD, roles=("manager",))
        mark = people.create_user(db, email=MANAGER, name="Mark Taylor", password=PASSWORD, roles=("manager",))
        people.create_user(db, email=EMPLOYEE, name="Ellie Jones", password=PASSWORD, line_manager=mark)

    with served_app(tmp_path_factory.mktemp("browser-bi"), seed) as url:
        yield url


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def letters(page):
    return page.locator("section", has=page.get_by_role("heading", name="Letters", exact=True))


def submit(page, button):
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("recorded.")


def test_a_breach_investigation_goes_from_report_to_informal_action(page, tmp_path):
    # 1. HR opens the case, with a screenshot as evidence; triage is next.
    sign_in(page, HR)
    page.get_by_role("navigation").get_by_role("link", name="New breach case").click()
    expect(page.get_by_role("heading", name="Open a breach investigation")).to_be_visible()
    screenshot = tmp_path / "evidence.png"
    page.screenshot(path=screenshot)
    page.get_by_label("Who the concern is about").select_option(label="Ellie Jones (employee)")
    page.get_by_label("How it came to light").select_option(label="Report from a manager")
    page.get_by_label("Reported by").select_option(label="Mark Taylor")
    page.locator('input[name="clauses"][value="SMP-5.5"]').check()
    page.get_by_label("What is alleged").fill("Posted a photo of a service user without their consent.")
    page.get_by_label("Evidence file").set_input_files(screenshot)
    shot(page, "01-new-case")
    page.get_by_role("button", name="Open the case").click()
    expect(page).to_have_url(re.compile(r"/cases/BI-2026-\d{4}$"))
    reference = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator(".alert-info")).to_contain_text("Current step: Triage")
    expect(page.get_by_role("link", name="evidence.png")).to_be_visible()
    shot(page, "02-case-opened")

    # 2. Triage: serious, personal data published, suspended, Ivan investigates.
    open_task(page, "Triage")
    page.get_by_label("Serious", exact=True).check()
    page.locator('input[name="personal_data_published"][value="yes"]').check()
    page.locator('input[name="suspension_needed"][value="yes"]').check()
    page.get_by_label("Why suspension is needed").fill("To protect the service user while we look.")
    investigator = page.get_by_label("Investigator", exact=True)
    offered = " | ".join(investigator.locator("option").all_inner_texts())
    assert "Ivan Petrov" in offered and "Ellie" not in offered and "Mark" not in offered, offered
    investigator.select_option(label="Ivan Petrov (manager)")
    shot(page, "03-triage")
    submit(page, "Record triage")
    expect(letters(page)).to_contain_text(SUSPENSION)
    shot(page, "04-after-triage")

    # 3. HR assesses the data breach within 72 hours.
    open_task(page, "Assess data breach (72 hours)")
    page.get_by_label("Not reportable").check()
    page.get_by_label("Reasons").fill("One photo, removed within the hour; low risk to the person.")
    shot(page, "05-assess-data-breach")
    submit(page, "Record assessment")
    sign_out(page)

    # 4. The investigator records an interview and invites Ellie's account.
    sign_in(page, INVESTIGATOR)
    shot(page, "06-investigator-tasks")
    page.get_by_role("link", name=reference).click()
    page.locator("summary", has_text="Add interview notes").click()
    page.get_by_label("Or someone outside BCW Hub: their name").fill("Sam Wright")
    page.get_by_label("Date of the interview").fill(clock.london(clock.now()).date().isoformat())  # the day it opened
    page.get_by_label("Notes", exact=True).fill(NOTES)
    shot(page, "07-interview-form")
    page.get_by_role("button", name="Add interview notes").click()
    expect(page.locator("#case-file")).to_contain_text(NOTES)
    shot(page, "08-case-with-notes")
    open_task(page, "Investigate and invite the subject's account")
    page.get_by_label("Days the subject has to give their account").fill("7")
    page.get_by_label("Message to the subject").fill("Please tell us your side of what happened.")
    shot(page, "09-invite")
    submit(page, "Invite their account")
    sign_out(page)

    # 5. Ellie sees the clause but never the notes, reads her letter, gives her account.
    sign_in(page, EMPLOYEE)
    expect(page.get_by_role("link", name="Give your account")).to_be_visible()
    shot(page, "10-employee-tasks")
    open_task(page, "Give your account")
    expect(page.locator("blockquote", has_text="[SMP-5.5]")).to_contain_text(SMP_5_5)
    expect(page.get_by_text("Please tell us your side of what happened.")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(NOTES)
    shot(page, "11-give-account")
    page.get_by_role("main").get_by_role("link", name=reference).click()
    expect(page.locator("body")).not_to_contain_text(NOTES)
    expect(page.locator("body")).not_to_contain_text("Interview notes")
    shot(page, "12-employee-case")
    letters(page).get_by_role("link", name=SUSPENSION).click()
    expect(page.locator("article")).to_contain_text("full pay")
    shot(page, "13-suspension-letter")
    open_task(page, "Give your account")
    page.get_by_label("I want to give my account").check()
    page.get_by_label("Your statement").fill("I took it down as soon as I knew it showed a service user.")
    submit(page, "Send my response")
    sign_out(page)

    # 6. The investigator records the findings.
    sign_in(page, INVESTIGATOR)
    open_task(page, "Record findings")
    expect(page.get_by_text("I took it down as soon as I knew")).to_be_visible()
    page.get_by_label("Facts found").fill("Ellie posted the photo on Sunday and removed it on Monday.")
    page.locator('input[name="clauses_breached"][value="SMP-5.5"]').check()
    page.get_by_label("Mitigation").fill("Removed promptly; apologised.")
    page.get_by_label("Informal action", exact=True).check()
    shot(page, "14-findings")
    submit(page, "Record findings")
    sign_out(page)

    # 7. HR decides the outcome; the case closes with its letters and history.
    sign_in(page, HR)
    open_task(page, "Decide outcome")
    page.get_by_label("Close with informal action").check()
    page.get_by_label("Reasons (these go in the letter)").fill("A breach of SMP-5.5, but mitigated.")
    page.get_by_label("The informal action").fill("Complete data protection training by 31 March.")
    shot(page, "15-outcome")
    submit(page, "Record outcome")
    expect(page).to_have_url(re.compile(rf"/cases/{reference}$"))
    expect(page.locator("h1 .badge")).to_have_text("Closed")
    expect(letters(page)).to_contain_text(OUTCOME)
    timeline = page.locator("ol.timeline")
    for event in ("Letter issued", "Interview recorded", "Case closed"):
        expect(timeline).to_contain_text(event)
    if VENDOR_BUNDLE.exists():
        expect(page.locator("#case-diagram")).to_have_attribute("data-diagram-state", "ready")
    shot(page, "16-case-closed")

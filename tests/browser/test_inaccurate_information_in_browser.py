"""A report of inaccurate information [SMP-5.12] end to end in a real browser
(Chromium), by visible labels: an employee with no role reports a listing with
a screenshot (after being told a link or a screenshot is needed), a colleague
cannot open it, the line manager passes it to the Hub Manager, who decides,
and the employee reads the outcome. The app is served for real on a fresh
SQLite database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no Chromium at /usr/bin/chromium (`make test` installs it)", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

from workflows.engine import people  # noqa: E402

from .live import served_app  # noqa: E402
from .test_takedown_in_browser import PASSWORD, open_task, page, shot, sign_in, sign_out  # noqa: E402,F401

HUB, MANAGER = "grace@bcwhub.example.org", "mark@bcwhub.example.org"
REPORTER, COLLEAGUE = "sam@bcwhub.example.org", "tom@bcwhub.example.org"
SMP_5_12 = (
    "Should employees notice any inaccurate information about BCW Hub online, "
    "they should report this to their line manager in the first instance."
)
NEED_ONE = "Give a link to it or attach a screenshot: one of the two is enough."


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    def seed(db):
        hub = people.create_user(db, email=HUB, name="Grace Okafor", password=PASSWORD, roles=("hub_manager",))
        manager = people.create_user(
            db, email=MANAGER, name="Mark Taylor", password=PASSWORD, roles=("manager",), line_manager=hub
        )
        people.create_user(db, email=REPORTER, name="Sam Wright", password=PASSWORD, line_manager=manager)
        people.create_user(db, email=COLLEAGUE, name="Tom Baker", password=PASSWORD, line_manager=manager)

    with served_app(tmp_path_factory.mktemp("browser-inaccurate"), seed) as url:
        yield url


def decide(page, decision: str, reasons: str) -> None:
    page.get_by_label(decision).check()
    page.get_by_label("What will be done, or why not").fill(reasons)
    page.get_by_role("button", name="Record the decision").click()


def test_a_report_goes_from_the_employee_to_the_hub_manager_and_back(page, tmp_path):
    # 1. Sam, with no role, reports; without a link or a screenshot he is told one is needed.
    sign_in(page, REPORTER)
    page.get_by_role("link", name="Report inaccurate information").click()
    expect(page.get_by_role("heading", name="Report inaccurate information")).to_be_visible()
    expect(page.locator("blockquote", has_text="[SMP-5.12]")).to_contain_text(SMP_5_12)
    expect(page.get_by_text("your line manager, Mark Taylor")).to_be_visible()
    page.get_by_label("Where you saw it").select_option("Google (Maps, search or reviews)")
    page.get_by_label("What is inaccurate").fill("The listing says the Tuesday drop-in has closed.")
    page.get_by_label("What is correct, if you know").fill("It runs every Tuesday, 10:00 to 14:00.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text(NEED_ONE)).to_have_count(2)
    expect(page.get_by_label("What is inaccurate")).to_have_value("The listing says the Tuesday drop-in has closed.")
    shot(page, "ir-1-report-error")
    screenshot = tmp_path / "listing.png"
    page.screenshot(path=screenshot)
    page.get_by_label("Screenshot").set_input_files(screenshot)
    page.get_by_role("button", name="Send the report").click()

    # 2. The case is open, waiting for Mark; Sam sees his report and the policy, not the working.
    expect(page).to_have_url(re.compile(r"/cases/IR-2026-\d{4}$"))
    reference = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("status")).to_contain_text("has gone to your line manager, Mark Taylor")
    # In his words, not his line manager's step name (he has no step of his own).
    expect(page.locator("h1 .badge")).to_have_text("Your report is with your line manager")
    expect(page.locator(".alert-info")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Decide what to do about the report")
    expect(page.get_by_role("link", name="listing.png")).to_be_visible()
    shot(page, "ir-2-case-open")
    sign_out(page)

    # 3. Tom, a colleague with the same line manager, cannot open it.
    sign_in(page, COLLEAGUE)
    page.goto(f"/cases/{reference}")
    expect(page.get_by_text("You do not have access to this case.")).to_be_visible()
    page.goto("/")
    sign_out(page)

    # 4. Mark passes it to the Hub Manager, after being asked for his reasons.
    sign_in(page, MANAGER)
    open_task(page, "Decide what to do about the report")
    expect(page.get_by_text("The listing says the Tuesday drop-in has closed.")).to_be_visible()
    page.get_by_label("Pass it to the Hub Manager").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Say what will be done, or why not: the person reporting is told.")).to_be_visible()
    expect(page.get_by_label("Pass it to the Hub Manager")).to_be_checked()
    decide(page, "Pass it to the Hub Manager", "Grace owns our public listings.")
    expect(page.get_by_role("status")).to_contain_text("'Decide what to do about the report' recorded.")
    expect(page.locator("h1 .badge")).to_have_text("With the Hub Manager")
    sign_out(page)

    # 5. Grace decides: BCW Hub corrects it through its own channels.
    sign_in(page, HUB)
    open_task(page, "Decide on the passed-on report")
    expect(page.get_by_text("Grace owns our public listings.")).to_be_visible()
    decide(page, "Correct it through BCW Hub's own channels", "I will update the listing today.")
    expect(page.locator("h1 .badge")).to_have_text("Closed")
    shot(page, "ir-3-decided")
    sign_out(page)

    # 6. Sam reads the outcome on his case.
    sign_in(page, REPORTER)
    page.goto(f"/cases/{reference}")
    page.get_by_text("The outcome of the report of inaccurate information").click()
    expect(page.locator(".notice-body").last).to_contain_text("I will update the listing today.")
    expect(page.get_by_text("Hub Manager's decision")).to_be_visible()
    shot(page, "ir-4-outcome")

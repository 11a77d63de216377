"""The People pages in a real browser (Chromium): an admin adds a person,
is told beside the field that the email is taken and keeps what they typed,
adds them, then gives them a role; axe-core checks every page; HR is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no Chromium at /usr/bin/chromium (`make test` installs it)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from workflows.engine import people  # noqa: E402

from .live import accessible, served  # noqa: E402
from .test_takedown_in_browser import CHROMIUM_ARGS, PASSWORD, sign_in, sign_out  # noqa: E402

ADMIN, HR, MANAGER = "ada@bcwhub.example.org", "hana@bcwhub.example.org", "mark@bcwhub.example.org"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    def seed(db):
        people.create_user(db, email=ADMIN, name="Ada Admin", password=PASSWORD, roles=("admin",))
        people.create_user(db, email=HR, name="Hana Hussain", password=PASSWORD, roles=("hr",))
        people.create_user(db, email=MANAGER, name="Mark Taylor", password=PASSWORD, roles=("manager",))

    with served(tmp_path_factory.mktemp("browser-people"), seed) as live:
        yield live


@pytest.fixture(scope="module")
def page(live):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live.url, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        with accessible(page):
            yield page
        context.close()
        browser.close()


def test_an_admin_adds_a_person_and_gives_them_a_role_and_hr_is_refused(page):
    sign_in(page, ADMIN)
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Name", exact=True).fill("Priya Patel")
    page.get_by_label("Email", exact=True).fill(MANAGER)  # taken
    page.get_by_label("Job title").fill("Youth worker")
    page.get_by_label("Line manager", exact=True).select_option(label="Mark Taylor")
    page.get_by_role("button", name="Add them and email a link").click()
    expect(page.get_by_text("already has the email mark@bcwhub.example.org")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Priya Patel")
    expect(page.get_by_label("Job title")).to_have_value("Youth worker")
    page.get_by_label("Email", exact=True).fill("priya@bcwhub.example.org")
    page.get_by_role("button", name="Add them and email a link").click()
    expect(page.get_by_text("Priya Patel was added and emailed a link")).to_be_visible()
    page.get_by_label("HR: opens breach cases").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Priya Patel's details were saved.")).to_be_visible()
    page.get_by_role("link", name="People", exact=True).first.click()
    row = page.get_by_role("row", name="Priya Patel")
    expect(row.get_by_role("cell").nth(3)).to_have_text("HR")
    expect(row.get_by_role("cell").nth(4)).to_have_text("Mark Taylor")
    sign_out(page)
    sign_in(page, HR)
    expect(page.get_by_role("navigation").get_by_role("link", name="People")).to_have_count(0)
    response = page.goto("/admin/people/")
    assert response.status == 403

"""The dashboard in a real browser (Chromium): HR opens it, reads a count in
its table, follows the number to the case list it names and finds exactly
those cases (the open work, and a takedown removed within its deadline);
axe-core checks every page; a manager is refused it."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no Chromium at /usr/bin/chromium (`make test` installs it)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.conftest import START  # noqa: E402
from tests.factories import make_takedown  # noqa: E402
from tests.workflows.helpers import complete  # noqa: E402
from workflows.engine import clock, people  # noqa: E402
from workflows.engine.context import Context, Settings  # noqa: E402
from workflows.engine.specs import ProcessLibrary  # noqa: E402

from .live import accessible, served  # noqa: E402
from .test_takedown_in_browser import CHROMIUM_ARGS, PASSWORD, shot, sign_in, sign_out  # noqa: E402

HR, MANAGER = "hana@bcwhub.example.org", "mark@bcwhub.example.org"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-dashboard")

    def seed(db):
        people.create_user(db, email=HR, name="Hana Hussain", password=PASSWORD, roles=("hr",))
        manager = people.create_user(db, email=MANAGER, name="Mark Taylor", password=PASSWORD, roles=("manager",))
        ellie = people.create_user(db, email="ellie@bcwhub.example.org", name="Ellie Jones", password=PASSWORD)
        ctx = Context(db, ProcessLibrary(), Settings(evidence_dir=tmp / "evidence"))
        clock.freeze(START)  # the test's own clock (conftest), so the cases are this month's and due this week
        for _ in range(3):
            make_takedown(ctx, manager, ellie)
        removed = make_takedown(ctx, manager, ellie)  # removed within its deadline, and checked
        complete(ctx, removed, "UserTask_Respond", ellie, response="removed", confirmation="Deleted it")
        complete(ctx, removed, "UserTask_Verify", manager, verification="removed")

    with served(tmp, seed) as live:
        yield live


@pytest.fixture(scope="module")
def page(live):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        # Reduced motion: Bootstrap then draws no colour transitions, so axe-core reads a button's
        # settled colours, never a hover still fading in under the pointer (a false contrast failure).
        context = browser.new_context(
            base_url=live.url, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        with accessible(page):
            yield page
        context.close()
        browser.close()


def test_hr_follows_a_count_to_the_cases_it_counts_and_a_manager_is_refused(page, tmp_path):
    sign_in(page, HR)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    section = page.get_by_role("region", name="Open cases by procedure")
    row = section.get_by_role("row", name="Takedown request")
    expect(row.get_by_role("cell").nth(1)).to_have_text("3")
    due = page.get_by_role("region", name="Steps overdue and due this week, by who they wait on")
    expect(due.get_by_role("row", name="Ellie Jones").get_by_role("cell").nth(2)).to_have_text("3")
    shot(page, "dashboard")
    row.get_by_role("link", name="3").click()
    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    expect(page.get_by_text("3 cases.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Ellie Jones")).to_have_count(3)
    expect(page.get_by_role("status").filter(has_text="Narrowed to")).to_contain_text("open")
    page.go_back()
    compliance = page.get_by_role("region", name="Takedown compliance")
    compliance.get_by_role("row", name="Removed within the deadline").get_by_role("link", name="1").click()
    expect(page.get_by_text("1 case.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Narrowed to")).to_contain_text("removed_in_time")
    sign_out(page)
    sign_in(page, MANAGER)
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    response = page.goto("/dashboard/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="No access")).to_be_visible()

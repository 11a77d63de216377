"""One takedown request end to end in a real browser (Chromium): a manager sends
it with a screenshot, the employee removes the content, the manager verifies it,
and the case closes. The app is served for real on a fresh SQLite database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no Chromium at /usr/bin/chromium (`make test` installs it)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from workflows.engine import people  # noqa: E402

from .live import accessible, served_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
VENDOR_BUNDLE = ROOT / "webapp/static/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js"
SHOTS = Path("/tmp/browser-shots")
PASSWORD = "a long password for the browser test"
MANAGER, EMPLOYEE = "mark@bcwhub.example.org", "ellie@bcwhub.example.org"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SMP_5_8 = (
    "Employees and volunteers must remove any offending content immediately if they are asked to do so by BCW Hub."
)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    def seed(db):
        manager = people.create_user(db, email=MANAGER, name="Mark Taylor", password=PASSWORD, roles=("manager",))
        people.create_user(db, email=EMPLOYEE, name="Ellie Jones", password=PASSWORD, line_manager=manager)

    with served_app(tmp_path_factory.mktemp("browser"), seed) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        # Reduced motion: Bootstrap then draws no colour transitions, so axe-core reads a button's
        # settled colours, never a hover still fading in under the pointer (a false contrast failure).
        context = browser.new_context(
            base_url=base_url, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
        )
        context.set_default_timeout(20_000)  # a step may wait for the last page's axe-core check
        page = context.new_page()
        with accessible(page):  # axe-core on every page the journey visits
            yield page
        context.close()
        browser.close()


def sign_in(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My tasks")).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def open_task(page, title):
    page.get_by_role("navigation").get_by_role("link", name="My tasks").click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def diagram_is_legible(page):
    """Shown at reading size (not shrunk to page width), zoomable by buttons,
    and no label broken mid-word ("Remove d")."""
    diagram = page.locator("#case-diagram")
    zoom = float(diagram.get_attribute("data-zoom"))
    assert zoom >= 0.8, zoom
    for label in ("Flow_Response_Removed_label", "Flow_Verified_Removed_label", "Gateway_Response_label"):
        expect(diagram.locator(f'[data-element-id="{label}"] tspan')).to_have_count(1)
    page.get_by_role("button", name="Zoom in").click()
    expect(diagram).not_to_have_attribute("data-zoom", f"{zoom:.2f}")
    assert float(diagram.get_attribute("data-zoom")) > zoom
    page.get_by_role("button", name="Whole diagram").click()
    page.get_by_role("button", name="Zoom out").click()
    assert float(diagram.get_attribute("data-zoom")) < zoom


def test_a_takedown_request_goes_from_request_to_closed_case(page, tmp_path):
    # 1-2. The manager fills in the request and attaches a real screenshot.
    sign_in(page, MANAGER)
    page.get_by_role("link", name="New takedown request").click()
    expect(page.get_by_role("heading", name="New takedown request")).to_be_visible()
    screenshot = tmp_path / "evidence.png"
    page.screenshot(path=screenshot)
    page.get_by_label("Who posted it").select_option(label="Ellie Jones (employee)")
    page.get_by_label("Platform").select_option("Facebook")
    page.get_by_label("Link(s) to the content").fill("https://facebook.com/posts/1\nhttps://facebook.com/posts/2")
    page.locator('input[name="clauses"][value="SMP-5.6"]').check()
    page.get_by_label("Why it must come down").fill("Derogatory comments about a service user.")
    expect(page.get_by_label("Hours to respond")).to_have_value("24")
    page.get_by_label("Screenshot or file of the content").set_input_files(screenshot)
    shot(page, "1-new-request")
    page.get_by_role("button", name="Send takedown request").click()

    # 3. The new case is open, waiting for the employee.
    expect(page).to_have_url(re.compile(r"/cases/TD-2026-\d{4}$"))
    reference = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator("h1 .badge")).to_have_text("Open")
    expect(page.locator(".alert-info")).to_contain_text("Current step: Respond to takedown notice")
    shot(page, "2-case-open")
    sign_out(page)

    # 4. The employee reads the notice, tries to dispute without reasons, then removes it.
    sign_in(page, EMPLOYEE)
    shot(page, "3-employee-tasks")
    open_task(page, "Respond to takedown notice")
    expect(page.locator("blockquote", has_text="[SMP-5.8]")).to_contain_text(SMP_5_8)
    expect(page.get_by_text("Tue 3 Mar 2026, 09:00").first).to_be_visible()
    page.get_by_label("I dispute this request").check()
    page.get_by_role("button", name="Send my response").click()
    expect(page.get_by_text("Tell us your reasons.")).to_be_visible()
    expect(page.get_by_label("I dispute this request")).to_be_checked()
    shot(page, "4-respond-error")
    page.get_by_label("I have removed the content").check()
    page.get_by_role("button", name="Send my response").click()
    expect(page.get_by_role("status")).to_contain_text("'Respond to takedown notice' recorded.")
    shot(page, "5-employee-case")
    sign_out(page)

    # 5. The manager checks the content is gone.
    sign_in(page, MANAGER)
    open_task(page, "Verify removal")
    page.get_by_label("Checked: the content has been removed").check()
    shot(page, "6-verify")
    page.get_by_role("button", name="Record verification").click()

    # 6. The case is closed, with its history and its diagram.
    expect(page).to_have_url(re.compile(rf"/cases/{reference}$"))
    expect(page.locator("h1 .badge")).to_have_text("Closed")
    timeline = page.locator("ol.timeline")
    for event in ("Case opened", "Task completed", "Case closed"):
        expect(timeline).to_contain_text(event)
    if VENDOR_BUNDLE.exists():
        expect(page.locator("#case-diagram")).to_have_attribute("data-diagram-state", "ready", timeout=10_000)
        diagram_is_legible(page)
    shot(page, "7-case-closed")

"""The tribunal bundle in Chromium: HR opens it from the case page, is told
beside the field that a reason is needed, gives one, and downloads the PDF."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from workflows.demo import DEMO_PNG
from workflows.engine import clock, people
from workflows.engine.context import Context, Settings
from workflows.engine.evidence import store_upload
from workflows.engine.specs import ProcessLibrary
from workflows.procedures.breach.opening import BreachReport, open_breach

from .live import served_app

# Reused, with the module-scoped `page` fixture (it browses this module's base_url).
# This import skips the module when there is no Chromium, so it comes before Playwright's.
from .test_takedown_in_browser import EMPLOYEE, PASSWORD, page, sign_in  # noqa: F401

HR = "hana@bcwhub.example.org"
REASON = "Employment tribunal claim 3301234/2026"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-bundle")

    def seed(db):
        hr = people.create_user(db, email=HR, name="Hana Hussain", password=PASSWORD, roles=("hr",))
        ellie = people.create_user(db, email=EMPLOYEE, name="Ellie Jones", password=PASSWORD)
        ctx = Context(db, ProcessLibrary(), Settings(evidence_dir=tmp / "evidence"))
        shot = store_upload(ctx.settings, BytesIO(DEMO_PNG), "post.png", hr, "The post", clock.now())
        report = BreachReport(
            subject=ellie, source="manager_report", clauses=["SMP-5.5"], description="A photo.", evidence=[shot]
        )
        open_breach(ctx, hr, report)

    with served_app(tmp, seed) as url:
        yield url


def test_hr_exports_a_bundle_after_being_told_it_needs_a_reason(page):
    sign_in(page, HR)
    page.get_by_role("navigation").get_by_role("link", name="Cases").click()
    page.get_by_role("main").get_by_role("link", name=re.compile(r"^BI-\d{4}-\d+$")).click()
    page.get_by_role("link", name="Tribunal bundle").click()
    expect(page.get_by_role("heading", name="Export a tribunal bundle")).to_be_visible()
    page.get_by_role("button", name="Export the bundle (PDF)").click()
    expect(page.locator("#reason-error")).to_contain_text("Say why the bundle is exported")
    page.get_by_label("Why is it exported?").fill(REASON)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export the bundle (PDF)").click()
    reader = PdfReader(download.value.path())
    index = " ".join(reader.pages[0].extract_text().split())
    assert f"for: {REASON}" in index and f"{len(reader.pages)} pages in all" in index
    assert "1. Evidence: post.png" in index

"""The tribunal bundle's page (webapp/cases/bundle.py): HR only, a reason
required (refused beside the field), every export and every refusal audited."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from models import AuditEvent
from tests.workflows.engine.bundle_scenario import linked_cases

REASON = "Employment tribunal claim 3301234/2026: the respondent's bundle."


@pytest.fixture
def world(ctx, db):
    return linked_cases(ctx, db)


def events(db, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def beside(html: str, field: str, following: str) -> str:
    return html[html.index(f'name="{field}"') : html.index(f'name="{following}"')]


def test_hr_finds_the_button_on_the_case_page_and_gets_the_pdf(db, web, world):
    web.login(world.hr)
    url = f"/cases/{world.investigation.reference}/bundle"
    assert f'href="{url}"' in web.text(f"/cases/{world.investigation.reference}")
    page = web.text(url)
    assert world.takedown.reference in page and world.investigation.reference in page  # what it will hold
    response = web.submit(url, {"reason": REASON})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"{world.investigation.reference}-tribunal-bundle.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(BytesIO(response.data))
    index = " ".join(" ".join(p.extract_text().split()) for p in reader.pages[:3])  # the index may run over
    assert f"{len(reader.pages)} pages in all" in index and world.takedown.reference in index
    exported = events(db, "bundle_exported")
    assert {e.case_id for e in exported} == {world.takedown.id, world.investigation.id}
    assert all(e.actor_id == world.hr.id and e.data["reason"] == REASON for e in exported)


def test_a_bundle_without_a_reason_comes_back_with_the_message_beside_the_reason(db, web, world):
    web.login(world.hr)
    url = f"/cases/{world.investigation.reference}/bundle"
    response = web.submit(url, {"reason": "   "})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Say why the bundle is exported" in beside(html, "reason", "submit")
    assert 'id="reason-error"' in beside(html, "reason", "submit") and 'aria-describedby="reason-error"' in html
    assert events(db, "bundle_exported") == []


def test_a_reason_too_long_comes_back_with_what_was_typed(db, web, world):
    web.login(world.hr)
    typed = "Claim 3301234/2026. " * 120  # 2,400 characters
    response = web.submit(f"/cases/{world.investigation.reference}/bundle", {"reason": typed})
    html = response.get_data(as_text=True)
    assert "at most 2,000 characters" in beside(html, "reason", "submit").lower()
    assert typed.strip() in html
    assert events(db, "bundle_exported") == []


@pytest.mark.parametrize("who", ["investigator", "manager", "employee"])
def test_nobody_but_hr_may_export_and_each_try_is_audited(db, web, world, who):
    person = getattr(world, who)
    web.login(person)
    url = f"/cases/{world.investigation.reference}/bundle"
    if who == "investigator":  # a party who reads the case file, but not HR: no button
        assert f'href="{url}"' not in web.text(f"/cases/{world.investigation.reference}")
    assert web.client.get(url).status_code == 403
    token = web.token("/")
    assert web.client.post(url, data={"reason": REASON, "csrf_token": token}).status_code == 403
    refused = [e for e in events(db, "access_denied") if e.actor_id == person.id]
    assert len(refused) == 2 and all(e.case_id == world.investigation.id for e in refused)
    assert events(db, "bundle_exported") == []


def test_a_missing_case_has_no_bundle(web, world):
    web.login(world.hr)
    assert web.client.get("/cases/BI-2026-9999/bundle").status_code == 404

"""HR's data-protection pages (webapp/retention): what falls due within 90
days and its holds, refused holds with the message beside the reason, and
who looked at a person's cases; and who must not see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, LegalHold
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.engine.test_retention import closed_takedown
from workflows.engine import clock, holds, retention

PAGE = "/data-protection/retention"


@pytest.fixture
def due(ctx, db):
    """A takedown closed six years ago less sixty days: due within 90 days."""
    case = closed_takedown(ctx, db, "Ellie Jones")
    clock.advance(timedelta(days=6 * 365 - 60))
    return case


@pytest.fixture
def hana(db):
    return make_hr(db, "Hana Hussain")


def reason_field(html: str, prefix: str) -> str:
    """The reason's field and what follows it up to its button: where its message goes."""
    start = html.index(f'name="{prefix}-reason"')
    return html[start : html.index(f'name="{prefix}-submit"', start)]


def test_hr_sees_what_falls_due_and_holds_it(db, web, due, hana):
    web.login(hana)
    html = web.text(PAGE)
    assert due.reference in html and "Falling due in the next 90 days" in html
    key = f"case{due.id}"
    response = web.submit(f"/data-protection/cases/{due.reference}/hold", {f"{key}-reason": "  "}, form_page=PAGE)
    assert response.status_code == 200
    assert "Say why the hold is needed" in reason_field(response.get_data(as_text=True), key)
    assert db.scalar(select(LegalHold.id)) is None
    done = web.submit(
        f"/data-protection/cases/{due.reference}/hold", {f"{key}-reason": "Tribunal claim ET/1"}, form_page=PAGE
    )
    assert done.status_code == 302
    hold = db.scalar(select(LegalHold))
    assert (hold.case_id, hold.reason, hold.set_by_id) == (due.id, "Tribunal claim ET/1", hana.id)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "legal_hold_set"))
    assert event.case_id == due.id and event.data["reason"] == "Tribunal claim ET/1"
    assert "Kept: a legal hold is in force" in web.text(PAGE)


def test_a_lift_without_a_reason_is_refused_beside_the_field(ctx, db, web, due, hana):
    hold = holds.set_on_case(ctx, hana, due, "A claim.")
    web.login(hana)
    key, url = f"lift{hold.id}", f"/data-protection/holds/{hold.id}/lift"
    response = web.submit(url, {f"{key}-reason": ""}, form_page=PAGE)
    assert "Say why the hold can be lifted" in reason_field(response.get_data(as_text=True), key)
    assert hold.in_force
    assert web.submit(url, {f"{key}-reason": "Settled."}, form_page=PAGE).status_code == 302
    db.refresh(hold)
    assert not hold.in_force and hold.lift_reason == "Settled."


def test_a_person_hold_needs_a_person_and_a_reason_and_keeps_what_was_typed(db, web, due, hana):
    web.login(hana)
    url = "/data-protection/people/hold"
    no_person = web.submit(url, {"person-person": "0", "person-reason": "A claim."}, form_page=PAGE)
    html = no_person.get_data(as_text=True)
    assert no_person.status_code == 200 and "A claim.</textarea>" in html
    no_reason = web.submit(url, {"person-person": str(due.subject_id), "person-reason": ""}, form_page=PAGE)
    assert "Say why the hold is needed" in reason_field(no_reason.get_data(as_text=True), "person")
    assert db.scalar(select(LegalHold.id)) is None
    web.submit(url, {"person-person": str(due.subject_id), "person-reason": "A county court claim."}, form_page=PAGE)
    assert db.scalar(select(LegalHold.person_id)) == due.subject_id
    assert "Kept: a legal hold is in force" in web.text(PAGE)


def test_only_hr_reaches_the_retention_page_and_its_holds(ctx, db, web, due, hana):
    hold = holds.set_on_case(ctx, hana, due, "A claim.")
    web.login(make_manager(db, "Mo Manager"))
    assert web.client.get(PAGE).status_code == 403
    assert web.submit(f"/data-protection/cases/{due.reference}/hold", {}, form_page="/").status_code == 403
    assert web.submit(f"/data-protection/holds/{hold.id}/lift", {}, form_page="/").status_code == 403
    assert web.submit("/data-protection/people/hold", {}, form_page="/").status_code == 403
    assert hold.in_force
    refused = db.scalars(select(AuditEvent.data).where(AuditEvent.action == "access_denied")).all()
    assert any("legal hold" in d["attempted"] for d in refused)


def test_hr_sees_who_looked_at_a_persons_cases_and_why(ctx, db, web, due, hana):
    subject = db.get(type(hana), due.subject_id)
    web.login(subject)
    web.text(f"/cases/{due.reference}")
    web.logout()
    web.login(hana)
    web.text(f"/cases/{due.reference}")
    html = web.text(f"/data-protection/people/{subject.id}/reads")
    assert "Ellie Jones (their own case)" in html and "Hana Hussain" in html
    assert "the case file (notes, statements, evidence)" in html  # HR saw the case file; Ellie did not
    assert web.client.get(f"/data-protection/people/{hana.id}/reads").status_code == 403  # never their own
    assert web.client.get("/data-protection/people/2147483647/reads").status_code == 404


def test_nobody_but_hr_sees_who_looked(db, web, due):
    web.login(make_user(db, "Mark Other"))
    assert web.client.get(f"/data-protection/people/{due.subject_id}/reads").status_code == 403


def test_an_anonymised_case_page_shows_its_skeleton_and_no_one(ctx, db, web, due, hana):
    clock.advance(timedelta(days=70))
    assert retention.anonymise_due(ctx) == 1
    web.login(hana)
    html = web.text(f"/cases/{due.reference}")
    assert "Takedown request (anonymised)" in html and "SMP-5.6" in html
    for words in ("Ellie", "Mark Taylor", "a photo of a service user", "deleted it"):
        assert words not in html
    assert due.reference not in web.text(PAGE)  # done: no longer falling due

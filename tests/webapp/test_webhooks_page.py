"""The webhooks page, for admins: subscribe (the secret shown once), a refused
form keeps what was typed, deliveries listed with their state; nobody else."""

from __future__ import annotations

from sqlalchemy import func, select

from models import AuditEvent, WebhookSubscription
from tests.factories import make_hr, make_manager, make_takedown, make_user


def test_an_admin_subscribes_and_sees_each_delivery_and_its_state(web, ctx, db):
    web.login(make_user(db, "Ada Admin", roles=("admin",)))
    page = web.submit("/admin/webhooks/", {"url": "https://hr.example.org/hook", "events": ["case_opened"]}).get_data(
        as_text=True
    )
    row = db.scalar(select(WebhookSubscription))
    assert row.secret in page and "shown only now" in page
    assert row.secret not in web.text("/admin/webhooks/")
    make_takedown(ctx, make_manager(db), make_user(db, "Ellie Jones"))
    listed = web.text("/admin/webhooks/")
    assert "A case is opened" in listed and "Queued" in listed


def test_a_refused_subscription_says_why_beside_the_field_and_keeps_the_address(web, db):
    web.login(make_user(db, "Ada Admin", roles=("admin",)))
    page = web.submit("/admin/webhooks/", {"url": "http://example.org/hook", "events": []}).get_data(as_text=True)
    assert "Choose at least one." in page and 'value="http://example.org/hook"' in page
    page = web.submit("/admin/webhooks/", {"url": "http://example.org/hook", "events": ["case_closed"]}).get_data(
        as_text=True
    )
    assert "Give an https:// address" in page and 'value="http://example.org/hook"' in page
    assert db.scalar(select(func.count()).select_from(WebhookSubscription)) == 0


def test_hr_cannot_open_the_webhooks_page_and_the_refusal_is_recorded(web, db):
    hr = make_hr(db)
    web.login(hr)
    assert web.client.get("/admin/webhooks/").status_code == 403
    denied = db.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied"))
    assert denied.actor_id == hr.id and denied.data["attempted"] == "opened the webhooks page"

"""Outbound webhooks, to a real HTTP server on this machine: queued with the
operation that made the event (nothing for what rolled back), signed with the
subscription's key, carrying ids and event names only, retried after a
failure with back-off, and given up after the last attempt."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from models import WebhookDelivery
from tests.factories import make_manager, make_takedown, make_user
from tests.workflows.helpers import complete
from workflows.engine import clock, webhooks
from workflows.engine.errors import InvalidInput


class Receiver:
    """Records each delivery; answers with the next status in `answers` (then 200)."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


def _subscribed(db, receiver, events=("case_opened", "step_waiting", "step_completed", "case_closed")):
    admin = make_user(db, "Ada Admin", roles=("admin",))
    return webhooks.subscribe(db, admin, receiver.url, list(events))


def test_a_delivery_is_signed_and_names_only_ids_and_events(ctx, db, receiver):
    _subscription, secret = _subscribed(db, receiver, events=("case_opened", "step_waiting"))
    case = make_takedown(ctx, make_manager(db), make_user(db, "Ellie Jones"))
    db.commit()
    assert webhooks.send_due(db) == 2
    events = []
    for headers, body in receiver.received:
        assert headers["x-bcw-signature"] == webhooks.signature(secret, body)
        assert headers["x-bcw-signature"] != webhooks.signature("another key", body)
        payload = json.loads(body)
        assert payload["case"] == {"id": case.id, "reference": case.reference, "procedure": case.kind}
        assert set(payload) <= {"event", "occurred_at", "case", "step", "task_id"}
        assert "Ellie" not in body.decode() and case.title not in body.decode()
        events.append((headers["x-bcw-event"], payload["event"]))
    assert events == [("case_opened", "case_opened"), ("step_waiting", "step_waiting")]
    assert webhooks.send_due(db) == 0  # each once


def test_a_failed_delivery_is_tried_again_after_its_wait_then_given_up(ctx, db, receiver):
    _subscribed(db, receiver, events=("case_opened",))
    make_takedown(ctx, make_manager(db), make_user(db, "Ellie Jones"))
    db.commit()
    receiver.answers = [500]
    assert webhooks.send_due(db) == 0
    row = db.scalar(select(WebhookDelivery))
    db.refresh(row)
    assert (row.state, row.last_status, row.attempts) == ("retrying", 500, 1)
    assert webhooks.send_due(db) == 0 and len(receiver.received) == 1  # not before its wait
    clock.advance(timedelta(minutes=1, seconds=1))
    assert webhooks.send_due(db) == 1
    first, second = receiver.received
    assert first[0]["x-bcw-delivery"] == second[0]["x-bcw-delivery"] and first[1] == second[1]
    db.refresh(row)
    assert row.state == "delivered"


def test_an_address_that_never_answers_well_is_given_up_after_the_last_attempt(ctx, db, receiver):
    _subscribed(db, receiver, events=("case_opened",))
    make_takedown(ctx, make_manager(db), make_user(db, "Ellie Jones"))
    db.commit()
    receiver.answers = [503] * webhooks.MAX_ATTEMPTS
    for wait in (timedelta(0), *webhooks.RETRY_AFTER):
        clock.advance(wait + timedelta(seconds=1))
        webhooks.send_due(db)
    row = db.scalar(select(WebhookDelivery))
    db.refresh(row)
    assert (row.state, row.attempts, len(receiver.received)) == ("failed", webhooks.MAX_ATTEMPTS, 5)
    clock.advance(timedelta(days=1))
    assert webhooks.send_due(db) == 0 and len(receiver.received) == 5


def test_steps_completed_and_a_closed_case_are_announced_and_rolled_back_work_is_not(ctx, db, receiver):
    subscription, _secret = _subscribed(db, receiver, events=("step_completed", "case_closed"))
    manager, subject = make_manager(db), make_user(db, "Ellie Jones")
    case = make_takedown(ctx, manager, subject)
    complete(ctx, case, "UserTask_Respond", subject, response="removed")
    complete(ctx, case, "UserTask_Verify", manager, verification="removed")
    db.commit()
    webhooks.send_due(db)
    announced = [(json.loads(body)["event"], json.loads(body).get("step")) for _h, body in receiver.received]
    assert announced == [
        ("step_completed", "UserTask_Respond"),
        ("step_completed", "UserTask_Verify"),
        ("case_closed", None),
    ]
    nested = db.begin_nested()
    make_takedown(ctx, manager, subject)
    nested.rollback()
    assert db.scalar(select(WebhookDelivery).where(WebhookDelivery.delivered_at.is_(None))) is None
    webhooks.end(db, make_user(db, "Ada Two", roles=("admin",)), subscription.id)
    complete(ctx, make_takedown(ctx, manager, subject), "UserTask_Respond", subject, response="removed")
    assert db.scalar(select(WebhookDelivery).where(WebhookDelivery.delivered_at.is_(None))) is None


@pytest.mark.parametrize(
    ("url", "events", "field"),
    [
        ("ftp://example.org/hook", ["case_opened"], "url"),
        ("http://example.org/hook", ["case_opened"], "url"),
        ("https://example.org/hook", [], "events"),
        ("https://example.org/hook", ["case_deleted"], "events"),
    ],
)
def test_a_subscription_it_cannot_serve_is_refused_naming_the_field(db, url, events, field):
    with pytest.raises(InvalidInput) as refused:
        webhooks.subscribe(db, make_user(db, "Ada Admin", roles=("admin",)), url, events)
    assert refused.value.field == field

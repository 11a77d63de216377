"""Queued emails leave through real SMTP (an in-process aiosmtpd server)."""

from __future__ import annotations

import socket
from datetime import UTC

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select

from models import AuditEvent, OutboxMessage
from tests.factories import make_hr, make_manager, make_takedown, make_user
from workflows.engine.outbox import MailSettings, send_pending


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, MailSettings(host="127.0.0.1", port=controller.port)
    controller.stop()


def test_the_worker_sends_the_notice_over_smtp_and_audits_it(ctx, db, smtp):
    inbox, mail = smtp
    employee = make_user(db, "Ellie Jones")
    case = make_takedown(ctx, make_manager(db), employee)
    assert send_pending(db, mail) == 1
    [message] = inbox.messages
    assert message["To"] == f"Ellie Jones <{employee.email}>"
    assert case.reference in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert "must remove any offending content immediately" in body
    assert "Tuesday 3 March 2026 at 09:00 (UK time)" in body
    assert f"http://casework.test/cases/{case.reference}" in body
    sent = db.scalar(select(AuditEvent).where(AuditEvent.action == "notification_sent"))
    assert sent.case_id == case.id and sent.data["to"] == employee.email
    assert send_pending(db, mail) == 0  # nothing is sent twice


def test_a_failed_send_is_kept_for_retry(ctx, db):
    make_takedown(ctx, make_manager(db), make_user(db))
    nowhere = MailSettings(host="127.0.0.1", port=free_port())  # nothing listens here
    assert send_pending(db, nowhere) == 0
    message = db.scalar(select(OutboxMessage))
    assert message.sent_at is None and message.attempts == 1 and message.last_error


def test_british_summer_time_deadlines_are_shown_in_london_time(ctx, db, frozen_clock):
    from datetime import datetime

    frozen_clock.freeze(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    make_hr(db)
    make_takedown(ctx, make_manager(db), make_user(db))
    body = db.scalar(select(OutboxMessage.body))
    assert "Thursday 2 July 2026 at 10:00 (UK time)" in body  # 09:00 UTC is 10:00 BST

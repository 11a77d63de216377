"""Queued emails leave through real SMTP (an in-process aiosmtpd server),
each under the Message-ID its outbox row keeps."""

from __future__ import annotations

import smtplib
from datetime import UTC, timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import func, select

from models import AuditEvent, OutboxMessage
from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.mailserver import MailServer, free_port
from workflows.engine import clock, outbox
from workflows.engine.outbox import LEASE, MAX_ATTEMPTS, RETRY_AFTER, MailSettings, send_pending


@pytest.fixture
def smtp():
    with MailServer() as server:
        yield server.inbox, MailSettings(host="127.0.0.1", port=server.port)


def _notices(ctx, db, count: int) -> list[OutboxMessage]:
    manager = make_manager(db)
    for _ in range(count):
        make_takedown(ctx, manager, make_user(db, line_manager=manager))
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _sent_events(db) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "notification_sent"))


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


def test_names_and_text_outside_ascii_arrive_as_written(ctx, db, smtp):
    inbox, mail = smtp
    employee = make_user(db, "Zoë Ångström-Łukasz")
    employee.email = "zoe.angstrom@bcwhub.test"
    make_takedown(ctx, make_manager(db), employee)
    row = db.scalar(select(OutboxMessage))
    row.subject, row.body = f"Überprüfung: {row.subject}", f"{row.body}\nZoë — “quoted” €\n"
    assert send_pending(db, mail) == 1
    [message] = inbox.messages
    assert str(make_header(decode_header(message["To"]))) == f"Zoë Ångström-Łukasz <{employee.email}>"
    assert str(make_header(decode_header(message["Subject"]))) == row.subject
    body = message.get_payload(decode=True).decode("utf-8")
    assert body.replace("\r\n", "\n").endswith("Zoë — “quoted” €\n")


def test_a_message_that_cannot_be_composed_fails_alone(ctx, db, smtp):
    """An address outside ASCII, which smtplib cannot put in a header: it used
    to stop the worker; now it is that message's failure, and the rest go."""
    inbox, mail = smtp
    rows = _notices(ctx, db, 2)
    rows[0].to_email = "zoë@bcwhub.test"
    assert send_pending(db, mail) == 1
    assert [m["Message-ID"] for m in inbox.messages] == [rows[1].message_id]
    db.refresh(rows[0])
    assert rows[0].sent_at is None and "ascii" in rows[0].last_error


def test_each_message_goes_under_the_message_id_its_row_keeps(ctx, db, smtp):
    inbox, mail = smtp
    rows = _notices(ctx, db, 3)
    kept = [row.message_id for row in rows]
    assert len(set(kept)) == 3 and all(k.startswith("<") and k.endswith("@bcwhub.org.uk>") for k in kept)
    assert send_pending(db, mail) == 3
    assert [m["Message-ID"] for m in inbox.messages] == kept


def test_after_a_crash_between_sending_and_marking_it_goes_once_more_with_the_same_message_id(ctx, db, smtp):
    inbox, mail = smtp
    [row] = _notices(ctx, db, 1)
    batch, _lease_end = outbox._claim(db, 10)  # a sender claims it, sends it...
    with smtplib.SMTP("127.0.0.1", mail.port) as connection:
        connection.send_message(outbox.compose(mail, batch[0]))
    # ...and dies before marking it sent. Until its lease ends nobody sends it.
    assert send_pending(db, mail) == 0
    clock.advance(LEASE)
    assert send_pending(db, mail) == 1
    assert send_pending(db, mail) == 0
    clock.advance(LEASE)
    assert send_pending(db, mail) == 0
    assert [m["Message-ID"] for m in inbox.messages] == [row.message_id] * 2  # one duplicate, recognisably so
    assert _sent_events(db) == 1
    db.refresh(row)
    assert row.sent_at is not None and row.attempts == 2 and row.leased_until is None


def test_a_failed_send_is_kept_and_retried_after_a_growing_wait_then_given_up(ctx, db):
    make_takedown(ctx, make_manager(db), make_user(db))
    nowhere = MailSettings(host="127.0.0.1", port=free_port())  # nothing listens here
    message = db.scalar(select(OutboxMessage))
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert send_pending(db, nowhere) == 0
        db.refresh(message)
        assert message.sent_at is None and message.attempts == attempt and message.last_error
        if attempt < MAX_ATTEMPTS:
            wait = RETRY_AFTER[attempt - 1]
            assert message.leased_until == clock.now() + wait
            clock.advance(wait - timedelta(seconds=1))
            assert send_pending(db, nowhere) == 0 and db.scalar(select(OutboxMessage.attempts)) == attempt
            clock.advance(timedelta(seconds=1))
    clock.advance(timedelta(days=1))
    assert send_pending(db, nowhere) == 0
    db.refresh(message)
    assert message.attempts == MAX_ATTEMPTS  # given up: the row and its last error stay for the record


def test_a_refused_recipient_is_retried_later_and_the_rest_of_the_batch_still_goes(ctx, db, smtp):
    inbox, mail = smtp
    rows = _notices(ctx, db, 3)
    inbox.refuse.add(rows[1].to_email)
    assert send_pending(db, mail) == 2
    assert [m["Message-ID"] for m in inbox.messages] == [rows[0].message_id, rows[2].message_id]
    db.refresh(rows[1])
    assert rows[1].sent_at is None and "No such mailbox" in rows[1].last_error
    inbox.refuse.clear()
    clock.advance(RETRY_AFTER[0])
    assert send_pending(db, mail) == 1 and inbox.messages[-1]["Message-ID"] == rows[1].message_id


def test_a_message_is_not_started_when_its_lease_is_nearly_over(ctx, db, smtp, monkeypatch):
    """What is left of a batch once the lease runs short goes back, its attempt uncounted."""
    _inbox, mail = smtp
    rows = _notices(ctx, db, 3)
    real_send = outbox._Connection.send

    def slow_send(self, email):  # each message takes six minutes of the ten-minute lease
        real_send(self, email)
        clock.advance(timedelta(minutes=6))

    monkeypatch.setattr(outbox._Connection, "send", slow_send)
    assert send_pending(db, mail) == 1
    for row in rows[1:]:
        db.refresh(row)
        assert row.sent_at is None and row.attempts == 0 and row.leased_until is None
    assert send_pending(db, mail) == 1


def test_without_a_mail_server_the_message_goes_to_the_log(ctx, db, caplog):
    [row] = _notices(ctx, db, 1)
    with caplog.at_level("INFO", logger="workflows.engine.outbox"):
        assert send_pending(db, MailSettings()) == 1
    assert row.message_id in caplog.text and row.subject in caplog.text
    assert _sent_events(db) == 1


def test_british_summer_time_deadlines_are_shown_in_london_time(ctx, db, frozen_clock):
    from datetime import datetime

    frozen_clock.freeze(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    make_hr(db)
    make_takedown(ctx, make_manager(db), make_user(db))
    body = db.scalar(select(OutboxMessage.body))
    assert "Thursday 2 July 2026 at 10:00 (UK time)" in body  # 09:00 UTC is 10:00 BST

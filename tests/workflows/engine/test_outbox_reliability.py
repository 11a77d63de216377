"""The outbox under concurrency and faults, with sessions that really commit:
a timer worker and a sender on the same cases, two senders on one queue, a
sender killed mid-batch, and database errors on either side of a send."""

from __future__ import annotations

import logging
import random
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text, update

from models import AuditEvent, Case, OutboxMessage, make_engine, make_session_factory
from models.audit import new_message_id
from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.mailserver import MailServer
from workflows.engine import clock
from workflows.engine.context import Context
from workflows.engine.outbox import BATCH, LEASE, MailSettings, lease_statement, send_pending
from workflows.engine.timers import fire_due_timers

from ...conftest import ROOT

CASES = 60


def postgresql_only(db) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks and lock timeouts are PostgreSQL's; SQLite runs one writer at a time")


def add_unsent(db, count: int) -> None:
    now = clock.now()
    row = {"template": "t", "to_email": "e@bcwhub.test", "to_name": "E", "subject": "S", "body": "B", "created_at": now}
    db.execute(insert(OutboxMessage), [{**row, "message_id": new_message_id()} for _ in range(count)])
    db.commit()


def counts(db) -> tuple[int, int, int]:
    """Outbox rows, rows still unsent, notification_sent events."""
    rows = db.scalar(select(func.count()).select_from(OutboxMessage))
    unsent = db.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))
    events = db.scalar(select(func.count()).where(AuditEvent.action == "notification_sent"))
    return rows, unsent, events


def drain(db, mail: MailSettings) -> None:
    while send_pending(db, mail):
        db.close()


# --- a timer worker and a sender --------------------------------------------------


@pytest.fixture
def due_cases(committed, library, settings):
    """CASES takedowns, each with its notice unsent and its reminder due; the
    reminders fall due in a shuffled order, so the timer worker reaches a
    case's chain before or after the sender does, at random."""
    db = committed()
    postgresql_only(db)
    ctx = Context(db, library, settings)
    manager = make_manager(db)
    make_hr(db)
    cases = [make_takedown(ctx, manager, make_user(db, line_manager=manager)) for _ in range(CASES)]
    db.commit()
    clock.advance(timedelta(hours=12, minutes=1))
    shuffled = random.Random(7).sample([c.id for c in cases], len(cases))
    for place, case_id in enumerate(shuffled):
        db.execute(update(Case).where(Case.id == case_id).values(next_timer_at=clock.now() - timedelta(seconds=place)))
    db.commit()
    db.close()


def test_firing_and_sending_at_once_neither_deadlocks_nor_stops(committed, library, settings, due_cases, caplog):
    """The sender used to take a case's chain row, then wait for the case row
    (the audit insert's foreign key) that the timer worker held while it
    waited for that chain: PostgreSQL killed one, and `flask worker` exited."""
    errors, fired = [], []
    timers_done = threading.Event()

    def fire():
        db = committed()
        try:
            while batch := fire_due_timers(Context(db, library, settings)):
                fired.append(batch)
                db.close()
        except Exception as error:  # what escapes is what stops `flask worker`
            errors.append(error)
        finally:
            timers_done.set()

    def send(mail):
        db = committed()
        try:
            while send_pending(db, mail) or not timers_done.is_set():
                db.close()
                time.sleep(0.001)  # as the worker loop pauses between rounds, briefly
        except Exception as error:
            errors.append(error)

    with MailServer() as server:
        mail = MailSettings(host="127.0.0.1", port=server.port)
        threads = [threading.Thread(target=fire), threading.Thread(target=send, args=(mail,))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not any(t.is_alive() for t in threads), "a worker is stuck"
        received = server.inbox.message_ids()
    assert errors == []
    assert "deadlock" not in caplog.text.lower()  # neither raised nor caught and logged
    db = committed()
    assert sum(fired) == CASES
    assert db.scalar(select(func.count()).where(AuditEvent.action == "timer_failed")) == 0
    rows, unsent, events = counts(db)
    assert rows == 2 * CASES and unsent == 0  # each case's notice and its reminder
    assert len(received) == rows == events and set(received.values()) == {1}


# --- senders against each other -----------------------------------------------------


def test_three_senders_at_once_send_each_message_once(committed):
    db = committed()
    add_unsent(db, 300)
    start, errors = threading.Barrier(3), []

    def send(mail):
        own = committed()
        start.wait()
        try:
            drain(own, mail)
        except Exception as error:
            errors.append(error)

    with MailServer() as server:
        mail = MailSettings(host="127.0.0.1", port=server.port)
        threads = [threading.Thread(target=send, args=(mail,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        received = server.inbox.message_ids()
    assert errors == []
    assert counts(db) == (300, 0, 300)
    assert len(received) == 300 and set(received.values()) == {1}


def test_a_sender_killed_mid_batch_causes_one_duplicate_with_the_same_message_id(committed, engine):
    """Each kill lands after the server kept a message but before the sender
    heard so (the worst moment): that message goes twice, and only that one."""
    db = committed()
    add_unsent(db, 40)
    url = engine.url.render_as_string(hide_password=False)
    with MailServer() as server:
        for more in (3, 9, 14):
            server.inbox.stall_at(len(server.inbox.messages) + more)
            sender = subprocess.Popen(
                [sys.executable, "-m", "tests.workflows.engine.outbox_sender", url, str(server.port), str(clock.now())],
                cwd=ROOT,
            )
            assert server.inbox.stalled.wait(30), "the sender never reached the stalling message"
            sender.kill()
            sender.wait(10)
            server.inbox.release()
            clock.advance(LEASE)  # the dead sender's leases run out
        drain(db, MailSettings(host="127.0.0.1", port=server.port))
        received = server.inbox.message_ids()
    kept = set(db.scalars(select(OutboxMessage.message_id)))
    assert set(received) == kept  # every message arrived, each under its own kept Message-ID
    assert sorted(received.values(), reverse=True)[:4] == [2, 2, 2, 1]  # three kills, three duplicates
    assert counts(db) == (40, 0, 40)  # each recorded sent once


# --- database errors -------------------------------------------------------------------


@pytest.fixture
def impatient(engine, committed):
    """A sender's session that gives up waiting for a lock after 200 ms, as a
    stand-in for any database error in the middle of a round."""
    postgresql_only(committed())
    own = make_engine(engine.url.render_as_string(hide_password=False), connect_args={"options": "-c lock_timeout=200"})
    db = make_session_factory(own)()
    yield db
    db.close()
    own.dispose()


def test_a_database_error_while_claiming_is_logged_not_raised(committed, impatient, caplog):
    add_unsent(committed(), 1)
    blocker = committed()
    blocker.execute(text("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE"))
    with MailServer() as server:
        mail = MailSettings(host="127.0.0.1", port=server.port)
        assert send_pending(impatient, mail) == 0
        assert "could not claim outbox messages" in caplog.text
        blocker.rollback()
        assert send_pending(impatient, mail) == 1


def test_a_database_error_after_sending_is_recorded_and_the_message_goes_again_later(
    committed, impatient, library, settings, caplog
):
    db = committed()
    make_takedown(Context(db, library, settings), make_manager(db), make_user(db))
    db.commit()
    blocker = committed()  # someone holds the case row, so marking it sent times out
    blocker.execute(select(Case).with_for_update())
    with MailServer() as server, caplog.at_level(logging.ERROR):
        mail = MailSettings(host="127.0.0.1", port=server.port)
        assert send_pending(impatient, mail) == 0
        blocker.rollback()
        row = db.scalar(select(OutboxMessage))
        assert row.sent_at is None and row.last_error.startswith("sent, not marked sent")
        assert "could not be marked sent" in caplog.text
        assert send_pending(impatient, mail) == 0  # still its lease
        clock.advance(LEASE)
        assert send_pending(impatient, mail) == 1
        assert [m["Message-ID"] for m in server.inbox.messages] == [row.message_id] * 2
    assert counts(db) == (1, 0, 1)


# --- the claim's cost with history ---------------------------------------------------------


def test_the_claim_walks_unsent_rows_only_however_much_history(committed):
    db = committed()
    postgresql_only(db)
    add_unsent(db, 3000)
    db.execute(update(OutboxMessage).where(OutboxMessage.id <= 2950).values(sent_at=clock.now()))
    db.commit()
    db.execute(text("ANALYZE outbox"))
    db.commit()
    claim = lease_statement(clock.now(), BATCH).compile(dialect=db.get_bind().dialect)
    plan = "\n".join(row[0] for row in db.connection().exec_driver_sql(f"EXPLAIN {claim}", claim.params))
    assert "ix_outbox_unsent" in plan and "Sort" not in plan, plan
    db.rollback()

"""The worker's loop (workflows/engine/worker.py), for real: it wakes for a
timer stored while it sleeps, outlives a database that goes away, and does
not spin on a case another worker holds. These tests commit and use the
real clock (a sleeping worker waits in real time)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from models import AuditEvent, make_session_factory
from tests.factories import make_manager, make_takedown, make_user
from workflows.engine import clock
from workflows.engine.context import Context
from workflows.engine.outbox import MailSettings
from workflows.engine.timers import _claim_due
from workflows.engine.worker import Worker


@pytest.fixture
def real_time(frozen_clock):
    clock.reset()


@pytest.fixture
def start_worker(engine, library, settings, committed):
    started = []

    def start(interval: float) -> Worker:
        worker = Worker(make_session_factory(engine), library, settings, MailSettings(), interval=interval)
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        started.append((worker, thread))
        wait_for(lambda: worker.rounds >= 1)
        return worker

    yield start
    for worker, thread in started:
        worker.stop()
        thread.join(10)
        assert not thread.is_alive(), "the worker did not stop"


def wait_for(condition, seconds: float = 10.0) -> float:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "gave up waiting"
        time.sleep(0.02)
    return time.monotonic() - start


def takedown_due_in(committed, library, settings, seconds: float):
    """A takedown whose reminder (half its deadline) falls due in `seconds`."""
    db = committed()
    manager = make_manager(db)
    case = make_takedown(
        Context(db, library, settings), manager, make_user(db, line_manager=manager), deadline_hours=seconds * 2 / 3600
    )
    db.commit()
    return case


def fired(committed, case) -> bool:
    db = committed()
    try:
        return db.scalar(select(AuditEvent.id).where(AuditEvent.case_id == case.id, AuditEvent.action == "timer_fired"))
    finally:
        db.close()


def test_a_timer_stored_while_the_worker_sleeps_fires_on_time(real_time, start_worker, committed, library, settings):
    start_worker(interval=20)  # asleep for up to 20 s
    case = takedown_due_in(committed, library, settings, 1.0)
    due = case.next_timer_at
    wait_for(lambda: fired(committed, case))
    assert clock.now() - due < timedelta(seconds=1)  # woken, not left to sleep out its 20 s


def test_the_worker_outlives_the_database_going_away(real_time, start_worker, committed, library, settings, engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("cutting every connection is a PostgreSQL test")
    worker = start_worker(interval=0.5)
    with engine.connect() as conn:  # every other connection to this database, the worker's included
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    case = takedown_due_in(committed, library, settings, 2.0)
    wait_for(lambda: fired(committed, case), seconds=15)
    assert not worker.stopping.is_set()


def test_an_idle_worker_does_not_spin_on_a_case_another_worker_holds(
    real_time, start_worker, committed, library, settings, engine
):
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    takedown_due_in(committed, library, settings, 0.2)
    time.sleep(0.3)
    other = Context(committed(), library, settings)
    assert len(_claim_due(other, [], 20)) == 1  # held, as a busy worker holds it
    worker = start_worker(interval=1.0)
    before = worker.rounds
    time.sleep(2)
    assert worker.rounds - before <= 4  # was a busy loop: hundreds of rounds a second
    other.db.rollback()

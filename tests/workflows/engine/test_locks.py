"""The lock order (README, "Design notes"): a case row, then its audit chain
row; a worker's claim on a case keeps other workers off it without blocking
the foreign-key check of an audit event about it. PostgreSQL only: SQLite
has no row locks (every writer queues for the database)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests.factories import make_manager, make_takedown, make_user
from workflows.engine import clock
from workflows.engine.cases import view_case
from workflows.engine.context import Context
from workflows.engine.timers import _claim_due, fire_due_timers


@pytest.fixture
def due_case(committed, library, settings):
    db = committed()
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    manager = make_manager(db)
    case = make_takedown(Context(db, library, settings), manager, make_user(db, line_manager=manager))
    db.commit()
    clock.advance(timedelta(hours=12, minutes=1))  # its reminder is due
    return case.reference, manager


def test_a_page_view_is_not_held_up_by_a_worker_holding_the_case(committed, library, settings, due_case):
    reference, manager = due_case
    worker = Context(committed(), library, settings)
    [_claimed] = _claim_due(worker, [], 20)  # the worker holds the case row
    viewed = threading.Event()

    def view():
        db = committed()
        view_case(db, db.merge(manager), reference)  # takes the chain lock, then inserts its event
        db.commit()
        viewed.set()

    viewer = threading.Thread(target=view, daemon=True)
    viewer.start()
    # Before: the event's foreign key waited for KEY SHARE behind the claim's
    # FOR UPDATE while holding the chain lock the worker needs next: a deadlock.
    assert viewed.wait(10), "the page view waited for the worker's lock"
    viewer.join(5)
    worker.db.rollback()
    assert fire_due_timers(worker) == 1  # and the worker then fires it


def test_page_views_and_firing_workers_together_never_deadlock(committed, library, settings, due_case):
    reference, manager = due_case
    errors: list[BaseException] = []

    def repeat(work, times):
        try:
            for _ in range(times):
                work()
        except BaseException as error:  # reported below
            errors.append(error)

    def view():
        db = committed()
        view_case(db, db.merge(manager), reference)
        db.commit()
        db.close()

    def fire():
        db = committed()
        fire_due_timers(Context(db, library, settings))
        db.close()

    threads = [threading.Thread(target=repeat, args=(view, 30)) for _ in range(3)]
    threads.append(threading.Thread(target=repeat, args=(fire, 5)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


def test_two_first_openings_of_a_new_diagram_version_both_succeed(committed, settings, tmp_path):
    from workflows.engine import registry
    from workflows.engine.specs import ProcessLibrary

    first, second = committed(), committed()
    if first.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite serialises the two openings")
    diagram = registry.get("takedown_request").diagram
    changed = tmp_path / diagram.name  # a new version: another hash, not yet stored
    changed.write_text(diagram.read_text().replace("Takedown requested", "Takedown asked for"))
    library = ProcessLibrary([changed])
    spec_hash = library.ensure_stored(first, "takedown_request")  # inserted, not committed yet
    outcome = []

    def open_second():
        try:
            outcome.append(library.ensure_stored(second, "takedown_request"))
            second.commit()
        except Exception as error:  # reported below
            outcome.append(error)

    racer = threading.Thread(target=open_second)
    racer.start()
    racer.join(1)  # it waits for the first insert to commit or roll back
    first.commit()
    racer.join(10)
    assert outcome == [spec_hash]

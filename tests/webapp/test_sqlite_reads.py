"""On SQLite, a page that only reads never waits for a writer, and a page
that reads then records its view gets through while others write."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from models import AuditEvent, make_engine, make_session_factory
from tests.conftest import migrate
from tests.factories import bind, make_hr, make_manager, make_takedown, make_user
from tests.webapp.browserless import Web
from workflows.engine.context import Context


@pytest.fixture
def on_a_file(tmp_path, library, settings, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's locking")
    url = f"sqlite:///{tmp_path / 'casework.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    with make_session_factory(engine)() as db:
        hr = make_hr(db, "Hana Hussain")
        manager = make_manager(db)
        case = make_takedown(Context(db, library, settings), manager, make_user(db, line_manager=manager))
        db.commit()
        people = {"hr": hr, "reference": case.reference}
    bind(None)
    from webapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": url,
            "PROCESS_LIBRARY": library,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "EVIDENCE_DIR": str(settings.evidence_dir),
        }
    )
    yield engine, Web(app.test_client()), people
    engine.dispose()


def hold_the_write_lock(engine, seconds: float, write: bool = False) -> threading.Thread:
    started = threading.Event()

    def writer():
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))  # begins its transaction: BEGIN IMMEDIATE, the write lock
            if write:
                conn.execute(text("UPDATE audit_chains SET seq = seq WHERE id = 'system'"))
            started.set()
            time.sleep(seconds)
            conn.commit()

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait(5)
    return thread


def test_a_page_that_only_reads_does_not_wait_for_a_writer(on_a_file):
    engine, web, people = on_a_file
    web.login(people["hr"])
    writer = hold_the_write_lock(engine, 3)
    start = time.monotonic()
    assert people["reference"] in web.text("/cases/")
    assert time.monotonic() - start < 2  # before: it queued for the whole 3 s
    writer.join()


def test_a_page_that_records_its_view_gets_through_a_concurrent_write(on_a_file):
    engine, web, people = on_a_file
    web.login(people["hr"])
    writer = hold_the_write_lock(engine, 1, write=True)
    assert people["reference"] in web.text(f"/cases/{people['reference']}")
    writer.join()
    with engine.connect() as conn:
        views = conn.scalar(select(func.count()).where(AuditEvent.action == "case_viewed"))
    assert views == 1  # recorded once, though the page ran twice

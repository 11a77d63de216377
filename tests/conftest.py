"""Shared fixtures: one database per session, each test in a transaction
that is rolled back at the end (Warehouse style), a movable clock, and the app."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.orm import Session

from models import Base, make_engine, make_session_factory
from workflows import procedures
from workflows.engine import clock, tallies
from workflows.engine.context import Context, Settings
from workflows.engine.specs import ProcessLibrary

from . import factories

procedures.load()

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def migrate(engine) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine):
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    factories.bind(session)
    yield session
    session.close()
    outer.rollback()
    connection.close()


@pytest.fixture
def committed(engine):
    """Sessions that really commit (for races between sessions); every table
    is emptied afterwards."""
    factory, opened = make_session_factory(engine), []

    def sessions():
        opened.append(factory())
        return opened[-1]

    yield sessions
    for session in opened:  # a failed test must not leave a lock behind
        session.close()
    with engine.begin() as connection:
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        if connection.dialect.name == "postgresql":
            # Past the audit trail's triggers, which refuse TRUNCATE (migration 0008).
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(scope="session")
def library() -> ProcessLibrary:
    return ProcessLibrary()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        evidence_dir=tmp_path / "evidence",
        base_url="http://casework.test",
        anchor_log=tmp_path / "anchors" / "audit-anchors.jsonl",
        anchor_key=tmp_path / "anchors" / "audit-anchor.key",
    )


@pytest.fixture
def ctx(db, library, settings) -> Context:
    return Context(db=db, library=library, settings=settings)


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze(START)
    yield clock
    clock.reset()


# --- the web app ---------------------------------------------------------------


def make_app(db, library, settings, instance_path):
    """The app on the test's connection: each request gets its own session on
    it, so a request's commit is a savepoint release and the test still rolls back."""
    from sqlalchemy.orm import sessionmaker

    from webapp import create_app

    sessions = sessionmaker(bind=db.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only",
            "INSTANCE_PATH": str(instance_path),
            "SESSION_FACTORY": sessions,
            "PROCESS_LIBRARY": library,
            "BASE_URL": settings.base_url,
            "EVIDENCE_DIR": str(settings.evidence_dir),
            "AUDIT_ANCHOR_LOG": str(settings.anchor_log),
            "AUDIT_ANCHOR_KEY": str(settings.anchor_key),
            "AUDIT_ANCHOR_EMAIL": settings.anchor_email,
            "DATABASE_URL": "sqlite://",
        }
    )
    # What a test made in its own session is there as if committed (the test
    # never commits it): so too what it adds to the dashboard's tallies.
    app.before_request(lambda: tallies.settle(db))
    return app


@pytest.fixture
def app(db, library, settings, tmp_path):
    return make_app(db, library, settings, tmp_path / "instance")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def web(client):
    from .webapp.browserless import Web

    return Web(client)

"""Migration 0010: outbox leases, a kept Message-ID for each unsent email, and
an index of unsent rows only; and back. On SQLite, and on PostgreSQL (in a
scratch database beside the suite's) when the suite runs there."""

from __future__ import annotations

import os
import re
from datetime import datetime

import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from models import make_engine

from .test_state_compression import _move

ROW = (
    "INSERT INTO outbox (id, template, to_email, to_name, subject, body, created_at, sent_at, attempts)"
    " VALUES (:id, 't', 'e@bcwhub.test', 'E', 'S', 'B', :now, :sent_at, 0)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def old_engine(request, tmp_path):
    """A database at 0009 with one sent and one unsent email."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    else:
        engine = make_engine(_scratch_postgresql())
    _move(engine, "0009")
    now = datetime(2026, 3, 2, 9, 0)
    with engine.begin() as conn:
        conn.execute(text(ROW), [{"id": 1, "now": now, "sent_at": now}, {"id": 2, "now": now, "sent_at": None}])
    yield engine
    engine.dispose()
    if request.param == "postgresql":
        _scratch_postgresql(drop=True)


def _scratch_postgresql(drop: bool = False) -> str:
    """<the suite's database>_migration, made empty (or dropped): the suite's
    own database stays at head for the other tests."""
    suite = os.environ.get("TEST_DATABASE_URL", "")
    if not suite.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
    url = make_url(suite)
    scratch = f"{url.database}_migration"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        if not drop:
            conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    admin.dispose()
    return url.set(database=scratch).render_as_string(hide_password=False)


def _unsent_index(engine) -> tuple[list[str], str]:
    """The columns of ix_outbox_unsent and the text that defines it."""
    [index] = [i for i in inspect(engine).get_indexes("outbox") if i["name"] == "ix_outbox_unsent"]
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            sql = conn.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_outbox_unsent'"))
        else:
            sql = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'ix_outbox_unsent'"))
    return index["column_names"], sql


def test_unsent_emails_get_a_message_id_and_the_index_holds_unsent_rows_only(old_engine):
    _move(old_engine, "0010")
    with old_engine.connect() as conn:
        kept = dict(conn.execute(text("SELECT id, message_id FROM outbox")).all())
        assert conn.scalar(text("SELECT count(*) FROM outbox WHERE leased_until IS NULL")) == 2
    assert kept[1] is None  # sent before Message-IDs were kept: none is made up
    assert re.fullmatch(r"<[0-9a-f]{32}@bcwhub\.org\.uk>", kept[2])
    columns, sql = _unsent_index(old_engine)
    assert columns == ["id"] and re.search(r"WHERE \(?sent_at IS NULL", sql), sql


def test_downgrade_gives_back_the_old_columns_and_index(old_engine):
    _move(old_engine, "0010")
    _move(old_engine, "0009", down=True)
    assert {c["name"] for c in inspect(old_engine).get_columns("outbox")} >= {"sent_at", "attempts"}
    assert not {"message_id", "leased_until"} & {c["name"] for c in inspect(old_engine).get_columns("outbox")}
    columns, sql = _unsent_index(old_engine)
    assert columns == ["sent_at", "id"] and "WHERE" not in sql
    with old_engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM outbox")) == 2

"""Migration 0008: on PostgreSQL the audit tables refuse TRUNCATE, and chain
heads refuse to be deleted or moved other than forward, as appends move them."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.factories import make_manager, make_takedown, make_user
from workflows.engine import audit

from ..conftest import ROOT
from .test_state_compression import _move

OURS = {"audit_events_no_truncate", "audit_chains_forward_only", "audit_chains_no_truncate"}


def postgres_only(bind) -> None:
    if bind.dialect.name != "postgresql":
        pytest.skip("the audit trail's triggers are PostgreSQL's")


REFUSED = {
    "TRUNCATE audit_events": "TRUNCATE audit_events",
    "TRUNCATE audit_chains": "TRUNCATE audit_chains",
    "a head deleted": "DELETE FROM audit_chains WHERE id = :chain",
    "a head moved back": "UPDATE audit_chains SET seq = seq - 1 WHERE id = :chain",
    "a head moved back to its earlier event": "UPDATE audit_chains SET seq = 3,"
    " head = (SELECT hash FROM audit_events WHERE chain = :chain AND seq = 3) WHERE id = :chain",
    "a head pointed at no event": "UPDATE audit_chains SET head = repeat('0', 64) WHERE id = :chain",
    "a head renamed": "UPDATE audit_chains SET id = 'case-0' WHERE id = :chain",
}


@pytest.mark.parametrize("statement", REFUSED.values(), ids=REFUSED.keys())
def test_postgresql_refuses(ctx, db, statement):
    postgres_only(db.get_bind())
    case = make_takedown(ctx, make_manager(db), make_user(db))
    with pytest.raises(DBAPIError, match=r"append-only|moves only forward"), db.begin_nested():
        db.execute(text(statement), {"chain": audit.chain_id(case.id)})


def test_appends_still_move_heads_forward(ctx, db):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    audit.record(db, case.id, "case_viewed", audit.SYSTEM)
    audit.append(db, case.id, [audit.PendingEvent("case_viewed", audit.SYSTEM)] * 2)
    db.flush()
    assert audit.verify(db) == (8, [])


def _triggers(connection) -> set[str]:
    return set(
        connection.scalars(
            text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
                " AND tgrelid IN ('audit_events'::regclass, 'audit_chains'::regclass)"
            )
        )
    )


def _migrate(connection, revision: str, down: bool = False) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["connection"] = connection
    (command.downgrade if down else command.upgrade)(config, revision)


def test_0008_both_ways_on_postgresql(engine):
    """Down and up again inside one transaction that is rolled back:
    PostgreSQL's DDL is transactional, so the suite's database is untouched."""
    postgres_only(engine)
    with engine.connect() as connection, connection.begin():
        _migrate(connection, "0007", down=True)
        assert _triggers(connection) == {"audit_events_append_only"}
        with connection.begin_nested() as allowed:
            connection.execute(text("TRUNCATE audit_events, audit_chains"))
            allowed.rollback()
        _migrate(connection, "0008")
        assert _triggers(connection) == OURS | {"audit_events_append_only"}
        with pytest.raises(DBAPIError, match="TRUNCATE refused"), connection.begin_nested():
            connection.execute(text("TRUNCATE audit_chains"))
        connection.rollback()


def test_0008_both_ways_on_sqlite(tmp_path):
    """SQLite gets no triggers; the revision still moves both ways."""
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    _move(engine, "0008")
    _move(engine, "0007", down=True)
    _move(engine, "0008")
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")) == 0
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0008"
    engine.dispose()

"""Declarative base, column types and the session factory. No Flask here."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, LargeBinary, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import TypeDecorator, UserDefinedType

# JSONB on PostgreSQL (indexable, compact); plain JSON text elsewhere.
JSONType = JSON().with_variant(JSONB(), "postgresql")
# Workflow state and specs keep their key order: SpiffWorkflow restores tasks
# in the order they were written (a parent's data before its child's delta),
# and JSONB would reorder them. So these are `json` on PostgreSQL too.
OrderedJSON = JSON()


class CompressedJSON(TypeDecorator):
    """JSON in key order (see OrderedJSON), zlib-compressed into a blob.

    A finished takedown's workflow state is ~9 KB of repetitive JSON; stored
    compressed it is ~1.7 KB on every backend (SQLite would keep it raw).
    It is read and written whole, never queried inside, so nothing is lost.
    """

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return zlib.compress(text.encode("utf-8"), 6)

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(zlib.decompress(value))


def canonical_json(value) -> str:
    """The one text form of a JSON value: sorted keys, no spaces, UTF-8 as is.
    NaN and infinities are refused: PostgreSQL's json rejects them anyway."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


class _JSONText(UserDefinedType):
    """DDL type `JSON`, values passed as plain strings with no bind cast.

    A String impl would make the psycopg dialect render `::VARCHAR`, which
    PostgreSQL refuses for a json column; an untyped string parameter is cast
    by the server. (On SQLite `JSON` is just a declared type over TEXT.)
    """

    cache_ok = True

    def get_col_spec(self, **_kw) -> str:
        return "JSON"


class CanonicalJSON(TypeDecorator):
    """JSON kept as exactly the canonical text that was written.

    PostgreSQL's `json` (unlike `jsonb`) stores its input verbatim, so SQL can
    hash the same bytes Python did (the audit trail relies on this). Store
    objects or arrays: SQLite would turn a bare number's text into a number.
    """

    impl = _JSONText
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else canonical_json(value)

    def process_result_value(self, value, dialect):
        # PostgreSQL drivers (psycopg) already parse json columns; SQLite
        # hands back the text.
        if isinstance(value, str) and dialect.name != "postgresql":
            return json.loads(value)
        return value


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no timezone type, so values are stored as naive UTC and given
    their tzinfo back on the way out; storage is UTC everywhere (docs/architecture.md).
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        utc = value.astimezone(UTC)
        # A plain datetime: drivers adapt by exact type, and subclasses exist.
        return datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict: JSONType, list: JSONType}


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    else:
        # A connection cut under the pool (a restart, a failover) is found and
        # replaced before a request uses it, not reported to it as a 500.
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the driver, say when transactions begin, so that
    # SAVEPOINT works and every transaction is one BEGIN IMMEDIATE: a writer
    # waits for the lock instead of failing on a stale read snapshot.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the worker
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def insert_unless_present(db, model, **values) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: of two sessions inserting the same
    key at once, the second waits for the first and then does nothing,
    instead of failing on the primary key."""
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.execute(insert(model).values(**values).on_conflict_do_nothing())


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


# A transaction that only reads may begin DEFERRED (it then never waits for
# a writer); every other begins IMMEDIATE. Ask with
# `session.connection(execution_options={READS_ONLY: True})`.
READS_ONLY = "sqlite_reads_only"


def _sqlite_begin(connection) -> None:
    deferred = connection.get_execution_options().get(READS_ONLY)
    connection.exec_driver_sql("BEGIN DEFERRED" if deferred else "BEGIN IMMEDIATE")

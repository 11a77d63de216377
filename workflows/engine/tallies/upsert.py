"""INSERT ... ON CONFLICT, as both databases write it."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert(db: Session, model, rows: list[dict], keys: list[str], changes=None) -> None:
    """Insert each row; where its key is already there, set `changes(excluded)`
    (None: leave that row be). One at a time, so rows are locked in the order given."""
    stmt = insert_for(db.get_bind().dialect.name, model)
    if changes is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    else:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=changes(stmt.excluded))
    for row in rows:
        db.execute(stmt, row)


def insert_for(dialect: str, table):
    """The database's own INSERT, which has ON CONFLICT."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)

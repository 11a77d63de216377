"""compress each case's workflow state

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

`cases.state` becomes zlib-compressed JSON (models.base.CompressedJSON): a
finished takedown's state falls from ~9 KB to ~1.7 KB, and SQLite, which
compresses nothing itself, stops being the larger store. PostgreSQL's column
becomes bytea; SQLite's keeps its declared type (SQLite stores a blob in any
column, and re-creating `cases` would mean re-creating everything that
refers to it). The codec is copied here, frozen.
"""

import json
import zlib

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Untyped: values pass to and from the driver as they are.
CASES = sa.table("cases", sa.column("id", sa.Integer), sa.column("state"))
CHUNK = 500


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE cases ALTER COLUMN state TYPE bytea USING convert_to(state::text, 'UTF8')")
    _rewrite(lambda raw: zlib.compress(_as_bytes(raw), 6))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _rewrite(lambda raw: zlib.decompress(raw).decode("utf-8") if sqlite else zlib.decompress(raw))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE cases ALTER COLUMN state TYPE json USING convert_from(state, 'UTF8')::json")


def _as_bytes(raw) -> bytes:
    if isinstance(raw, str):  # SQLite hands back the JSON text it stored
        raw = raw.encode("utf-8")
    json.loads(raw)  # refuse to compress anything that is not JSON
    return bytes(raw)


def _rewrite(codec) -> None:
    conn = op.get_bind()
    ids = list(conn.scalars(sa.select(CASES.c.id).order_by(CASES.c.id)))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = conn.execute(sa.select(CASES.c.id, CASES.c.state).where(CASES.c.id.in_(chunk))).all()
        for case_id, raw in rows:
            conn.execute(sa.update(CASES).where(CASES.c.id == case_id).values(state=codec(raw)))

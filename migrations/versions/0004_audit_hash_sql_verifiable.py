"""audit hashes PostgreSQL can recompute: event data kept as canonical json text

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

`audit_events.data` becomes `json` on PostgreSQL (which keeps its input text
verbatim; `jsonb` re-formats it) and holds canonical JSON, and every hash is
recomputed in the format workflows/audit.py now writes, so `verify` can run
inside the database.

Re-hashing rewrites the trail. That is acceptable only because nothing has
been deployed yet; even so, each chain must first verify under the format it
was written in, so a trail that was already tampered with is refused rather
than laundered. The hash functions are copied here, frozen: the app's may
change after this revision.
"""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TRIGGER = "audit_events_append_only"  # 0001's: it refuses UPDATE on audit_events
EVENTS = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("chain", sa.String),
    sa.column("seq", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("occurred_at", sa.DateTime),
    sa.column("actor_id", sa.Integer),
    sa.column("actor_label", sa.String),
    sa.column("action", sa.String),
    sa.column("bpmn_task", sa.String),
    sa.column("data", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(f"ALTER TABLE audit_events DISABLE TRIGGER {TRIGGER}")
        op.alter_column(
            "audit_events",
            "data",
            type_=sa.JSON(),
            existing_type=postgresql.JSONB(),
            existing_nullable=False,
            postgresql_using="data::text::json",
        )
    _rehash(check=_hash_0001, write=_hash_0004)
    if postgres:
        op.execute(f"ALTER TABLE audit_events ENABLE TRIGGER {TRIGGER}")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(f"ALTER TABLE audit_events DISABLE TRIGGER {TRIGGER}")
    _rehash(check=_hash_0004, write=_hash_0001)  # before jsonb re-formats the text
    if postgres:
        op.alter_column(
            "audit_events",
            "data",
            type_=postgresql.JSONB(),
            existing_type=sa.JSON(),
            existing_nullable=False,
            postgresql_using="data::jsonb",
        )
        op.execute(f"ALTER TABLE audit_events ENABLE TRIGGER {TRIGGER}")


def _rehash(check, write) -> None:
    """Check each chain as written, then store canonical data text, the new
    hashes and the new heads. Pre-deployment trails are small: read at once."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(EVENTS, sa.cast(EVENTS.c.data, sa.Text).label("text")).order_by(EVENTS.c.chain, EVENTS.c.seq)
    ).all()
    updates, ends = _walk([SimpleNamespace(**r._asdict()) for r in rows], check, write)
    heads = {c: (seq, head) for c, seq, head in bind.execute(sa.text("SELECT id, seq, head FROM audit_chains"))}
    for chain in heads.keys() | ends.keys():
        if ends.get(chain, (0, "", ""))[:2] != heads.get(chain):
            raise RuntimeError(
                f"audit chain {chain} does not end at its recorded head; refusing to re-hash a tampered trail"
            )
    data = "CAST(:data AS json)" if bind.dialect.name == "postgresql" else ":data"
    if updates:
        bind.execute(
            sa.text(f"UPDATE audit_events SET data = {data}, prev_hash = :prev, hash = :new WHERE id = :row_id"),
            updates,
        )
    if ends:
        bind.execute(
            sa.text("UPDATE audit_chains SET head = :head WHERE id = :chain"),
            [{"chain": c, "head": new} for c, (_seq, _old, new) in ends.items()],
        )


def _walk(rows, check, write) -> tuple[list[dict], dict[str, tuple[int, str, str]]]:
    """New hashes for rows in (chain, seq) order, each checked as written;
    and each chain's last (seq, old hash, new hash)."""
    updates, ends = [], {}
    for row in rows:
        seq, old_prev, new_prev = ends.get(row.chain, (0, "", ""))
        if row.seq != seq + 1 or row.prev_hash != old_prev or check(old_prev, row) != row.hash:
            raise RuntimeError(
                f"audit chain {row.chain} event #{row.seq} (id {row.id}) does "
                "not verify as written; refusing to re-hash a tampered trail"
            )
        row.text = _canonical(row.data)
        new_hash = write(new_prev, row)
        updates.append({"row_id": row.id, "data": row.text, "prev": new_prev, "new": new_hash})
        ends[row.chain] = (row.seq, row.hash, new_hash)
    return updates, ends


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)  # stored as naive UTC


def _hash_0001(prev_hash: str, row) -> str:
    """sha256(prev_hash + canonical JSON object of the fields)."""
    fields = {
        "chain": row.chain,
        "seq": row.seq,
        "case_id": row.case_id,
        "occurred_at": _utc(row.occurred_at).isoformat(timespec="microseconds"),
        "actor_id": row.actor_id,
        "actor_label": row.actor_label,
        "action": row.action,
        "bpmn_task": row.bpmn_task,
        "data": row.data,
    }
    return hashlib.sha256((prev_hash + _canonical(fields)).encode("utf-8")).hexdigest()


def _hash_0004(prev_hash: str, row) -> str:
    """sha256(prev_hash + PostgreSQL's json_build_array(...)::text), the
    stored data text embedded verbatim."""
    micros = (_utc(row.occurred_at) - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    head = json.dumps(
        [row.chain, row.seq, row.case_id, micros, row.actor_id, row.actor_label, row.action, row.bpmn_task],
        ensure_ascii=False,
        separators=(", ", ": "),
    )
    payload = f"{prev_hash}{head[:-1]}, {row.text}]"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()

"""audit events whose content can be erased without losing the chain's proof

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

An event's hash covered its content (the actor's name, the data) verbatim,
so personal data in the trail could never be erased. Now the hash covers
`content_digest`, a sha256 of the content (workflows/engine/audit_format.py);
`erased_at` marks an event whose content was replaced by an erasure marker.

Every chain is re-hashed, and only after it verifies in the format it was
written in (0004's), so a trail already tampered with is refused rather than
laundered. Each event keeps its old hash in `v1_hash`: an anchor written
before this migration recorded old heads, and is still honoured against
them until the worker anchors the new ones. On PostgreSQL, 0001's trigger now
lets exactly one UPDATE through: an erasure (`erased_at` set once, content
replaced, every hashed column unchanged). The hash functions are copied
here, frozen: the app's may change after this revision.
"""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TRIGGERS = ("audit_events_append_only", "audit_chains_forward_only")
EVENTS = sa.table(
    "audit_events",
    *(sa.column(name, sa.Integer) for name in ("id", "seq", "case_id", "actor_id")),
    *(sa.column(name, sa.String) for name in ("chain", "actor_label", "action", "bpmn_task", "prev_hash", "hash")),
    sa.column("occurred_at", sa.DateTime),
    sa.column("data", sa.JSON),
)
_LIKE_POSTGRESQL = {"ensure_ascii": False, "separators": (", ", ": ")}

ERASURE_ONLY = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL
           AND (NEW.id, NEW.chain, NEW.seq, NEW.case_id, NEW.occurred_at, NEW.actor_id, NEW.action,
                NEW.bpmn_task, NEW.content_digest, NEW.prev_hash, NEW.hash, NEW.v1_hash)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.chain, OLD.seq, OLD.case_id, OLD.occurred_at, OLD.actor_id, OLD.action,
                OLD.bpmn_task, OLD.content_digest, OLD.prev_hash, OLD.hash, OLD.v1_hash) THEN
            RETURN NEW;  -- an erasure: the content goes, the proof stays
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only, but for erasing content (% refused)', TG_OP;
END $$ LANGUAGE plpgsql"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END $$ LANGUAGE plpgsql"""


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("content_digest", sa.String(64), nullable=True))
        batch.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("v1_hash", sa.String(64), nullable=True))
    _with_triggers_off(_rehash)
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("content_digest", existing_type=sa.String(64), nullable=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ERASURE_ONLY)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM audit_events WHERE erased_at IS NOT NULL")).scalar():
        raise RuntimeError("events have been erased: the old format cannot prove them; refusing to downgrade")
    if bind.dialect.name == "postgresql":
        op.execute(APPEND_ONLY)
    _with_triggers_off(_restore_v1)
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("v1_hash")
        batch.drop_column("erased_at")
        batch.drop_column("content_digest")


def _with_triggers_off(change) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for trigger in TRIGGERS if postgres else ():
        op.execute(f"ALTER TABLE {trigger.rsplit('_', 2)[0]} DISABLE TRIGGER {trigger}")
    change()
    for trigger in TRIGGERS if postgres else ():
        op.execute(f"ALTER TABLE {trigger.rsplit('_', 2)[0]} ENABLE TRIGGER {trigger}")


def _rows():
    columns = [c for c in EVENTS.c if c.name != "data"]
    text = sa.cast(EVENTS.c.data, sa.Text).label("text")
    return op.get_bind().execute(sa.select(*columns, text).order_by(EVENTS.c.chain, EVENTS.c.seq))


def _rehash() -> None:
    """Check each event as written (0004's format), then store its content
    digest, the new hashes and the new heads."""
    bind, updates, ends = op.get_bind(), [], {}
    for row in _rows():
        seq, old_prev, new_prev = ends.get(row.chain, (0, "", ""))
        if row.seq != seq + 1 or row.prev_hash != old_prev or _hash_0004(old_prev, row) != row.hash:
            raise RuntimeError(
                f"audit chain {row.chain} event #{row.seq} (id {row.id}) does not verify as written; "
                "refusing to re-hash a tampered trail"
            )
        digest = _digest_0012(row)
        new_hash = _hash_0012(new_prev, row, digest)
        updates.append({"row_id": row.id, "digest": digest, "prev": new_prev, "new": new_hash, "old": row.hash})
        ends[row.chain] = (row.seq, row.hash, new_hash)
    _check_heads(bind, ends)
    if updates:
        bind.execute(
            sa.text(
                "UPDATE audit_events SET content_digest = :digest, prev_hash = :prev, hash = :new, v1_hash = :old"
                " WHERE id = :row_id"
            ),
            updates,
        )
    if ends:
        bind.execute(
            sa.text("UPDATE audit_chains SET head = :head WHERE id = :chain"),
            [{"chain": c, "head": new} for c, (_seq, _old, new) in ends.items()],
        )


def _check_heads(bind, ends: dict) -> None:
    heads = {c: (seq, head) for c, seq, head in bind.execute(sa.text("SELECT id, seq, head FROM audit_chains"))}
    for chain in heads.keys() | ends.keys():
        if ends.get(chain, (0, "", ""))[:2] != heads.get(chain, (0, "")):
            raise RuntimeError(
                f"audit chain {chain} does not end at its recorded head; refusing to re-hash a tampered trail"
            )


def _restore_v1() -> None:
    bind, updates, ends = op.get_bind(), [], {}
    for row in _rows():
        prev = ends.get(row.chain, "")
        old = _hash_0004(prev, row)
        updates.append({"row_id": row.id, "prev": prev, "old": old})
        ends[row.chain] = old
    if updates:
        bind.execute(sa.text("UPDATE audit_events SET prev_hash = :prev, hash = :old WHERE id = :row_id"), updates)
    if ends:
        bind.execute(
            sa.text("UPDATE audit_chains SET head = :head WHERE id = :chain"),
            [{"chain": c, "head": h} for c, h in ends.items()],
        )


def _micros(moment: datetime) -> int:
    return (moment.replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def _hash_0004(prev_hash: str, row) -> str:
    """sha256(prev_hash + json_build_array(..., actor_label, ..., data)::text)."""
    fields = [row.chain, row.seq, row.case_id, _micros(row.occurred_at), row.actor_id, row.actor_label]
    head = json.dumps([*fields, row.action, row.bpmn_task], **_LIKE_POSTGRESQL)
    return hashlib.sha256(f"{prev_hash}{head[:-1]}, {row.text}]".encode()).hexdigest()


def _digest_0012(row) -> str:
    """sha256(json_build_array(actor_label, data)::text)."""
    return hashlib.sha256(f"[{json.dumps(row.actor_label, **_LIKE_POSTGRESQL)}, {row.text}]".encode()).hexdigest()


def _hash_0012(prev_hash: str, row, digest: str) -> str:
    """sha256(prev_hash + json_build_array(..., content_digest)::text), no content."""
    fields = [row.chain, row.seq, row.case_id, _micros(row.occurred_at), row.actor_id, row.action, row.bpmn_task]
    return hashlib.sha256((prev_hash + json.dumps([*fields, digest], **_LIKE_POSTGRESQL)).encode()).hexdigest()

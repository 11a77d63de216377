"""Recording that an email went: its outbox row marked sent and its
`notification_sent` event on the case's trail, in one transaction per email
(so a sender killed mid-batch resends at most the one in flight).

Locks in the documented order: the case row first (KEY SHARE, what the
audit insert's foreign key takes anyway), then the outbox row, then the
case's audit chain row. Taking the chain before the case is what deadlocked
against the timer worker, which holds its claimed case and then appends.

On PostgreSQL the mark, the chain's next number and the event (hashed in
SQL exactly as `audit.verify` recomputes it) are one statement: with the
head's move and the commit, three round trips per email instead of six,
which is most of a sender's time (bench `outbox`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Row, bindparam, select, text, update
from sqlalchemy.orm import Session

from models import AuditChain, OutboxMessage
from models.base import canonical_json

from . import audit, audit_format, clock
from .audit import Actor

SENDER = Actor("worker")
_outbox = OutboxMessage.__table__


def mark_sent(db: Session, message: Row) -> bool:
    """Mark the row sent and audit it, unless another sender (whose lease
    took over ours) marked it first. Flushes; the caller commits."""
    now = clock.now()
    if message.case_id is not None and db.get_bind().dialect.name == "postgresql":
        return _mark_and_append_in_postgresql(db, message, now)
    marked = db.execute(_MARK_SENT, {"row_id": message.id, "sent_now": now}).rowcount
    if marked:
        audit.record(db, message.case_id, "notification_sent", SENDER, sent_event(message))
    return bool(marked)


def sent_event(message: Row) -> dict:
    return {"to": message.to_email, "subject": message.subject, "template": message.template, "outbox_id": message.id}


# Built once: a mark runs for every email, and building statements is a good
# part of its Python time.
_MARK_SENT = (
    update(_outbox)
    .where(_outbox.c.id == bindparam("row_id"), _outbox.c.sent_at.is_(None))
    .values(sent_at=bindparam("sent_now"), leased_until=None)
)

# Each sub-statement runs when the next asks for its row, so the locks are
# taken in the order written. Nothing after `marked` happens if it marked
# nothing. `c` and `e` name the columns as audit_format's SQL reads them.
_MARK_AND_APPEND = text(f"""
WITH locked AS (
    SELECT id FROM cases WHERE id = :case_id FOR KEY SHARE
), marked AS (
    UPDATE outbox SET sent_at = :sent_now, leased_until = NULL
    WHERE id = :row_id AND sent_at IS NULL AND EXISTS (SELECT 1 FROM locked)
    RETURNING id
), reserved AS (
    UPDATE audit_chains SET seq = seq + 1
    WHERE id = :chain AND EXISTS (SELECT 1 FROM marked)
    RETURNING seq, head
), c AS (
    SELECT CAST(:chain AS varchar) AS chain, r.seq, CAST(:case_id AS integer) AS case_id,
           CAST(:occurred_at AS timestamp) AS occurred_at, CAST(NULL AS integer) AS actor_id,
           CAST(:actor_label AS varchar) AS actor_label, CAST('notification_sent' AS varchar) AS action,
           CAST(NULL AS varchar) AS bpmn_task, CAST(:data AS json) AS data, r.head AS prev_hash
    FROM reserved r
), e AS (
    SELECT e.*, {audit_format.RECOMPUTED_DIGEST} AS content_digest FROM c e
)
INSERT INTO audit_events (chain, seq, case_id, occurred_at, actor_id, actor_label, action, bpmn_task, data,
                          content_digest, prev_hash, hash)
SELECT chain, seq, case_id, occurred_at, actor_id, actor_label, action, bpmn_task, data, content_digest, prev_hash,
       {audit_format.RECOMPUTED_HASH}
FROM e
RETURNING hash
""")


def _mark_and_append_in_postgresql(db: Session, message: Row, now: datetime) -> bool:
    chain = audit.chain_id(message.case_id)
    appended = _run(db, message, now, chain)
    if appended is None and _still_unsent(db, message.id):  # no chain row yet: the case's first event
        audit.ensure_chain(db, chain)
        appended = _run(db, message, now, chain)
    if appended is None:
        return False  # another sender marked it first
    db.execute(update(AuditChain).where(AuditChain.id == chain).values(head=appended))
    return True


def _run(db: Session, message: Row, now: datetime, chain: str) -> str | None:
    naive_utc = now.astimezone(UTC).replace(tzinfo=None)  # as UTCDateTime stores it
    return db.execute(
        _MARK_AND_APPEND,
        {
            "case_id": message.case_id,
            "row_id": message.id,
            "sent_now": naive_utc,
            "chain": chain,
            "occurred_at": naive_utc,
            "actor_label": SENDER.label,
            "data": canonical_json(audit.jsonable(sent_event(message))),
        },
    ).scalar()


def _still_unsent(db: Session, row_id: int) -> bool:
    return db.scalar(select(_outbox.c.sent_at.is_(None)).where(_outbox.c.id == row_id)) is True

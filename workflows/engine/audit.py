"""Append-only, hash-chained audit events (docs/architecture.md, "Audit trail").

Each case has its own chain; each account's sign-ins have one (`signin_chain`);
other events without a case go on the "system" chain.
An event's hash covers its columns (with `data` as stored canonical JSON text)
and the previous event's hash, so editing, removing or reordering any row
breaks the chain from that point on. The format is one PostgreSQL can rebuild,
so there `verify` runs in SQL; SQLite, which has no sha256(), walks in Python.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from models import SYSTEM_CHAIN, AuditChain, AuditEvent, User
from models.base import canonical_json, insert_unless_present

from . import clock
from .audit_format import case_of, content_digest, event_hash, hashed_fields
from .audit_verify import ChainProblem, verify, verify_in_python, verify_in_sql

__all__ = ["ChainProblem", "case_of", "verify", "verify_in_python", "verify_in_sql"]  # the checking half


@dataclass(frozen=True)
class Actor:
    """Who did something: a person, or the system ("system", "timer", "worker")."""

    label: str
    user_id: int | None = None

    @classmethod
    def person(cls, user: User) -> Actor:
        return cls(user.name, user.id)


SYSTEM = Actor("system")
TIMER = Actor("timer")


@dataclass
class PendingEvent:
    action: str
    actor: Actor
    data: dict[str, Any] = field(default_factory=dict)
    bpmn_task: str | None = None


def chain_id(case_id: int | None) -> str:
    return SYSTEM_CHAIN if case_id is None else f"case-{case_id}"


def signin_chain(user_id: int | None, email: str = "") -> str:
    """Sign-ins, failed ones and sign-outs go on the account's own chain, so a
    burst of failures queues on that account's chain row, never on one row
    every sign-in shares. Emails that name no account share 16 chains."""
    if user_id is not None:
        return f"signin-{user_id}"
    return f"signin-unknown-{hashlib.sha256(email.encode('utf-8')).hexdigest()[0]}"


def record(
    db: Session,
    case_id: int | None,
    action: str,
    actor: Actor,
    data: dict | None = None,
    bpmn_task: str | None = None,
    *,
    chain: str | None = None,
) -> None:
    append(db, case_id, [PendingEvent(action, actor, data or {}, bpmn_task)], chain=chain)


def append(db: Session, case_id: int | None, events: list[PendingEvent], *, chain: str | None = None) -> None:
    """Append events to a chain (the case's, or `chain` for an event with no
    case) in the caller's transaction."""
    if not events:
        return
    chain = chain or chain_id(case_id)
    first_seq, prev_hash = _reserve(db, chain, len(events))
    occurred_at = clock.now()
    rows = []
    for offset, event in enumerate(events):
        data = jsonable(event.data)
        row = {
            "chain": chain,
            "seq": first_seq + offset,
            "case_id": case_id,
            "occurred_at": occurred_at,
            "actor_id": event.actor.user_id,
            "actor_label": event.actor.label,
            "action": event.action,
            "bpmn_task": event.bpmn_task,
        }
        # The column type stores canonical_json(data) too: the same bytes.
        content = content_digest(row["actor_label"], canonical_json(data))
        fields = hashed_fields(
            chain, row["seq"], case_id, occurred_at, row["actor_id"], row["action"], row["bpmn_task"], content
        )
        digest = event_hash(prev_hash, fields)
        rows.append({**row, "data": data, "content_digest": content, "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    # render_nulls: one multi-row INSERT, not one per set of non-null columns
    db.execute(insert(AuditEvent).execution_options(render_nulls=True), rows)
    db.execute(update(AuditChain).where(AuditChain.id == chain).values(head=prev_hash))


def _reserve(db: Session, chain: str, count: int) -> tuple[int, str]:
    """Claim `count` sequence numbers; the UPDATE holds the chain's row lock."""
    bump = (
        update(AuditChain)
        .where(AuditChain.id == chain)
        .values(seq=AuditChain.seq + count)
        .returning(AuditChain.seq, AuditChain.head)
    )
    row = db.execute(bump).first()
    if row is None:
        ensure_chain(db, chain)
        row = db.execute(bump).first()
    return row.seq - count + 1, row.head


def ensure_chain(db: Session, chain: str) -> None:
    insert_unless_present(db, AuditChain, id=chain, seq=0, head="")


def jsonable(value: Any) -> Any:
    """Round-trip through JSON so the hash covers exactly what is stored.
    NaN and infinities become strings: canonical JSON has no spelling for them."""
    return json.loads(json.dumps(value, default=str), parse_constant=str)


# --- erasure ------------------------------------------------------------------

ERASED = "(erased)"


def erase(db: Session, event_ids: list[int], by: Actor, rule: str) -> int:
    """Erase the content of events (the actor's name and the data), leaving
    a marker of who erased it and under which rule, and `erased_at`. Their
    hashes still prove each chain's order and completeness (they cover the
    content's digest, kept); each chain records the erasure as an event of
    its own. Events already erased are left alone. Returns how many were."""
    if not rule.strip():
        raise ValueError("an erasure names the rule it is made under")
    found = db.execute(
        select(AuditEvent.id, AuditEvent.chain, AuditEvent.case_id, AuditEvent.seq)
        .where(AuditEvent.id.in_(event_ids), AuditEvent.erased_at.is_(None))
        .order_by(AuditEvent.chain, AuditEvent.seq)
    ).all()
    if not found:
        return 0
    marker = {"erased": {"by": by.label, "rule": rule}}
    erased = update(AuditEvent).where(AuditEvent.id.in_([row.id for row in found]))
    db.execute(erased.values(data=marker, actor_label=ERASED, erased_at=clock.now()))
    chains: dict[str, tuple[int | None, list[int]]] = {}
    for row in found:
        chains.setdefault(row.chain, (row.case_id, []))[1].append(row.seq)
    for chain, (case_id, seqs) in chains.items():
        append(db, case_id, [PendingEvent("content_erased", by, {"events": seqs, "rule": rule})], chain=chain)
    return len(found)

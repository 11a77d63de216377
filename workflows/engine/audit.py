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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, Text, cast, insert, select, text, update
from sqlalchemy.orm import Session

from models import SYSTEM_CHAIN, AuditChain, AuditEvent, User
from models.base import canonical_json, insert_unless_present

from . import clock


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


# What an event's hash covers: the previous hash, then the text PostgreSQL
# prints for json_build_array(chain, seq, case_id, occurred_at as integer
# microseconds since 1970 UTC, actor_id, actor_label, action, bpmn_task,
# data)::text, where `data` is the stored canonical json embedded verbatim.
# json.dumps with these options escapes strings byte for byte as PostgreSQL
# does (the tests check every code point but NUL, which PostgreSQL text
# cannot hold), so verify() can recompute hashes inside the database instead
# of shipping every row to Python.
_LIKE_POSTGRESQL = {"ensure_ascii": False, "separators": (", ", ": ")}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def epoch_micros(moment: datetime) -> int:
    """Integers have one text form everywhere; timestamps have many."""
    return (moment - _EPOCH) // _MICROSECOND


def hashed_fields(
    chain: str,
    seq: int,
    case_id: int | None,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    bpmn_task: str | None,
    data_text: str,
) -> tuple:
    """The hashed columns in hashing order; `data_text` is the stored text."""
    return (chain, seq, case_id, epoch_micros(occurred_at), actor_id, actor_label, action, bpmn_task, data_text)


def hashed_text(prev_hash: str, fields: tuple) -> str:
    head = json.dumps(fields[:-1], **_LIKE_POSTGRESQL)
    return f"{prev_hash}{head[:-1]}, {fields[-1]}]"


def event_hash(prev_hash: str, fields: tuple) -> str:
    return hashlib.sha256(hashed_text(prev_hash, fields).encode("utf-8")).hexdigest()


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
        digest = event_hash(prev_hash, hashed_fields(**row, data_text=canonical_json(data)))
        rows.append({**row, "data": data, "prev_hash": prev_hash, "hash": digest})
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


# --- verification -----------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    chain: str
    case_id: int | None
    seq: int | None
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"case {self.case_id}" if self.case_id else f"chain {self.chain}"
        event = f" event #{self.seq} (id {self.event_id})" if self.seq is not None else ""
        return f"{where}{event}: {self.problem}"


def verify(db: Session) -> tuple[int, list[ChainProblem]]:
    """Re-check every chain. Returns (events checked, problems found).

    Problems come in chain and sequence order: broken events first, then
    chains whose stored head disagrees with their last event.
    """
    if db.get_bind().dialect.name == "postgresql":
        return verify_in_sql(db)
    return verify_in_python(db)


def _gap(chain, case_id, seq, event_id, before_seq) -> ChainProblem:
    return ChainProblem(
        chain, case_id, seq, event_id, f"expected event #{before_seq + 1}, found #{seq}: events removed or reordered"
    )


def _unlinked(chain, case_id, seq, event_id) -> ChainProblem:
    return ChainProblem(chain, case_id, seq, event_id, "does not link to the event before it")


def _altered(chain, case_id, seq, event_id) -> ChainProblem:
    return ChainProblem(chain, case_id, seq, event_id, "contents altered after it was written")


def _truncated(chain: str, last_seq: int, head_seq: int) -> ChainProblem:
    return ChainProblem(
        chain,
        case_of(chain),
        last_seq + 1,
        None,
        f"chain ends at #{last_seq} but its head records #{head_seq}: events were removed",
    )


def _headless(chain: str) -> ChainProblem:
    return ChainProblem(chain, case_of(chain), None, None, "chain has no head")


def case_of(chain_key: str) -> int | None:
    return int(chain_key[5:]) if chain_key.startswith("case-") else None


# --- in Python (SQLite, which has no sha256()) ----------------------------------


def verify_in_python(db: Session, batch: int = 5000) -> tuple[int, list[ChainProblem]]:
    """Walk every chain in order, hashing the stored text of each event."""
    heads = db.execute(select(AuditChain.id, AuditChain.seq, AuditChain.head).order_by(AuditChain.id)).all()
    problems: list[ChainProblem] = []
    checked, last = 0, {}
    for event in _events_in_order(db, batch):
        checked += 1
        chain, seq, *_rest, digest = event
        problem = _check_event(event, *last.get(chain, (0, "")))
        if problem:
            problems.append(problem)
        last[chain] = (seq, digest)
    for chain, head_seq, head_hash in heads:
        last_seq, last_hash = last.pop(chain, (0, ""))
        if (last_seq, last_hash) != (head_seq, head_hash):
            problems.append(_truncated(chain, last_seq, head_seq))
    problems.extend(_headless(chain) for chain in sorted(last))
    return checked, problems


def _check_event(event: tuple, before_seq: int, before_hash: str) -> ChainProblem | None:
    *fields, event_id, prev_hash, digest = event
    chain, seq, case_id = fields[:3]
    if seq != before_seq + 1:
        return _gap(chain, case_id, seq, event_id, before_seq)
    if prev_hash != before_hash:
        return _unlinked(chain, case_id, seq, event_id)
    if event_hash(before_hash, hashed_fields(*fields)) != digest:
        return _altered(chain, case_id, seq, event_id)
    return None


def _events_in_order(db: Session, batch: int) -> Iterator[Row]:
    """Core rows, hashed fields first, `data` as its stored text (hashed as is,
    never parsed). Core, not the ORM: its row handling was a third of the cost."""
    e = AuditEvent.__table__.c
    stmt = select(
        e.chain,
        e.seq,
        e.case_id,
        e.occurred_at,
        e.actor_id,
        e.actor_label,
        e.action,
        e.bpmn_task,
        cast(e.data, Text),
        e.id,
        e.prev_hash,
        e.hash,
    ).order_by(e.chain, e.seq)
    yield from db.connection().execute(stmt.execution_options(yield_per=batch))


# --- in PostgreSQL ---------------------------------------------------------------

# The same hash as event_hash(), rebuilt from the stored columns.
RECOMPUTED_HASH = """encode(sha256(convert_to(e.prev_hash || json_build_array(
    e.chain, e.seq, e.case_id, (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
    e.actor_id, e.actor_label, e.action, e.bpmn_task, e.data)::text, 'UTF8')), 'hex')"""

# One statement, so one snapshot. Every hash is recomputed in a count: an
# aggregate, which PostgreSQL spreads over parallel workers (a window
# function never is). Meanwhile one walk over the events in (chain, seq)
# order finds the event before each (lag), each chain's last (lead) and its
# stored head. Only problem rows leave the database. `emptied` counts chains
# whose head records events although none is left. IS DISTINCT FROM, not <>:
# a NULL forced into a column must not compare as "unknown", i.e. as fine.
_WALK = text(f"""
SELECT (SELECT count(*) FROM audit_events e
        WHERE {RECOMPUTED_HASH} IS DISTINCT FROM e.hash) AS altered,
       count(*) AS checked,
       (SELECT count(*) FROM audit_chains WHERE (seq, head) IS DISTINCT FROM (0, ''))
         - count(*) FILTER (WHERE last AND head_id IS NOT NULL
                                 AND (head_seq, head) IS DISTINCT FROM (0, '')) AS emptied,
       coalesce(json_agg(json_build_array(chain, case_id, seq, id, before_seq, gap, unlinked,
                                          bad_end, head_id IS NULL, head_seq))
                FILTER (WHERE gap OR unlinked OR bad_end), '[]') AS flagged
FROM (
    SELECT e.id, e.chain, e.seq, e.case_id, c.id AS head_id, c.seq AS head_seq, c.head,
           lag(e.seq, 1, 0) OVER w AS before_seq,
           e.seq IS DISTINCT FROM lag(e.seq, 1, 0) OVER w + 1 AS gap,
           e.prev_hash IS DISTINCT FROM lag(e.hash, 1, '') OVER w AS unlinked,
           lead(e.seq) OVER w IS NULL AS last,
           lead(e.seq) OVER w IS NULL
               AND (c.id IS NULL OR (e.seq, e.hash) IS DISTINCT FROM (c.seq, c.head)) AS bad_end
    FROM audit_events e LEFT JOIN audit_chains c ON c.id = e.chain
    WINDOW w AS (PARTITION BY e.chain ORDER BY e.seq)
) walked
""")

# Naming the altered events hashes everything again, so it runs only when the
# count found some (a later snapshot: it can only see more, valid, events).
_ALTERED = text(f"""
SELECT e.chain, e.case_id, e.seq, e.id FROM audit_events e
WHERE {RECOMPUTED_HASH} IS DISTINCT FROM e.hash
""")

_EMPTIED = text("""
SELECT c.id, c.seq FROM audit_chains c
WHERE (c.seq, c.head) IS DISTINCT FROM (0, '')
  AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.chain = c.id)
""")


def verify_in_sql(db: Session) -> tuple[int, list[ChainProblem]]:
    """The same checks as verify_in_python, computed by PostgreSQL."""
    walk = db.execute(_WALK).one()
    problems, ends = [], []
    for chain, case_id, seq, event_id, before_seq, gap, unlinked, bad_end, headless, head_seq in walk.flagged:
        where = (chain, case_id, seq, event_id)
        if gap:
            problems.append(_gap(*where, before_seq))
        elif unlinked:
            problems.append(_unlinked(*where))
        if bad_end:
            ends.append(_headless(chain) if headless else _truncated(chain, seq, head_seq))
    if walk.altered:
        # As in Python, an event that is out of place is not also called altered.
        named = {p.event_id for p in problems}
        problems += [_altered(*row) for row in db.execute(_ALTERED) if row.id not in named]
    if walk.emptied:
        ends += [_truncated(chain, 0, head_seq) for chain, head_seq in db.execute(_EMPTIED)]
    problems.sort(key=lambda p: (p.chain, p.seq))
    ends.sort(key=lambda p: (p.problem == "chain has no head", p.chain))
    return walk.checked, problems + ends

"""Checking the audit trail: every chain's order, links and head, every
hash, and every content still present against its digest. On PostgreSQL in
SQL (one statement, one snapshot); on SQLite, which has no sha256(), in
Python over the same format (audit_format.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Row, Text, cast, select, text
from sqlalchemy.orm import Session

from models import AuditChain, AuditEvent

from .audit_format import ALTERED, case_of, content_digest, event_hash, hashed_fields


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
    *fields, actor_label, data_text, erased_at, event_id, prev_hash, digest = event
    chain, seq, case_id = fields[:3]
    if seq != before_seq + 1:
        return _gap(chain, case_id, seq, event_id, before_seq)
    if prev_hash != before_hash:
        return _unlinked(chain, case_id, seq, event_id)
    if event_hash(before_hash, hashed_fields(*fields)) != digest:
        return _altered(chain, case_id, seq, event_id)
    if erased_at is None and content_digest(actor_label, data_text) != fields[-1]:
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
        e.action,
        e.bpmn_task,
        e.content_digest,
        e.actor_label,
        cast(e.data, Text),
        e.erased_at,
        e.id,
        e.prev_hash,
        e.hash,
    ).order_by(e.chain, e.seq)
    yield from db.connection().execute(stmt.execution_options(yield_per=batch))


# --- in PostgreSQL ---------------------------------------------------------------

# One statement, so one snapshot. Every hash is recomputed in a count: an
# aggregate, which PostgreSQL spreads over parallel workers (a window
# function never is). Meanwhile one walk over the events in (chain, seq)
# order finds the event before each (lag), each chain's last (lead) and its
# stored head. Only problem rows leave the database. `emptied` counts chains
# whose head records events although none is left. IS DISTINCT FROM, not <>:
# a NULL forced into a column must not compare as "unknown", i.e. as fine.
_WALK = text(f"""
SELECT (SELECT count(*) FROM audit_events e
        WHERE {ALTERED}) AS altered,
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
WHERE {ALTERED}
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

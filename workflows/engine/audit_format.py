"""What an audit event's hash covers, in Python and in PostgreSQL's SQL (the
two must agree byte for byte: docs/architecture.md, "Audit trail").

An event's *content* — who did it (the actor's name) and its data — is
personal data that may have to be erased (a retention date, a subject's
request). So the hash covers a digest of the content, not the content: an
erased event keeps its digest, and its hash still proves the chain's order
and completeness; content still present is checked against the digest.

hash    = sha256(prev_hash + json_build_array(chain, seq, case_id,
          occurred_at as integer microseconds since 1970 UTC, actor_id,
          action, bpmn_task, content_digest)::text)
content = json_build_array(actor_label, data)::text, with `data` the
          stored canonical JSON embedded verbatim
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

# json.dumps with these options escapes strings byte for byte as PostgreSQL
# does (the tests check every code point but NUL, which PostgreSQL text
# cannot hold), so verify can recompute hashes inside the database.
_LIKE_POSTGRESQL = {"ensure_ascii": False, "separators": (", ", ": ")}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def epoch_micros(moment: datetime) -> int:
    """Integers have one text form everywhere; timestamps have many."""
    return (moment - _EPOCH) // _MICROSECOND


def content_text(actor_label: str, data_text: str) -> str:
    return f"[{json.dumps(actor_label, **_LIKE_POSTGRESQL)}, {data_text}]"


def content_digest(actor_label: str, data_text: str) -> str:
    return hashlib.sha256(content_text(actor_label, data_text).encode("utf-8")).hexdigest()


def hashed_fields(
    chain: str,
    seq: int,
    case_id: int | None,
    occurred_at: datetime,
    actor_id: int | None,
    action: str,
    bpmn_task: str | None,
    digest: str,
) -> tuple:
    """The hashed columns in hashing order; `digest` is the content's."""
    return (chain, seq, case_id, epoch_micros(occurred_at), actor_id, action, bpmn_task, digest)


def hashed_text(prev_hash: str, fields: tuple) -> str:
    return prev_hash + json.dumps(list(fields), **_LIKE_POSTGRESQL)


def event_hash(prev_hash: str, fields: tuple) -> str:
    return hashlib.sha256(hashed_text(prev_hash, fields).encode("utf-8")).hexdigest()


def case_of(chain_key: str) -> int | None:
    return int(chain_key[5:]) if chain_key.startswith("case-") else None


# The same, rebuilt by PostgreSQL from an event's stored columns (aliased e).
RECOMPUTED_HASH = """encode(sha256(convert_to(e.prev_hash || json_build_array(
    e.chain, e.seq, e.case_id, (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
    e.actor_id, e.action, e.bpmn_task, e.content_digest)::text, 'UTF8')), 'hex')"""
RECOMPUTED_DIGEST = """encode(sha256(convert_to(json_build_array(e.actor_label, e.data)::text, 'UTF8')), 'hex')"""
# What verify counts as altered: a hash that does not match, or content still
# present that does not match its digest.
ALTERED = (
    f"({RECOMPUTED_HASH} IS DISTINCT FROM e.hash"
    f" OR (e.erased_at IS NULL AND {RECOMPUTED_DIGEST} IS DISTINCT FROM e.content_digest))"
)

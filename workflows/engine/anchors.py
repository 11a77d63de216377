"""Anchoring the audit trail outside the database, as Certificate
Transparency does (docs/architecture.md, "Audit trail").

The hash chains alone convince nobody that the trail was not rewritten:
whoever holds the database can recompute every hash and move every head.
So the worker signs the chains' heads with a key the database never sees
and appends them to a log it never sees (anchorlog.py), and can email each
anchor away. `verify` then requires every anchored head to be still in the
database: a rewritten event, a dropped last event with its head moved
back, or a table emptied and refilled, each contradicts an anchor.

An anchor lists only the chains that moved since the anchor before it, so
the latest anchor naming a chain holds its anchored head; the writer
re-anchors a chain only while its last anchored head still stands, so a
forgery is never blessed by a later anchor.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from models import SYSTEM_CHAIN, AuditChain, AuditEvent, OutboxMessage
from models.base import canonical_json

from . import anchorlog, audit, clock
from .anchorlog import Anchor, AnchorError, LogProblem
from .context import Context, Settings

log = logging.getLogger(__name__)

ANCHOR_TEMPLATE = "audit_anchor"  # the outbox template of an anchor's email


@dataclass(frozen=True)
class AnchorProblem:
    """The database disagrees with an anchor about one chain."""

    chain: str
    case_id: int | None
    seq: int
    event_id: int | None
    anchor: Anchor
    problem: str

    def __str__(self) -> str:
        where = f"case {self.case_id}" if self.case_id else f"chain {self.chain}"
        event = f" event #{self.seq}" + (f" (id {self.event_id})" if self.event_id else "")
        return f"{where}{event}: {self.problem}"


@dataclass(frozen=True)
class Written:
    anchor: Anchor
    withheld: list[AnchorProblem]  # chains not re-anchored: they contradict their last anchor


@dataclass(frozen=True)
class Verification:
    checked: int  # audit events
    problems: list  # audit.ChainProblem, then LogProblem, then AnchorProblem
    anchors: int  # genuine anchors the database was checked against
    note: str


# --- writing --------------------------------------------------------------------------


def write(ctx: Context, only_if_moved: bool = False) -> Written | None:
    """Sign the heads of the chains that moved since the last anchor and
    append them to the log; queue the anchor's email in the caller's
    transaction. With `only_if_moved`, nothing is written if no chain moved
    but for the sending of earlier anchors' emails."""
    settings, db = ctx.settings, ctx.db
    key = anchorlog.signing_key(settings.anchor_key)
    with anchorlog.locked(settings.anchor_log) as lines:
        anchors = _genuine_or_refuse(settings.anchor_log, lines, key)
        found = _to_anchor(db, _latest(anchors), only_if_moved)
        if found is None:
            return None
        moved, withheld = found
        line = _signed_line(key, anchors[-1] if anchors else None, moved)
        anchorlog.append(settings.anchor_log, line)
    anchor = anchorlog.parse(line, len(anchors) + 1)
    _queue_email(db, settings, anchor, line)
    return Written(anchor, withheld)


def _to_anchor(db: Session, anchored: dict, only_if_moved: bool) -> tuple[dict, list[AnchorProblem]] | None:
    """The heads to anchor and the chains withheld; None if nothing is worth an anchor.
    The heads are read before the check, so a forgery the read saw, the check sees."""
    moved = {c: h for c, h in _heads(db).items() if anchored.get(c, (0, ""))[:2] != h}
    if only_if_moved and not _worth_anchoring(db, moved, anchored):
        return None
    withheld = _contradictions(db, {c: anchored[c] for c in moved if c in anchored})
    for problem in withheld:
        del moved[problem.chain]
        log.error("audit chain not re-anchored: %s", problem)
    if only_if_moved and not moved:
        return None  # only forged chains moved: nothing to vouch for
    return moved, withheld


def _signed_line(key, last: Anchor | None, moved: dict[str, tuple[int, str]]) -> str:
    number, prev = (last.number + 1, last.digest) if last else (1, "")
    at = clock.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return anchorlog.sign(key, number, at, prev, {c: list(moved[c]) for c in sorted(moved)})


# The worker's next look at the heads, per anchor log (the worker loops every
# second; the heads are read once a period).
_next_look: dict[Path, datetime] = {}


def write_if_due(ctx: Context) -> Written | None:
    """The worker's call: an anchor every `anchor_every_minutes` in which a
    chain moved. 0 turns the worker's anchoring off."""
    every, path, now = ctx.settings.anchor_every_minutes, ctx.settings.anchor_log, clock.now()
    if every <= 0 or now < _next_look.get(path, now):
        return None
    _next_look[path] = now + timedelta(minutes=every)
    return write(ctx, only_if_moved=True)


def _genuine_or_refuse(path: Path, lines: list[str], key) -> list[Anchor]:
    """Extending a log that does not verify would vouch for it."""
    anchors, problems = anchorlog.check(lines, key.public_key())
    if problems:
        raise AnchorError(f"{path} does not verify, so no anchor is added to it: {problems[0]}")
    return anchors


def _heads(db: Session) -> dict[str, tuple[int, str]]:
    rows = db.execute(select(AuditChain.id, AuditChain.seq, AuditChain.head))
    return {chain: (seq, head) for chain, seq, head in rows if seq > 0}


def _latest(anchors: list[Anchor]) -> dict[str, tuple[int, str, Anchor]]:
    """Each chain's last anchored (seq, head), with the anchor that holds it."""
    latest = {}
    for anchor in anchors:
        for chain, (seq, head) in anchor.chains.items():
            latest[chain] = (seq, head, anchor)
    return latest


def _worth_anchoring(db: Session, moved: dict, anchored: dict) -> bool:
    """Sending an anchor's email appends `notification_sent` to the system
    chain; anchoring only that would email an anchor every period for ever."""
    if set(moved) != {SYSTEM_CHAIN}:
        return bool(moved)
    since = anchored.get(SYSTEM_CHAIN, (0,))[0]
    events = db.execute(
        select(AuditEvent.action, AuditEvent.data).where(AuditEvent.chain == SYSTEM_CHAIN, AuditEvent.seq > since)
    )
    return any(action != "notification_sent" or data.get("template") != ANCHOR_TEMPLATE for action, data in events)


def _queue_email(db: Session, settings: Settings, anchor: Anchor, line: str) -> None:
    """Through the outbox, so it leaves only if the worker's transaction commits."""
    if not settings.anchor_email:
        return
    body = (
        f"Anchor #{anchor.number} of the casework audit trail, signed at {anchor.at}.\n"
        "Keep this message: with it anyone can show later that the audit trail was not rewritten\n"
        'before this time (docs/architecture.md, "Audit trail").\n\n'
        f"Chains anchored: {len(anchor.chains)} (those that moved since anchor #{anchor.number - 1})\n"
        f"Anchor hash (sha256 of the line below): {anchor.digest}\n"
        f"Public key (Ed25519): {anchor.key}\n\n{line}\n"
    )
    db.add(
        OutboxMessage(
            case_id=None,
            template=ANCHOR_TEMPLATE,
            to_email=settings.anchor_email,
            to_name="Audit anchor archive",
            subject=f"Audit anchor #{anchor.number}, {anchor.at[:16].replace('T', ' ')} UTC",
            body=body,
            created_at=clock.now(),
        )
    )


# --- checking the database against the anchors -------------------------------------------

# The anchored heads as rows (chain, seq, head), from one JSON parameter:
# a chain per case is too many bound parameters for an IN list.
_ANCHORED_ROWS = {
    "postgresql": "SELECT x->>0 AS chain, (x->>1)::int AS seq, x->>2 AS head"
    " FROM json_array_elements(CAST(:anchored AS json)) x",
    "sqlite": "SELECT json_extract(value, '$[0]') AS chain, json_extract(value, '$[1]') AS seq,"
    " json_extract(value, '$[2]') AS head FROM json_each(:anchored)",
}

# One indexed lookup per anchored head; only disagreeing rows come back,
# each with where its chain now ends.
_CONTRADICTED = """
SELECT a.chain, a.seq, e.id, (SELECT max(l.seq) FROM audit_events l WHERE l.chain = a.chain) AS last_seq
FROM ({rows}) a LEFT JOIN audit_events e ON e.chain = a.chain AND e.seq = a.seq
WHERE e.hash IS DISTINCT FROM a.head AND e.v1_hash IS DISTINCT FROM a.head
"""


def _contradictions(db: Session, anchored: dict[str, tuple[int, str, Anchor]]) -> list[AnchorProblem]:
    if not anchored:
        return []
    rows = _ANCHORED_ROWS[db.get_bind().dialect.name]
    pairs = [[chain, seq, head] for chain, (seq, head, _anchor) in anchored.items()]
    found = db.execute(text(_CONTRADICTED.format(rows=rows)), {"anchored": canonical_json(pairs)})
    problems = [_contradiction(anchored[chain][2], chain, seq, event_id, last) for chain, seq, event_id, last in found]
    return sorted(problems, key=lambda p: p.chain)


def _contradiction(anchor: Anchor, chain: str, seq: int, event_id: int | None, last_seq: int | None) -> AnchorProblem:
    if event_id is None:
        problem = (
            f"{anchor} recorded this event, which is gone (the chain now ends at #{last_seq or 0}):"
            " events were removed after they were anchored"
        )
    else:
        problem = (
            f"its hash is not the one {anchor} recorded:"
            " this event or one before it was rewritten after it was anchored"
        )
    return AnchorProblem(chain, audit.case_of(chain), seq, event_id, anchor, problem)


def verify(db: Session, settings: Settings) -> Verification:
    """audit.verify, then the anchor log itself, then the database against
    every genuine anchor. A database with no anchors yet verifies as before."""
    checked, problems = audit.verify(db)
    try:
        lines, trusted = anchorlog.read(settings.anchor_log), anchorlog.public_key(settings.anchor_key)
    except (AnchorError, OSError) as error:
        return Verification(checked, [*problems, LogProblem(None, None, str(error))], 0, "")
    if not lines:
        gone = _log_gone(settings) if trusted else []
        return Verification(checked, problems + gone, 0, "" if gone else _nothing_anchored(settings))
    if trusted is None:
        missing = LogProblem(None, None, f"the anchor key {settings.anchor_key} is gone: no anchor can be checked")
        return Verification(checked, [*problems, missing], 0, "")
    anchors, log_problems = anchorlog.check(lines, trusted)
    contradicted = _contradictions(db, _latest(anchors))
    return Verification(checked, problems + log_problems + contradicted, len(anchors), _checked_against(anchors))


def _log_gone(settings: Settings) -> list[LogProblem]:
    """The key is made just before the first anchor is appended: a key with
    no log means the log was removed."""
    return [LogProblem(None, None, f"{settings.anchor_log} is missing or empty, but anchors were signed: removed")]


def _nothing_anchored(settings: Settings) -> str:
    return (
        f"Nothing is anchored yet ({settings.anchor_log} holds no anchor): the chains are checked only"
        " against themselves. The worker writes anchors; `flask audit anchor` writes one now."
    )


def _checked_against(anchors: list[Anchor]) -> str:
    if not anchors:
        return "No genuine anchor to check the database against."
    last = anchors[-1]
    return f"Checked against {len(anchors)} anchor(s); the latest is {last}, hash {last.digest}."

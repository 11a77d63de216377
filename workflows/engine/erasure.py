"""Erasing a record of the case file: an evidence file or link, a letter,
interview notes (for a retention date, or a person's request).

What the record held goes: its words at once, its file when the worker's
sweep finds no record that is not erased still refers to it (so nothing is
removed before the erasure commits). What proves it existed stays: the row,
its SHA-256 and size, its dates, and the audit trail's events about it, whose
own content (a note's words, a file's name) is erased with it (audit.erase).
"""

from __future__ import annotations

from sqlalchemy import select

from models import AuditEvent, Case, Evidence, InterviewNote, Letter, User

from . import audit, clock, holds
from .audit import Actor
from .context import Context
from .errors import InvalidInput

ERASED = "(erased)"
# The key by which the trail's events name each kind of record.
_NAMED_BY = {Evidence: "evidence_id", Letter: "letter_id", InterviewNote: "note_id"}


def erase_record(ctx: Context, record: Evidence | Letter | InterviewNote, by: User | Actor, rule: str) -> bool:
    """Erase one record and the trail's words about it, in the caller's
    transaction. False if it was erased already. Never under a legal hold."""
    rule = rule.strip()
    if not rule:
        raise InvalidInput("Name the rule the erasure is made under (a retention date, a request).", "rule")
    if record.erased_at is not None:
        return False
    case = ctx.db.get(Case, record.case_id) if record.case_id else None
    if case is not None and holds.is_held(ctx.db, case):
        raise InvalidInput(f"{case.reference} is under a legal hold: nothing of it may be erased.", "rule")
    _clear(record)
    record.erased_at, record.erasure_rule = clock.now(), rule[:200]
    key = _NAMED_BY[type(record)]
    about = ctx.db.scalars(
        select(AuditEvent).where(AuditEvent.case_id == record.case_id, AuditEvent.erased_at.is_(None))
    )
    actor = by if isinstance(by, Actor) else Actor.person(by)
    audit.erase(ctx.db, [event.id for event in about if event.data.get(key) == record.id], actor, rule)
    audit.record(ctx.db, record.case_id, "record_erased", actor, {key: record.id, "rule": rule, **_proof(record)})
    return True


def _clear(record) -> None:
    if isinstance(record, Evidence):
        record.description, record.filename, record.url = "", None, None
    elif isinstance(record, Letter):
        record.body = ""
    else:
        record.witness, record.notes = ERASED, ""


def _proof(record) -> dict:
    """What still shows the record existed, for the trail."""
    if isinstance(record, Evidence):
        return {"kind": record.kind, "sha256": record.sha256, "size": record.size}
    if isinstance(record, Letter):
        return {"kind": record.kind, "sha256": record.pdf_sha256, "size": record.pdf_size}
    return {"interviewed_on": record.interviewed_on.isoformat()}

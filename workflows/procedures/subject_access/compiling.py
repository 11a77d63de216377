"""The operations on a request's compilation: compile it (for HR's review,
audited: it reads special-category data), adjust its redactions (each
adjustment an audit event; the latest stands) and release it. The release is
downloaded through the case file's evidence page, which audits each download."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from models import AuditEvent, Case, Evidence, Role, User
from workflows.engine import access, audit, clock
from workflows.engine.audit import Actor
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import evidence_path
from workflows.engine.queries import case_data

from . import package
from .holdings import held_about
from .opening import KIND
from .redaction import Adjustments, Redacted, redact

ADJUSTED = "redactions_adjusted"
MAX_PHRASES, MAX_PHRASE = 50, 200
NOT_OPEN = "This request has been released: its redactions can no longer change."


def may_handle(user: User, case: Case) -> bool:
    """HR on the case's side: never the person asking (need to know)."""
    return case.kind == KIND and user.has_role(Role.HR) and access.can_view_case(user, case)


def compile_request(ctx: Context, case: Case, by: User) -> Redacted:
    """The person's documents, redacted as HR last adjusted them."""
    if not may_handle(by, case):
        access.refuse(by, case, "compiled the data of a subject access request")
    compiled = redact(ctx.db, case.subject, held_about(ctx.db, case.subject), adjustments(ctx.db, case))
    audit.record(ctx.db, case.id, "subject_data_compiled", Actor.person(by), {"documents": len(compiled.documents)})
    return compiled


def adjustments(db, case: Case) -> Adjustments:
    latest = db.scalar(
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id, AuditEvent.action == ADJUSTED, AuditEvent.erased_at.is_(None))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    if latest is None:
        return Adjustments()
    return Adjustments(frozenset(latest.data.get("unredact", [])), tuple(latest.data.get("redact_also", [])))


def adjust(ctx: Context, case: Case, by: User, unredact: str, redact_also: str) -> Adjustments:
    """Replace the adjustments with HR's: letters to show in the clear (one a line, "Person B"),
    and words to redact (one a line)."""
    if not may_handle(by, case):
        access.refuse(by, case, "adjusted the redactions of a subject access request")
    if not case.is_open:
        raise InvalidInput(NOT_OPEN)
    letters = _lines(unredact)
    phrases = _lines(redact_also)
    known = redact(ctx.db, case.subject, held_about(ctx.db, case.subject)).key
    unknown = [letter for letter in letters if letter not in known]
    if unknown:
        listed = ", ".join(known) or "none: nobody else is named"
        raise InvalidInput(f"{', '.join(unknown)} is not in this compilation (its people: {listed}).", "unredact")
    if len(phrases) > MAX_PHRASES or any(len(p) > MAX_PHRASE or len(p) < 2 for p in phrases):
        raise InvalidInput(
            f"Give at most {MAX_PHRASES} words or phrases to redact, one a line, each 2 to {MAX_PHRASE} characters.",
            "redact_also",
        )
    chosen = Adjustments(frozenset(letters), tuple(phrases))
    data = {"unredact": sorted(chosen.unredact), "redact_also": list(chosen.redact_also)}
    audit.record(ctx.db, case.id, ADJUSTED, Actor.person(by), data)
    return chosen


def _lines(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def release(ctx: Context, case: Case, by: User, decision: dict) -> Evidence:
    """Build the release (a ZIP) as HR last adjusted it, keep it by SHA-256
    as a record of the case (HR's only, never shared) and audit it."""
    compiled = redact(ctx.db, case.subject, held_about(ctx.db, case.subject), adjustments(ctx.db, case))
    about = {**case_data(case), **{k: decision[k] for k in ("exemptions", "exemption_reasons")}}
    zipped = package.build(ctx.settings, case, compiled.documents, about)
    digest = hashlib.sha256(zipped).hexdigest()
    path = evidence_path(ctx.settings, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zipped)
    now = clock.now()
    item = Evidence(
        case_id=case.id,
        kind="file",
        sha256=digest,
        filename=f"{case.reference}-release.zip",
        content_type="application/zip",
        size=len(zipped),
        description=f"The release of {case.reference}: {len(compiled.documents)} documents",
        shared_with_subject=False,
        added_by_id=by.id,
        added_at=now,
    )
    ctx.db.add(item)
    ctx.db.flush()
    audit.record(
        ctx.db,
        case.id,
        "subject_data_released",
        Actor.person(by),
        {
            "evidence_id": item.id,
            "sha256": digest,
            "documents": [doc.label for doc in compiled.documents],
            "exemptions": decision.get("exemptions", []),
        },
    )
    return item

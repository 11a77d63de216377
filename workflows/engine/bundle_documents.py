"""What goes in a tribunal bundle (bundle.py): every letter, notice,
statement, interview note and evidence item of the cases, in the order they
came to be, each with the SHA-256 the other side can check it by; and the
proof of the audit trail (each case's chain head and its latest anchor).

An erased record (erasure.py) is in the bundle as what is left of it: when,
under which rule, and its hash (a record with no hash of its own, such as
interview notes, is proved by the audit event that recorded its erasure).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditChain, AuditEvent, Case, Evidence, InterviewNote, Letter, OutboxMessage

from . import anchorlog, clock, queries
from .anchorlog import AnchorError
from .anchors import ANCHOR_TEMPLATE
from .audit import chain_id
from .context import Settings
from .evidence import evidence_path

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass
class Document:
    kind: str  # Letter, Notice, Statement, Interview notes, Evidence
    title: str
    case: Case
    when: datetime
    sha256: str
    hash_of: str  # what the SHA-256 is of, in words
    text: str = ""  # printed on the bundle's own pages
    file: Path | None = None  # a stored PDF or image, put in as it is
    content_type: str | None = None

    @property
    def heading(self) -> str:
        return f"{self.kind}: {self.title} ({self.case.reference}, {day(self.when)})"


def day(moment: datetime) -> str:
    return clock.london(moment).strftime("%-d %B %Y")


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def documents(db: Session, settings: Settings, cases: list[Case]) -> list[Document]:
    found: list[Document] = []
    for case in cases:
        erasures = _erasures(db, case)
        found += [_letter(settings, case, item, erasures) for item in queries.letters(db, case)]
        found += [_notice(case, item) for item in _notices(db, case)]
        found += _statements(db, case)
        found += [_note(case, item, erasures) for item in queries.interview_notes(db, case)]
        found += [_evidence(settings, case, item, erasures) for item in queries.case_evidence(db, case)]
    return sorted(found, key=lambda d: (d.when, d.case.id))


def _erasures(db: Session, case: Case) -> dict[tuple[str, int], AuditEvent]:
    """The `record_erased` event of each erased record, by what it names."""
    events = db.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "record_erased"))
    keys = ("evidence_id", "letter_id", "note_id")
    return {(key, event.data[key]): event for event in events for key in keys if key in event.data}


def _erased_text(record, proof: str) -> str:
    when = clock.london(record.erased_at).strftime("%-d %B %Y, %H:%M")
    return f"Erased on {when} (UK time) under “{record.erasure_rule}”.\n\n{proof}"


def _event_proof(event: AuditEvent | None) -> tuple[str, str]:
    if event is None:  # erased before erasures were recorded: nothing to prove it by
        return "", "no hash was kept"
    return event.hash, f"the audit event recording the erasure (#{event.seq} of chain {event.chain})"


def _letter(settings: Settings, case: Case, item: Letter, erasures: dict) -> Document:
    doc = Document("Letter", item.title, case, item.issued_at, item.pdf_sha256, "the letter's PDF as issued")
    if item.erased_at:
        doc.text = _erased_text(item, f"SHA-256 of the letter's PDF as issued: {item.pdf_sha256}")
    else:
        doc.file, doc.content_type = evidence_path(settings, item.pdf_sha256), "application/pdf"
    return doc


def _notices(db: Session, case: Case) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).where(OutboxMessage.case_id == case.id, OutboxMessage.template != ANCHOR_TEMPLATE)
    return list(db.scalars(stmt.order_by(OutboxMessage.id)))


def _notice(case: Case, item: OutboxMessage) -> Document:
    sent = f"Sent {clock.london(item.sent_at).strftime('%-d %B %Y, %H:%M')} (UK time)" if item.sent_at else "Not sent"
    text = f"To: {item.to_name} <{item.to_email}>\n{sent}\n\n{item.body}"
    return Document(
        "Notice", item.subject, case, item.created_at, _text_hash(item.body), "the notice's body", text=text
    )


def _statements(db: Session, case: Case) -> list[Document]:
    """A person's own account, given in a step (`…_statement` in its data)."""
    events = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id, AuditEvent.action == "task_completed")
        .order_by(AuditEvent.seq)
    )
    found = []
    for event in events:
        data = event.data.get("data", {})
        for key, value in data.items():
            if key.endswith("_statement") and isinstance(value, str) and value.strip():
                title, digest, when = f"Account of {event.actor_label}", _text_hash(value), event.occurred_at
                found.append(Document("Statement", title, case, when, digest, "the statement's text", value))
    return found


def _note(case: Case, item: InterviewNote, erasures: dict) -> Document:
    when = item.added_at
    if item.erased_at:
        digest, of = _event_proof(erasures.get(("note_id", item.id)))
        text = _erased_text(item, f"Hash of {of}: {digest}")
        return Document("Interview notes", "(erased)", case, when, digest, of, text=text)
    title = f"{item.witness}, {item.interviewed_on.strftime('%-d %B %Y')}"
    return Document("Interview notes", title, case, when, _text_hash(item.notes), "the notes' text", item.notes)


def _evidence(settings: Settings, case: Case, item: Evidence, erasures: dict) -> Document:
    when = item.added_at
    if item.erased_at:
        digest, of = (item.sha256, "the file") if item.sha256 else _event_proof(erasures.get(("evidence_id", item.id)))
        text = _erased_text(item, f"SHA-256 of {of}: {digest}" if item.sha256 else f"Hash of {of}: {digest}")
        return Document("Evidence", "(erased)", case, when, digest, of, text=text)
    about = item.description or "No description"
    if item.kind == "url":
        text = f"A link: {item.url}\n\n{about}"
        return Document("Evidence", about[:80], case, when, _text_hash(item.url or ""), "the link", text=text)
    doc = Document("Evidence", item.filename or about[:80], case, when, item.sha256 or "", "the file", text=about)
    path = evidence_path(settings, item.sha256)
    if path.exists() and item.content_type in IMAGE_TYPES | {"application/pdf"}:
        doc.file, doc.content_type = path, item.content_type
    else:  # a file gone from the store is said so, not left out
        doc.text = f"{about}\n\nThe file is not in the evidence store."
    return doc


# --- the audit trail's proof --------------------------------------------------------


def trail_proof(db: Session, settings: Settings, cases: list[Case]) -> str:
    """Each case's chain head, and the latest genuine anchor that names it."""
    latest, key, problem = _anchored(settings)
    lines = []
    for case in cases:
        chain = chain_id(case.id)
        # Columns, not the entity: appends update the row behind the session's back.
        head = db.execute(select(AuditChain.seq, AuditChain.head).where(AuditChain.id == chain)).first()
        seq, digest = (head.seq, head.head) if head else (0, "")
        lines.append(f"{case.reference} (chain {chain}): head at event #{seq}, hash\n{digest}")
        anchored = latest.get(chain)
        if anchored:
            anchor_seq, anchor_head, anchor = anchored
            lines.append(
                f"Anchored by anchor #{anchor.number} ({anchor.at}) at event #{anchor_seq}, hash\n{anchor_head}\n"
                f"SHA-256 of that anchor's line in the anchor log:\n{anchor.digest}"
            )
        else:
            lines.append("Not anchored yet: the chain is checked only against itself until the next anchor.")
        lines.append("")
    if key:
        lines.append(f"The anchors are signed with this Ed25519 key (public, hex):\n{key}")
    if problem:
        lines.append(f"The anchor log could not be read: {problem}")
    return "\n".join(lines)


def _anchored(settings: Settings) -> tuple[dict, str, str]:
    try:
        lines, trusted = anchorlog.read(settings.anchor_log), anchorlog.public_key(settings.anchor_key)
    except (AnchorError, OSError) as error:
        return {}, "", str(error)
    if trusted is None or not lines:
        return {}, "", ""
    genuine, _problems = anchorlog.check(lines, trusted)  # only genuine anchors vouch for anything
    latest = {}
    for anchor in genuine:
        for chain, (seq, head) in anchor.chains.items():
            latest[chain] = (seq, head, anchor)
    return latest, anchorlog.key_hex(trusted), ""

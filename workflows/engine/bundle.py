"""The tribunal bundle: HR exports a case, with every case linked to it (the
case it was opened from, the cases opened from it, and so on), as
one paginated PDF for an employment tribunal: an index with page numbers, a
chronology from the audit trail, every letter, notice, statement, interview
note and evidence item in the order they came to be, and a manifest of
their SHA-256 with the audit chains' heads and anchors, so the other side
can check what it was given.

Only HR may export, and never a case they are conflicted on; every export is
audited on each case in the bundle, with who and why (docs/domain.md,
"Records and data protection": access and export must be logged).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from models import AuditEvent, Case, Role, User

from . import access, audit, clock, letters, queries
from .audit import Actor
from .bundle_documents import Document, documents, trail_proof
from .bundle_pdf import Book, Part, assemble, page_count
from .context import Context
from .errors import InvalidInput

# An audit event in plain words, as the case page's timeline says it (the web
# app's filters): lines of text. Passed in, so the engine never imports the web app.
Describe = Callable[[AuditEvent, Case], list[str]]
REASON_LIMIT = 2000


@dataclass
class Bundle:
    reference: str  # the case it was exported from
    pdf: bytes
    sha256: str
    pages: int
    cases: list[Case]
    documents: list[Document]

    @property
    def filename(self) -> str:
        return f"{self.reference}-tribunal-bundle.pdf"

    def cases_named(self) -> list[str]:
        return [c.reference for c in self.cases]


def bundle_cases(db: Session, case: Case) -> list[Case]:
    """The case and every case linked to it, however far along the chain, oldest first."""
    found, frontier = {case.id: case}, [case]
    while frontier:
        frontier = [c for here in frontier for c in queries.linked_cases(db, here) if c.id not in found]
        found.update((c.id, c) for c in frontier)
    return sorted(found.values(), key=lambda c: (c.opened_at, c.id))


def check_may_export(user: User, case: Case, cases: list[Case]) -> None:
    """HR only, and only if they may see every case in the bundle ("HR for HR")."""
    if not user.has_role(Role.HR):
        access.refuse(user, case, "exported a tribunal bundle without the HR role")
    for other in cases:  # the subject, a reporter or a witness never exports through the HR role
        if access.conflicted(user, other, access.party_roles(user, other)):
            access.refuse(user, other, f"exported a tribunal bundle of {case.reference}, which includes this case")


def export(ctx: Context, case: Case, by: User, reason: str, describe: Describe) -> Bundle:
    """Make the bundle and audit its export, in the caller's transaction."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the bundle is exported: the claim or request it is for.", "reason")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput(f"At most {REASON_LIMIT:,} characters.", "reason")
    cases = bundle_cases(ctx.db, case)
    check_may_export(by, case, cases)
    docs = documents(ctx.db, ctx.settings, cases)
    book = Book(ctx.settings)
    book.text("Chronology", "Chronology", _chronology(ctx.db, cases, describe))
    for number, doc in enumerate(docs, 1):
        book.document(number, doc)
    manifest = _manifest(docs, trail_proof(ctx.db, ctx.settings, cases))
    book.text("Manifest: how to check this bundle", "Manifest", manifest)
    index = _index(ctx, case, cases, by, reason, book.parts)
    pdf = assemble(index, book, f"{case.reference} tribunal bundle")
    made = Bundle(case.reference, pdf, hashlib.sha256(pdf).hexdigest(), page_count(pdf), cases, docs)
    for each in cases:
        audit.record(
            ctx.db,
            each.id,
            "bundle_exported",
            Actor.person(by),
            {"reason": reason, "cases": made.cases_named(), "pages": made.pages, "sha256": made.sha256},
        )
    return made


def _chronology(db: Session, cases: list[Case], describe: Describe) -> str:
    """Every case's timeline (less page views), merged in the order things happened."""
    events = [(event, case) for case in cases for event in queries.timeline(db, case, subject_view=False)]
    events.sort(key=lambda pair: (pair[0].occurred_at, pair[1].id, pair[0].seq))
    return "\n".join(line for event, case in events for line in describe(event, case)) or "Nothing recorded."


def _manifest(docs: list[Document], proof: str) -> str:
    lines = [
        "Each document's SHA-256: of the file as stored for a letter (its PDF as issued) or an evidence file; "
        "of the text as printed here (UTF-8) for a statement or interview notes, and for a notice its body "
        "(below its addressee); of the address for a link.",
        "",
    ]
    for number, doc in enumerate(docs, 1):
        lines += [f"{number}. {doc.heading}", f"SHA-256 of {doc.hash_of}:", doc.sha256 or "none", ""]
    lines += [
        "The audit trail",
        "Every event's hash covers the one before it, so a chain's head vouches for every event in it; an "
        "anchor is the head signed into a log kept outside the database, so a trail rewritten later is caught. "
        "The heads as this bundle was made (its export is recorded as the next event of each chain):",
        "",
        proof,
    ]
    return "\n".join(lines)


def _index(ctx: Context, case: Case, cases: list[Case], by: User, reason: str, parts: list[Part]) -> bytes:
    """The index's own length moves every page number after it: rendered
    until the length it assumed is the length it has."""
    length = 1
    for _ in range(5):
        text = _index_text(case, cases, by, reason, parts, length)
        index = letters.to_pdf(ctx.settings, f"Tribunal bundle: {case.reference}", text)
        if page_count(index) == length:
            break
        length = page_count(index)
    return index


def _index_text(case: Case, cases: list[Case], by: User, reason: str, parts: list[Part], length: int) -> str:
    made = clock.london(clock.now()).strftime("%-d %B %Y, %H:%M")
    lines = [f"The case {case.reference} and every case linked to it:"]
    lines += [f"{c.reference}: {c.title} (opened {clock.london(c.opened_at).strftime('%-d %B %Y')})" for c in cases]
    lines += ["", f"Exported by {by.name} on {made} (UK time), for: {reason}", "", "Contents"]
    page = length + 1
    for part in parts:
        lines.append(f"{part.heading} — page {page}")
        page += part.pages
    lines += ["", f"{page - 1} pages in all. Times are UK time."]
    return "\n".join(lines)

"""Letters to the subject, rendered from a procedure's templates and kept as
issued: the text, and the PDF stored by SHA-256 beside the evidence."""

from __future__ import annotations

import hashlib

from fpdf import FPDF
from sqlalchemy.orm import Session

from models import Case, Letter, PersonType

from . import clock, registry, texts
from .audit import SYSTEM, PendingEvent
from .context import Settings
from .evidence import evidence_path

LETTERHEAD = "Buckinghamshire Community Wellbeing (BCW) Hub"


def issue(db: Session, settings: Settings, case: Case, kind: str, data: dict) -> PendingEvent:
    """Write the letter, store its PDF, and return the audit event to append."""
    title, body = render(db, case, kind, data)
    pdf = to_pdf(settings, title, body)
    digest = hashlib.sha256(pdf).hexdigest()
    path = evidence_path(settings, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    letter = Letter(
        case_id=case.id,
        kind=kind,
        title=title,
        body=body,
        pdf_sha256=digest,
        pdf_size=len(pdf),
        addressed_to_id=case.subject_id,
        issued_at=clock.now(),
    )
    db.add(letter)
    db.flush()
    return PendingEvent(
        "letter_issued", SYSTEM, {"letter_id": letter.id, "kind": kind, "title": title, "sha256": digest}
    )


def render(db: Session, case: Case, kind: str, data: dict) -> tuple[str, str]:
    procedure = registry.get(case.kind)
    extra = procedure.letter_context(db, case, kind, data) if procedure.letter_context else {}
    return texts.render(
        procedure.letters,
        kind,
        "Title",
        case=case,
        subject=case.subject,
        data=data,
        clause_ids=", ".join(case.clauses),
        volunteer=case.subject.person_type == PersonType.VOLUNTEER,
        trustee=case.subject.person_type == PersonType.TRUSTEE,
        person_type=case.subject.person_type,
        today=clock.london(clock.now()).strftime("%-d %B %Y"),
        **extra,
    )


def to_pdf(settings: Settings, title: str, body: str) -> bytes:
    """An A4 letter in a Unicode TrueType font, so every name prints as typed."""
    pdf = new_pdf(settings)
    write(pdf, title, body)
    return bytes(pdf.output())


def write(pdf: FPDF, title: str, body: str) -> None:
    """A letter's pages, from a new page on."""
    heading(pdf, title)
    pdf.set_font("Letter", size=11)
    pdf.multi_cell(0, 6, body)


def new_pdf(settings: Settings) -> FPDF:
    """A4 in the letters' fonts; the tribunal bundle's pages start here too."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(clock.now())  # same letter, same bytes: a stable SHA-256
    pdf.add_font("Letter", "", str(settings.letter_font))
    pdf.add_font("Letter", "B", str(settings.letter_font_bold))
    return pdf


def heading(pdf: FPDF, title: str) -> None:
    """A new page with the letterhead and the title."""
    pdf.add_page()
    pdf.set_font("Letter", "B", 11)
    pdf.cell(0, 8, LETTERHEAD, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Letter", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

"""Letters to the subject, rendered from templates, kept as issued (text and
PDF, the PDF stored by SHA-256 beside the evidence)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from fpdf import FPDF
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session

from models import Case, Letter, PersonType

from . import clock
from .audit import PendingEvent, SYSTEM
from .context import Settings
from .evidence import evidence_path

_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "letters"),
                         undefined=StrictUndefined, keep_trailing_newline=True)
_ASCII = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def issue(db: Session, settings: Settings, case: Case, kind: str, data: dict) -> PendingEvent:
    """Write the letter, store its PDF, and return the audit event to append."""
    title, body = render(case, kind, data)
    pdf = to_pdf(title, body)
    digest = hashlib.sha256(pdf).hexdigest()
    path = evidence_path(settings, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    letter = Letter(case_id=case.id, kind=kind, title=title, body=body, pdf_sha256=digest,
                    pdf_size=len(pdf), addressed_to_id=case.subject_id, issued_at=clock.now())
    db.add(letter)
    db.flush()
    return PendingEvent("letter_issued", SYSTEM, {"letter_id": letter.id, "kind": kind,
                                                  "title": title, "sha256": digest})


def render(case: Case, kind: str, data: dict) -> tuple[str, str]:
    text = _templates.get_template(f"{kind}.txt").render(
        case=case, subject=case.subject, data=data, clause_ids=", ".join(case.clauses),
        volunteer=case.subject.person_type == PersonType.VOLUNTEER,
        today=clock.london(clock.now()).strftime("%-d %B %Y"))
    first, _, body = text.partition("\n")
    return first.removeprefix("Title: ").strip(), body.strip() + "\n"


def to_pdf(title: str, body: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(clock.now())  # same letter, same bytes: stable SHA-256
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 8, "Buckinghamshire Community Wellbeing (BCW) Hub", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, _latin1(body))
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    """The PDF core fonts are Latin-1: fold typographic punctuation first."""
    return text.translate(_ASCII).encode("latin-1", "replace").decode("latin-1")

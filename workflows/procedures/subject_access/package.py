"""The release: a ZIP holding a readable index (HTML, and a PDF in DejaVu
Sans as the letters are), each document, and a machine-readable JSON of the
same documents. Built from the redacted documents only."""

from __future__ import annotations

import io
import json
import zipfile
from html import escape

from fpdf import FPDF

from models import Case
from workflows.engine import clock
from workflows.engine.context import Settings
from workflows.engine.evidence import evidence_path, safe_filename
from workflows.engine.letters import LETTERHEAD, to_pdf

from .holdings import Document
from .steps import EXEMPTIONS

HOW_REDACTED = (
    "Other people's names and email addresses are replaced by Person A, Person B and so on: "
    "the same letter wherever the same person appears. [redacted] marks other words withheld."
)


def build(settings: Settings, case: Case, documents: list[Document], about: dict) -> bytes:
    stamp = clock.london(clock.now()).timetuple()[:6]  # one time for every entry: the same release, the same bytes
    files = {doc.label: _file_name(doc) for doc in documents}
    summary = _summary(case, about)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, content: bytes) -> None:
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), content)

        put("index.html", index_html(summary, documents, files).encode("utf-8"))
        put("index.pdf", index_pdf(settings, summary, documents, files))
        put("data.json", json.dumps(as_json(summary, documents, files), ensure_ascii=False, indent=2).encode("utf-8"))
        for doc in documents:
            put(f"documents/{files[doc.label]}", _content(settings, doc))
    return out.getvalue()


def _summary(case: Case, about: dict) -> dict:
    chosen = about.get("exemptions") or []
    return {
        "request": case.reference,
        "person": case.subject.name,
        "received_on": about.get("received_on", ""),
        "due_on": about.get("due_on", ""),
        "extended": bool(about.get("extended")),
        "released_on": clock.london(clock.now()).date().isoformat(),
        "exemptions": [EXEMPTIONS[e] for e in chosen if e in EXEMPTIONS],
        "exemption_reasons": about.get("exemption_reasons", "") if chosen else "",
        "how_redacted": HOW_REDACTED,
    }


def _file_name(doc: Document) -> str:
    if doc.file_sha256:
        return f"{doc.label}-{safe_filename(doc.filename)}"
    return f"{doc.label}.pdf" if doc.pdf else f"{doc.label}.txt"


def _content(settings: Settings, doc: Document) -> bytes:
    if doc.file_sha256:
        path = evidence_path(settings, doc.file_sha256)
        return path.read_bytes() if path.is_file() else doc.text.encode("utf-8")
    if doc.pdf:
        return to_pdf(settings, doc.title, doc.text)
    return f"{doc.title}\n\n{doc.text}\n".encode()


def as_json(summary: dict, documents: list[Document], files: dict[str, str]) -> dict:
    return {
        **summary,
        "documents": [
            {
                "id": doc.label,
                "kind": doc.kind,
                "title": doc.title,
                "case": doc.case,
                "dated": doc.dated.isoformat(),
                "file": f"documents/{files[doc.label]}",
                "text": doc.text,
            }
            for doc in documents
        ],
    }


def _intro(summary: dict) -> list[str]:
    lines = [
        f"Subject access request {summary['request']}: the data BCW Hub holds about {summary['person']}.",
        f"Received on {summary['received_on']}; answered on {summary['released_on']}"
        + (" (the deadline was extended by two months)." if summary["extended"] else "."),
        summary["how_redacted"],
    ]
    if summary["exemptions"]:
        lines.append("Exemptions relied on: " + "; ".join(summary["exemptions"]) + ".")
        lines.append(f"How they apply: {summary['exemption_reasons']}")
    else:
        lines.append("No exemption was relied on.")
    return lines


def index_html(summary: dict, documents: list[Document], files: dict[str, str]) -> str:
    rows = "\n".join(
        f"<tr><td>{doc.label}</td><td>{escape(doc.kind)}</td><td>{escape(doc.title)}</td>"
        f"<td>{escape(doc.case)}</td><td>{doc.dated:%Y-%m-%d}</td>"
        f'<td><a href="documents/{escape(files[doc.label])}">{escape(files[doc.label])}</a></td></tr>'
        for doc in documents
    )
    intro = "".join(f"<p>{escape(line)}</p>" for line in _intro(summary))
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8">'
        f"<title>{escape(summary['request'])}: your data</title>"
        f"<h1>{escape(LETTERHEAD)}</h1>{intro}"
        "<table border=1 cellpadding=4><thead><tr><th>Document</th><th>What</th><th>Title</th><th>Case</th>"
        f"<th>Dated</th><th>File</th></tr></thead><tbody>{rows}</tbody></table></html>"
    )


def index_pdf(settings: Settings, summary: dict, documents: list[Document], files: dict[str, str]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(clock.now())
    pdf.add_font("Letter", "", str(settings.letter_font))
    pdf.add_font("Letter", "B", str(settings.letter_font_bold))
    pdf.add_page()
    pdf.set_font("Letter", "B", 11)
    pdf.cell(0, 8, LETTERHEAD, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Letter", size=10)
    for line in _intro(summary):
        _line(pdf, line)
    pdf.ln(3)
    for doc in documents:
        pdf.set_font("Letter", "B", 10)
        _line(pdf, f"{doc.label}  {doc.title}")
        pdf.set_font("Letter", size=9)
        case = f"{doc.case}, " if doc.case else ""
        _line(pdf, f"{doc.kind}; {case}{doc.dated:%Y-%m-%d}; documents/{files[doc.label]}")
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str) -> None:
    """One line as a cell when it fits (fpdf's line breaking is slow: 250 documents took seconds)."""
    if pdf.get_string_width(text) < pdf.epw:
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

"""The tribunal bundle as one PDF. The pages it makes are written in the
letters' A4 layout and fonts (letters.py), all in one document (loading the
fonts is most of the cost of a page); stored PDFs (a letter as issued, a PDF
of evidence) are put in as they are with pypdf; then every page is stamped
with its number, so the index can give the page each part starts on.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from . import letters
from .bundle_documents import Document
from .context import Settings

POINTS_PER_MM = 72 / 25.4


@dataclass
class Part:
    """One entry of the index: its pages in the book, then a stored PDF's."""

    heading: str
    first: int  # index of its first page in the book
    written: int  # pages it has in the book
    attached: PdfReader | None = None

    @property
    def pages(self) -> int:
        return self.written + (len(self.attached.pages) if self.attached else 0)


class Book:
    """The pages the bundle writes itself, in one PDF, part after part."""

    def __init__(self, settings: Settings):
        self.pdf = letters.new_pdf(settings)
        self.parts: list[Part] = []

    def text(self, heading: str, title: str, body: str) -> Part:
        return self._part(heading, lambda: letters.write(self.pdf, title, body))

    def document(self, number: int, doc: Document) -> Part:
        """A document's page: its text, or an image on it, or a page naming
        the stored PDF that follows it."""
        title = f"{number}. {doc.heading}"
        if doc.file is None:
            return self.text(title, title, doc.text)
        if doc.content_type != "application/pdf":
            return self._part(title, lambda: self._image(title, doc))
        attached, problem = _readable(doc.file)
        note = f"The next pages are the PDF as stored (SHA-256 {doc.sha256})." if attached else problem
        part = self.text(title, title, "\n\n".join(filter(None, [doc.text, note])))
        part.attached = attached
        return part

    def _part(self, heading: str, write) -> Part:
        first = self.pdf.page_no()
        write()
        part = Part(heading, first, self.pdf.page_no() - first)
        self.parts.append(part)
        return part

    def _image(self, title: str, doc: Document) -> None:
        pdf = self.pdf
        letters.write(pdf, title, doc.text)
        pdf.ln(10)
        room = pdf.h - pdf.b_margin - pdf.get_y()
        try:
            pdf.image(str(doc.file), x=pdf.l_margin, w=pdf.epw, h=room, keep_aspect_ratio=True)
        except Exception as error:  # Pillow raises many kinds for a file it cannot read
            pdf.multi_cell(0, 6, f"The image could not be shown ({type(error).__name__}).")


def _readable(path: Path) -> tuple[PdfReader | None, str]:
    try:
        reader = PdfReader(path)
        len(reader.pages)  # reads the page tree: a broken one fails here, not later
    except (PdfReadError, OSError, ValueError) as error:  # an unreadable upload is said so, not dropped
        return None, f"The PDF could not be read ({type(error).__name__})."  # never the server's path
    return reader, ""


def assemble(index: bytes, book: Book, footer: str) -> bytes:
    """The index, then each part (its written pages, then its stored PDF),
    every page numbered "page n of N"."""
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(index)))
    written = PdfReader(BytesIO(bytes(book.pdf.output())))
    for part in book.parts:
        writer.append(written, pages=(part.first, part.first + part.written))
        if part.attached:
            writer.append(part.attached)
    stamps = PdfReader(BytesIO(_numbers(writer, footer)))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _numbers(writer: PdfWriter, footer: str) -> bytes:
    """One page per page of the bundle, of its size, with only its number on
    it. The footer is ASCII and "·", so a core font will do (no font to load)."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, 1):
        width, height = float(page.mediabox.width) / POINTS_PER_MM, float(page.mediabox.height) / POINTS_PER_MM
        pdf.add_page(format=(width, height))
        pdf.set_xy(10, height - 10)
        pdf.cell(width - 20, 5, f"{footer} · page {number} of {total}", align="C")
    return bytes(pdf.output())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)

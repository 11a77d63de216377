"""What a volunteer can see, gathered as plain text: every page they can
reach on their cases, their tasks' pages, every letter (its page and its
PDF) and every notice sent to them. The policy's own words, quoted, are left
out: they say "employees" and "disciplinary", and must be quoted as written."""

from __future__ import annotations

import html
import re
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from models import Case, CaseTask, Letter, OutboxMessage, TaskState
from workflows import policy

EMPLOYMENT_WORDS = re.compile(r"disciplinary|hearing|warning|dismissal|suspended|trade union|employee", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_HIDDEN = re.compile(r"<(script|style|head)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def page_text(markup: str) -> str:
    return plain(html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", markup))))


def pdf_text(data: bytes) -> str:
    return plain(" ".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages))


def without_quoted_policy(text: str) -> str:
    for clause in policy.clauses().values():
        for quoted in (clause.text, clause.lead_in):
            if quoted:
                text = text.replace(plain(quoted), "[quoted policy]")
    return text


class VolunteerView:
    """Collects everything one volunteer can see, page by page, and says
    where any employment word appears."""

    def __init__(self, web, db, volunteer):
        self.web, self.db, self.volunteer = web, db, volunteer
        self.seen: dict[str, str] = {}

    def look(self) -> None:
        self._page("/")
        self._page("/cases/")
        cases = self.db.scalars(select(Case).where(Case.subject_id == self.volunteer.id).order_by(Case.id))
        for case in cases:
            self._page(f"/cases/{case.reference}")
            for task in self.db.scalars(
                select(CaseTask).where(
                    CaseTask.case_id == case.id,
                    CaseTask.state == TaskState.READY,
                    CaseTask.assignee_id == self.volunteer.id,
                )
            ):
                self._page(f"/tasks/{task.id}")
            for letter in self.db.scalars(select(Letter).where(Letter.case_id == case.id)):
                self._page(f"/cases/letters/{letter.id}")
                response = self.web.client.get(f"/cases/letters/{letter.id}.pdf")
                assert response.status_code == 200
                self.seen[f"/cases/letters/{letter.id}.pdf"] = pdf_text(response.data)
        for message in self.db.scalars(select(OutboxMessage).where(OutboxMessage.to_email == self.volunteer.email)):
            self.seen[f"notice {message.template} #{message.id}"] = plain(f"{message.subject} {message.body}")

    def add(self, where: str, markup: str) -> None:
        """A page the test drove itself (a form sent back with its errors)."""
        self.seen[where] = page_text(markup)

    def _page(self, url: str) -> None:
        self.seen[url + f" ({len(self.seen)})"] = page_text(self.web.text(url))

    def employment_words(self) -> dict[str, list[str]]:
        found = {}
        for where, text in self.seen.items():
            words = EMPLOYMENT_WORDS.findall(without_quoted_policy(text))
            if words:
                found[where] = sorted(set(words))
        return found

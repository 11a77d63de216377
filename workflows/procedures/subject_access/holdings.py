"""Everything held about one person, across every case and role: the case
records, their own statements, the notices and letters sent to them,
evidence about them, the timeline entries about them and their sign-ins.
Gathered as plain documents, unredacted (redaction.py redacts them).

Subject access cases themselves are left out: they hold the request, not
the person's casework, and a request's own working would otherwise grow
with every request."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from models import AuditEvent, Case, CaseParty, Evidence, InterviewNote, Letter, OutboxMessage, User
from workflows.engine import clock, registry
from workflows.engine.audit import signin_chain

from .opening import KIND

# Workflow bookkeeping, not data about anyone.
_HIDDEN_KEYS = {"reference", "clauses", "title"}


@dataclass(frozen=True)
class Document:
    kind: str  # in the person's words: "Case record", "Letter"...
    title: str
    case: str  # the case's reference, "" for sign-ins
    dated: datetime
    text: str
    file_sha256: str | None = None  # a stored file sent as it is held (evidence)
    filename: str | None = None
    pdf: bool = False  # a letter: sent as a PDF of its (redacted) text
    number: int = 0  # its place in the index, from 1
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"D{self.number:03d}"


def held_about(db, person: User) -> list[Document]:
    """The person's documents, case by case in the order the cases were opened, then their sign-ins.
    Each kind of record is read once for all their cases (a person on 50 cases is 7 queries, not 300)."""
    cases = _cases_of(db, person)
    held = _Held.read(db, [case.id for case in cases], person)
    documents: list[Document] = []
    for case in cases:
        documents += _case_documents(case, person, held)
    documents += _signins(db, person)
    return [replace(doc, number=index) for index, doc in enumerate(documents, start=1)]


def _cases_of(db, person: User) -> list[Case]:
    party = select(CaseParty.case_id).where(CaseParty.user_id == person.id)
    stmt = select(Case).where(or_(Case.subject_id == person.id, Case.id.in_(party)), Case.kind != KIND)
    return list(db.scalars(stmt.options(selectinload(Case.parties)).order_by(Case.id)))


@dataclass
class _Held:
    """The records of the person's cases, by case id."""

    events: dict[int, list[AuditEvent]]
    notes: dict[int, list[InterviewNote]]
    notices: dict[int, list[OutboxMessage]]
    letters: dict[int, list[Letter]]
    evidence: dict[int, list[Evidence]]

    @classmethod
    def read(cls, db, ids: list[int], person: User) -> _Held:
        def by_case(model, *where, order):
            found: dict[int, list] = defaultdict(list)
            if ids:
                for row in db.scalars(select(model).where(model.case_id.in_(ids), *where).order_by(*order)):
                    found[row.case_id].append(row)
            return found

        return cls(
            events=by_case(AuditEvent, order=(AuditEvent.seq,)),
            notes=by_case(InterviewNote, InterviewNote.erased_at.is_(None), order=(InterviewNote.id,)),
            notices=by_case(OutboxMessage, OutboxMessage.to_email == person.email, order=(OutboxMessage.id,)),
            letters=by_case(
                Letter, Letter.addressed_to_id == person.id, Letter.erased_at.is_(None), order=(Letter.id,)
            ),
            evidence=by_case(Evidence, Evidence.erased_at.is_(None), order=(Evidence.id,)),
        )


def _case_documents(case: Case, person: User, held: _Held) -> list[Document]:
    events = held.events.get(case.id, [])
    return [
        _case_record(case, person, events),
        *_statements(case, person, events),
        *_interviews(held.notes.get(case.id, []), case, person),
        *_notices(held.notices.get(case.id, []), case),
        *_letters(held.letters.get(case.id, []), case),
        *_evidence(held.evidence.get(case.id, []), case, person),
        *_timeline(case, person, events),
    ]


def _case_record(case: Case, person: User, events: list[AuditEvent]) -> Document:
    procedure = registry.find(case.kind)
    roles = sorted({p.role for p in case.parties if p.user_id == person.id} | _subject(case, person))
    opened = next((e for e in events if e.action == "case_opened"), None)
    lines = [
        f"Case: {case.reference} ({procedure.label if procedure else case.kind})",
        f"Title: {case.title}",
        f"Your part in it: {', '.join(roles)}",
        f"Opened: {_uk(case.opened_at)}; {'closed ' + _uk(case.closed_at) if case.closed_at else 'still open'}",
        f"Status: {case.status}",
        f"Clauses of the Social Media Policy it concerns: {', '.join(case.clauses) or 'none'}",
    ]
    if opened is not None and opened.erased_at is None:
        lines += ["", "What was recorded when it was opened:", *_fields(opened.data)]
    return Document("Case record", f"The case record of {case.reference}", case.reference, case.opened_at, _join(lines))


def _subject(case: Case, person: User) -> set[str]:
    return {"Subject"} if case.subject_id == person.id else set()


def _statements(case: Case, person: User, events: list[AuditEvent]) -> list[Document]:
    """What they answered at their own steps."""
    return [
        Document(
            "Your statement",
            f"Your answer to '{e.data.get('task', 'a step')}'",
            case.reference,
            e.occurred_at,
            _join(_fields(e.data.get("data", {}))),
        )
        for e in events
        if e.action == "task_completed" and e.actor_id == person.id and e.erased_at is None
    ]


def _interviews(notes: list[InterviewNote], case: Case, person: User) -> list[Document]:
    """Notes of an interview of them (the witness named as they are)."""
    return [
        Document(
            "Your statement",
            f"Notes of your interview on {n.interviewed_on:%-d %B %Y}",
            case.reference,
            n.added_at,
            n.notes,
        )
        for n in notes
        if n.witness.strip().lower() == person.name.strip().lower()
    ]


def _notices(rows: list[OutboxMessage], case: Case) -> list[Document]:
    return [Document("Notice sent to you", m.subject, case.reference, m.created_at, m.body) for m in rows]


def _letters(rows: list[Letter], case: Case) -> list[Document]:
    return [
        Document("Letter sent to you", letter.title, case.reference, letter.issued_at, letter.body, pdf=True)
        for letter in rows
    ]


def _evidence(items: list[Evidence], case: Case, person: User) -> list[Document]:
    """Evidence on a case about them (they are its subject), and anything they gave."""
    documents = []
    for item in items:
        if case.subject_id != person.id and item.added_by_id != person.id:
            continue
        what = item.url if item.kind == "url" else f"{item.filename} (SHA-256 {item.sha256})"
        text = _join([f"Evidence: {what}", f"Described as: {item.description or '(no description)'}"])
        documents.append(
            Document(
                "Evidence about you",
                f"Evidence: {item.filename or item.url}",
                case.reference,
                item.added_at,
                text,
                file_sha256=item.sha256 if item.kind == "file" else None,
                filename=item.filename,
            )
        )
    return documents


def _timeline(case: Case, person: User, events: list[AuditEvent]) -> list[Document]:
    """The case's trail entries about them: by them, naming them, or sent to them."""
    about = [e for e in events if e.erased_at is None and _mentions(e, person)]
    if not about:
        return []
    lines = [f"{_uk(e.occurred_at)}  {e.actor_label}: {e.action.replace('_', ' ')}  {_brief(e.data)}" for e in about]
    return [
        Document(
            "Timeline entries",
            f"Timeline entries about you in {case.reference}",
            case.reference,
            about[0].occurred_at,
            _join(lines),
        )
    ]


def _mentions(event: AuditEvent, person: User) -> bool:
    if event.actor_id == person.id:
        return True
    text = json.dumps(event.data, ensure_ascii=False).lower()
    return person.email.lower() in text or person.name.lower() in text or f'"user_id": {person.id}' in text


def _signins(db, person: User) -> list[Document]:
    events = list(
        db.scalars(select(AuditEvent).where(AuditEvent.chain == signin_chain(person.id)).order_by(AuditEvent.seq))
    )
    if not events:
        return []
    lines = [
        f"{_uk(e.occurred_at)}  {e.action.replace('_', ' ')}  {_brief(e.data)}" for e in events if e.erased_at is None
    ]
    return [Document("Sign-in records", "Your sign-ins and sign-outs", "", events[0].occurred_at, _join(lines))]


def _fields(data: dict) -> list[str]:
    return [
        f"{name.replace('_', ' ').capitalize()}: {_value(value)}"
        for name, value in data.items()
        if name not in _HIDDEN_KEYS
    ]


def _value(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value) if value not in (None, "") else "(none)"


def _brief(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)[:500] if data else ""


def _uk(moment: datetime | None) -> str:
    return clock.london(moment).strftime("%-d %B %Y %H:%M") if moment else ""


def _join(lines: list[str]) -> str:
    return "\n".join(lines)

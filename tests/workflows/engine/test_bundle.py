"""The tribunal bundle (workflows/engine/bundle.py): one PDF of a case and
the cases linked to it, read back with pypdf as the other side would."""

from __future__ import annotations

import hashlib
import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from models import AuditEvent, CaseParty, Evidence, InterviewNote, Letter, OutboxMessage
from tests.factories import make_breach, make_hr, make_user
from tests.workflows.engine.bundle_scenario import NOTES, STATEMENT, linked_cases
from webapp.cases.bundle import describe
from workflows.engine import anchors, bundle, clock
from workflows.engine.erasure import erase_record
from workflows.engine.errors import Forbidden, InvalidInput

REASON = "Employment tribunal claim 3301234/2026: the respondent's bundle."


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def index_of(pages: list[str]) -> str:
    """The index's text: its pages up to the one that ends it ("N pages in all")."""
    end = next(n for n, text in enumerate(pages) if "pages in all" in text)
    return "\n".join(pages[: end + 1])


def index_entries(first_page: str) -> dict[int, int]:
    """Each numbered document's page, as the index gives it (headings may wrap)."""
    flat = " ".join(first_page.split())
    return {int(n): int(p) for n, p in re.findall(r"(?<![\d.])(\d+)\. \w[^—]*?— page (\d+)", flat)}


@pytest.fixture
def world(ctx, db):
    return linked_cases(ctx, db)


def test_the_bundle_holds_every_document_of_the_linked_cases_at_the_page_its_index_names(ctx, db, world):
    made = bundle.export(ctx, world.investigation, world.hr, REASON, describe)
    pages = pages_of(made.pdf)
    assert len(pages) == made.pages
    assert all(f"page {n} of {len(pages)}" in text for n, text in enumerate(pages, 1))
    assert f"{len(pages)} pages in all" in index_of(pages)
    assert [c.reference for c in made.cases] == [world.takedown.reference, world.investigation.reference]

    ids = (world.takedown.id, world.investigation.id)
    expected = (
        len(db.scalars(select(Letter).where(Letter.case_id.in_(ids))).all())
        + len(db.scalars(select(OutboxMessage).where(OutboxMessage.case_id.in_(ids))).all())
        + len(db.scalars(select(Evidence).where(Evidence.case_id.in_(ids))).all())
        + len(db.scalars(select(InterviewNote).where(InterviewNote.case_id.in_(ids))).all())
        + 1  # Ellie's account
    )
    entries = index_entries(index_of(pages))
    assert sorted(entries) == list(range(1, expected + 1)) == list(range(1, len(made.documents) + 1))
    for number, page in entries.items():
        doc = made.documents[number - 1]
        assert f"{number}. {doc.kind}:" in " ".join(pages[page - 1].split()), (number, doc.heading)
    kinds = {doc.kind for doc in made.documents}
    assert kinds == {"Letter", "Notice", "Statement", "Interview notes", "Evidence"}
    assert {doc.case.reference for doc in made.documents} == {world.takedown.reference, world.investigation.reference}

    by_kind = {doc.kind: (n, doc) for n, doc in reversed(list(enumerate(made.documents, 1)))}
    n, screenshot = by_kind["Evidence"]
    assert screenshot.case == world.takedown  # the linked case's own evidence image, on its page
    assert len(PdfReader(BytesIO(made.pdf)).pages[entries[n] - 1].images) == 1
    n, _letter = by_kind["Letter"]
    assert "A note of this outcome is kept on your file" in " ".join(
        pages[entries[n]].split()
    )  # as issued, after its index page
    n, _statement = by_kind["Statement"]
    assert STATEMENT in pages[entries[n] - 1]


def test_the_manifest_lists_each_documents_hash_and_each_chains_head(ctx, db, world):
    made = bundle.export(ctx, world.investigation, world.hr, REASON, describe)
    pages = pages_of(made.pdf)
    start = index_entries(index_of(pages))  # the manifest starts after the last document
    manifest = "".join(pages[max(start.values()) :])
    assert "Manifest" in manifest
    for doc in made.documents:
        assert doc.sha256 and doc.sha256 in manifest.replace("\n", "")
    letters = db.scalars(select(Letter).where(Letter.case_id == world.investigation.id)).all()
    files = db.scalars(select(Evidence.sha256).where(Evidence.kind == "file")).all()
    hashes = {doc.sha256 for doc in made.documents}
    texts = [STATEMENT, NOTES, *db.scalars(select(OutboxMessage.body)).all()]  # statements, notes, notices
    assert {letter.pdf_sha256 for letter in letters} | set(files) | {sha(text) for text in texts} <= hashes
    for case in made.cases:
        exported = db.scalar(
            select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "bundle_exported")
        )
        # the head the manifest gives is the event just before the export's own
        assert f"head at event #{exported.seq - 1}, hash\n{exported.prev_hash}" in manifest
    assert manifest.count("Not anchored yet") == 2


def test_the_manifest_names_the_anchor_that_holds_each_chain(ctx, db, world):
    written = anchors.write(ctx)
    made = bundle.export(ctx, world.investigation, world.hr, REASON, describe)
    text = "\n".join(pages_of(made.pdf))
    chain = f"case-{world.investigation.id}"
    seq, head = written.anchor.chains[chain]
    assert f"Anchored by anchor #1 ({written.anchor.at}) at event #{seq}, hash\n{head}" in text
    assert written.anchor.digest in text and written.anchor.key in text
    assert "Not anchored yet" not in text


def test_every_export_is_audited_on_each_case_with_who_and_why(ctx, db, world):
    made = bundle.export(ctx, world.investigation, world.hr, f"  {REASON}  ", describe)
    for case in (world.takedown, world.investigation):
        exported = select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "bundle_exported")
        event = db.scalar(exported)
        assert (event.actor_id, event.actor_label) == (world.hr.id, "Hana Hussain")
        assert event.data == {
            "reason": REASON,
            "cases": [world.takedown.reference, world.investigation.reference],
            "pages": made.pages,
            "sha256": hashlib.sha256(made.pdf).hexdigest(),
        }
    index = " ".join(pages_of(made.pdf)[0].split())
    assert f"Exported by Hana Hussain on 2 March 2026, 09:00 (UK time), for: {REASON}" in index


def test_an_erased_record_is_in_the_bundle_as_erased_with_its_hash(ctx, db, world):
    note = db.scalar(select(InterviewNote).where(InterviewNote.case_id == world.investigation.id))
    letter = db.scalar(select(Letter).where(Letter.case_id == world.investigation.id))
    erase_record(ctx, note, world.hr, "retention: 6 years after closing")
    erase_record(ctx, letter, world.hr, "a subject's request")
    db.flush()
    made = bundle.export(ctx, world.investigation, world.hr, REASON, describe)
    text = " ".join("\n".join(pages_of(made.pdf)).split())
    assert NOTES not in text  # not in its page, nor in the chronology
    assert "Interview recorded · (erased) Erased by Hana Hussain under “retention: 6 years after closing”." in text
    erasures = db.scalars(select(AuditEvent).where(AuditEvent.action == "record_erased")).all()
    of_note = next(e for e in erasures if e.data.get("note_id") == note.id)
    assert "under “retention: 6 years after closing”. Hash of the audit event recording the erasure" in text
    assert of_note.hash in text.replace(" ", "")
    assert "under “a subject's request”. SHA-256 of the letter's PDF as issued: " + letter.pdf_sha256 in text
    assert "A note of this outcome is kept on your file" not in text  # the letter's PDF is not put in


def test_a_bundle_needs_a_reason(ctx, db, world):
    for reason in ("", "   "):
        with pytest.raises(InvalidInput) as refused:
            bundle.export(ctx, world.investigation, world.hr, reason, describe)
        assert "Say why the bundle is exported" in refused.value.errors["reason"][0]
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "bundle_exported")) is None


def test_only_hr_may_export_and_not_a_bundle_with_a_case_they_are_conflicted_on(ctx, db, world):
    for someone in (world.investigator, world.manager, world.employee):
        with pytest.raises(Forbidden):
            bundle.export(ctx, world.investigation, someone, REASON, describe)
    subject_in_hr = make_hr(db, "Helen Hart")
    case = make_breach(ctx, world.hr, subject_in_hr)
    with pytest.raises(Forbidden):  # HR for HR: never their own case
        bundle.export(ctx, case, subject_in_hr, REASON, describe)
    linked_reporter = make_hr(db, "Rita Reporter")  # reported the takedown's subject: a party who sees nothing
    world.takedown.parties.append(CaseParty(user_id=linked_reporter.id, role="Reporter", added_at=clock.now()))
    db.flush()
    with pytest.raises(Forbidden):  # the investigation alone they could export; with its linked takedown, never
        bundle.export(ctx, world.investigation, linked_reporter, REASON, describe)


def test_a_bundle_follows_the_links_however_far(ctx, db, world):
    """From the takedown, the investigation it led to is in it too (and the way back)."""
    other = make_breach(ctx, world.hr, make_user(db, "Sam Wright"))  # not linked
    made = bundle.export(ctx, world.takedown, world.hr, REASON, describe)
    assert [c.reference for c in made.cases] == [world.takedown.reference, world.investigation.reference]
    assert other.reference not in pages_of(made.pdf)[0]


def test_a_pdf_of_evidence_is_put_in_whole_after_its_page(ctx, db, world, settings):
    from workflows.engine.casefile import add_evidence
    from workflows.engine.evidence import store_upload
    from workflows.engine.letters import to_pdf

    two_pages = to_pdf(
        settings, "A printout", "The printed post, as the investigator found it.\n" + "\n" * 60 + "Over."
    )
    assert len(PdfReader(BytesIO(two_pages)).pages) == 2
    hr = world.hr
    item = store_upload(settings, BytesIO(two_pages), "printout.pdf", hr, "The printout", clock.now())
    reopened = make_breach(ctx, hr, world.employee)  # an open case to add it to
    add_evidence(ctx, reopened, hr, item, shared=False)
    made = bundle.export(ctx, reopened, hr, REASON, describe)
    pages = pages_of(made.pdf)
    entries = index_entries(index_of(pages))
    number = next(n for n, doc in enumerate(made.documents, 1) if doc.title == "printout.pdf")
    first = entries[number]
    assert f"SHA-256{item.sha256}" in "".join(pages[first - 1].split())
    assert "The printed post, as the investigator found it." in pages[first]
    assert "Over." in pages[first + 1]
    assert len(pages) == made.pages and f"page {first + 2} of {made.pages}" in pages[first + 1]

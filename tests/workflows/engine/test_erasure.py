"""Erasing a record of the case file (workflows/engine/erasure.py): its words
and its file go, its hash and the trail's proof stay."""

from __future__ import annotations

import os
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import Text, cast, select

from models import AuditEvent, Letter
from tests.factories import make_breach, make_hr, make_manager, make_takedown, make_user
from workflows.demo import DEMO_PNG
from workflows.engine import audit, clock
from workflows.engine.casefile import add_interview_note
from workflows.engine.erasure import ERASED, erase_record
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import evidence_path, store_upload, sweep_unreferenced
from workflows.engine.letters import issue

NOTES = "Sam said Ellie posted the photo from the drop-in on Tuesday."


def trail_text(db) -> str:
    return " ".join(db.scalars(select(cast(AuditEvent.data, Text))).all())


def aged(path) -> None:
    moment = (clock.now() - timedelta(hours=3)).timestamp()
    os.utime(path, (moment, moment))


def test_erased_interview_notes_leave_only_their_proof(ctx, db):
    hr = make_hr(db, "Hana Hussain")
    case = make_breach(ctx, hr, make_user(db, "Ellie Jones"))
    note = add_interview_note(ctx, case, hr, "Sam Wright", clock.now().date(), NOTES)
    assert "Sam Wright" in trail_text(db)  # the trail named the witness
    assert erase_record(ctx, note, hr, "retention: 6 years after closing")
    db.flush()
    assert (note.witness, note.notes, note.erasure_rule) == (ERASED, "", "retention: 6 years after closing")
    assert NOTES not in trail_text(db) and "Sam Wright" not in trail_text(db)
    assert audit.verify(db)[1] == []
    erased = db.scalar(select(AuditEvent).where(AuditEvent.action == "record_erased"))
    assert erased.data["note_id"] == note.id and erased.data["interviewed_on"] == clock.now().date().isoformat()
    assert not erase_record(ctx, note, hr, "again")  # once


def test_an_erased_file_is_swept_unless_another_record_keeps_it(ctx, db, settings):
    manager = make_manager(db, "Mo Manager")
    first = store_upload(settings, BytesIO(DEMO_PNG + b"1"), "post.png", manager, "Captured", clock.now())
    shared = store_upload(settings, BytesIO(DEMO_PNG + b"2"), "other.png", manager, "Captured", clock.now())
    make_takedown(ctx, manager, make_user(db), evidence=[first])
    make_takedown(ctx, manager, make_user(db), evidence=[shared])
    again = store_upload(settings, BytesIO(DEMO_PNG + b"2"), "same.png", manager, "Captured", clock.now())
    make_takedown(ctx, manager, make_user(db), evidence=[again])  # the same file, on a second case
    hr = make_hr(db)
    erase_record(ctx, first, hr, "a subject's request")
    erase_record(ctx, shared, hr, "a subject's request")
    db.flush()
    for item in (first, shared):
        aged(evidence_path(settings, item.sha256))
    assert sweep_unreferenced(db, settings) == 1
    assert not evidence_path(settings, first.sha256).exists()  # gone with its only record
    assert evidence_path(settings, again.sha256).exists()  # another case still holds it
    assert first.sha256 and first.filename is None and first.erased_at


def test_an_erased_letter_keeps_its_hash_and_its_page_says_so(ctx, db, web, settings):
    hr = make_hr(db, "Hana Hussain")
    subject = make_user(db, "Ellie Jones")
    case = make_breach(ctx, hr, subject)
    issue(db, settings, case, "outcome_no_case", {"outcome_reasons": "Consent was shown."})
    db.flush()
    letter = db.scalar(select(Letter).where(Letter.case_id == case.id))
    digest = letter.pdf_sha256
    erase_record(ctx, letter, hr, "retention: 6 years after closing")
    db.flush()
    assert letter.body == "" and letter.pdf_sha256 == digest
    web.login(hr)
    response = web.client.get(f"/cases/letters/{letter.id}")
    assert response.status_code == 410 and "has been erased" in response.get_data(as_text=True)
    assert web.client.get(f"/cases/letters/{letter.id}.pdf").status_code == 410
    assert f"SHA-256 <code>{digest[:12]}" in web.text(f"/cases/{case.reference}")


def test_an_erasure_names_its_rule(ctx, db):
    hr = make_hr(db)
    note = add_interview_note(ctx, make_breach(ctx, hr, make_user(db)), hr, "Sam Wright", clock.now().date(), "Words.")
    with pytest.raises(InvalidInput, match="Name the rule"):
        erase_record(ctx, note, hr, " ")

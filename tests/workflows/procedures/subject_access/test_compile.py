"""A subject access request across three cases: Ellie is the subject of a
takedown, the reporter (and a witness interviewed) in a breach case about
Tom, and absent from a third. Her release holds her data from the first two
with every other person's name and email replaced, the same letter for the
same person everywhere; nothing of the third; and its JSON lists the same
documents as its PDF index."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from models import AuditEvent, Evidence
from tests.factories import make_breach, make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import complete
from workflows.engine import audit
from workflows.engine.audit import Actor, signin_chain
from workflows.engine.casefile import add_interview_note
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import evidence_path
from workflows.procedures.subject_access.compiling import adjust, compile_request

from . import make_request, releasing

OTHERS = ("Mark Taylor", "Tom Baker", "Hana Hussain", "Priya Shah", "Sam Wright")


@pytest.fixture
def world(ctx, db):
    people = {
        "hana": make_hr(db, "Hana Hussain"),
        "mark": make_manager(db, "Mark Taylor"),
        "ellie": make_user(db, "Ellie Jones"),
        "tom": make_user(db, "Tom Baker"),
        "sam": make_user(db, "Sam Wright"),
        "priya": make_manager(db, "Priya Shah"),
    }
    mark, ellie = people["mark"], people["ellie"]
    takedown = make_takedown(ctx, mark, ellie, reasons=f"Tom Baker showed Mark Taylor the post ({mark.email}).")
    complete(ctx, takedown, "UserTask_Respond", ellie, response="dispute", dispute_grounds="Tom wrote it, not me.")
    breach = make_breach(
        ctx, people["hana"], people["tom"], reported_by=ellie, description="Tom Baker posted a photo of Priya Shah."
    )
    add_interview_note(
        ctx, breach, people["hana"], "Ellie Jones", date(2026, 3, 2), "I saw Tom's post. Priya was in the photo."
    )
    absent = make_takedown(ctx, mark, people["sam"], reasons="Sam Wright posted about the Tuesday rota.")
    audit.record(db, None, "signed_in", Actor.person(ellie), {"email": ellie.email}, chain=signin_chain(ellie.id))
    return people, (takedown, breach, absent)


def release_zip(ctx, db, sar, hr) -> zipfile.ZipFile:
    complete(ctx, sar, "UserTask_Review", hr, **releasing())
    item = db.scalar(select(Evidence).where(Evidence.case_id == sar.id))
    return zipfile.ZipFile(BytesIO(evidence_path(ctx.settings, item.sha256).read_bytes()))


def all_text(archive: zipfile.ZipFile) -> str:
    parts = []
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith(".pdf"):
            parts.append("\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages))
        elif not name.endswith(".png"):
            parts.append(data.decode("utf-8"))
    return "\n".join(parts)


def test_the_release_holds_her_data_from_two_cases_with_everyone_else_replaced(ctx, db, world):
    people, (takedown, breach, absent) = world
    sar = make_request(ctx, people["hana"], people["ellie"])
    archive = release_zip(ctx, db, sar, people["hana"])
    text = all_text(archive)
    assert "Ellie Jones" in text and takedown.reference in text and breach.reference in text
    assert absent.reference not in text and "Tuesday rota" not in text
    for name in OTHERS:
        for part in name.split():
            assert part not in text, f"{part} was not redacted"
    for user in people.values():
        if user is not people["ellie"]:
            assert user.email not in text
    assert people["ellie"].email in text  # her own address stays
    data = json.loads(archive.read("data.json"))
    kinds = {doc["kind"] for doc in data["documents"]}
    assert {"Case record", "Your statement", "Notice sent to you", "Evidence about you"} <= kinds
    assert {"Timeline entries", "Sign-in records"} <= kinds
    assert any(doc["title"].startswith("Notes of your interview") for doc in data["documents"])
    assert "I saw Person" in text  # her own words, with Tom replaced


def test_the_same_person_is_the_same_letter_everywhere(ctx, db, world):
    people, _ = world
    sar = make_request(ctx, people["hana"], people["ellie"])
    compiled = compile_request(ctx, sar, people["hana"])
    tom = next(letter for letter, who in compiled.key.items() if who.startswith("Tom Baker"))
    texts = "\n".join(doc.text for doc in compiled.documents)
    assert f"{tom} showed" in texts and f"{tom} wrote it" in texts and f"I saw {tom}'s post" in texts
    assert len(set(compiled.key.values())) == len(compiled.key)  # one letter, one person
    assert "subject_data_compiled" in db.scalars(select(AuditEvent.action).where(AuditEvent.case_id == sar.id)).all()


def test_the_json_lists_the_same_documents_as_the_pdf_index(ctx, db, world):
    people, _ = world
    sar = make_request(ctx, people["hana"], people["ellie"])
    archive = release_zip(ctx, db, sar, people["hana"])
    documents = json.loads(archive.read("data.json"))["documents"]
    index = "\n".join(page.extract_text() for page in PdfReader(BytesIO(archive.read("index.pdf"))).pages)
    listed = [line.split()[0] for line in index.splitlines() if line[:1] == "D" and line[1:4].isdigit()]
    assert listed == [doc["id"] for doc in documents] and len(documents) >= 8
    flat = " ".join(index.split())
    for doc in documents:
        assert " ".join(doc["title"].split()) in flat and doc["file"] in flat
        assert doc["file"] in archive.namelist()
    html = archive.read("index.html").decode()
    assert all(doc["file"] in html for doc in documents)


def test_hr_can_leave_a_person_in_the_clear_and_redact_more(ctx, db, world):
    people, _ = world
    sar = make_request(ctx, people["hana"], people["ellie"])
    key = compile_request(ctx, sar, people["hana"]).key
    mark = next(letter for letter, who in key.items() if who.startswith("Mark Taylor"))
    adjust(ctx, sar, people["hana"], mark, "photo")
    archive = release_zip(ctx, db, sar, people["hana"])
    text = all_text(archive)
    assert "Mark Taylor" in text and "Tom Baker" not in text
    assert "photo" not in text.lower().replace("photograph", "") and "[redacted]" in text
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.case_id == sar.id, AuditEvent.action == "redactions_adjusted")
    )
    assert [e.data for e in events] == [{"unredact": [mark], "redact_also": ["photo"]}]


def test_an_unknown_letter_is_refused_naming_the_letters(ctx, db, world):
    people, _ = world
    sar = make_request(ctx, people["hana"], people["ellie"])
    with pytest.raises(InvalidInput) as refused:
        adjust(ctx, sar, people["hana"], "Person Q", "")
    assert "Person Q is not in this compilation (its people: Person A" in refused.value.errors["unredact"][0]

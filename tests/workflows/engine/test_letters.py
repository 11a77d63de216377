"""Letters as issued: the PDF prints every name as it was typed (a Unicode
TrueType font), and the same letter gives the same bytes (its SHA-256 is
recorded when it is issued)."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from models import Letter
from tests.factories import make_breach, make_hr, make_manager, make_user
from tests.workflows.helpers import complete
from workflows.engine.evidence import evidence_path
from workflows.engine.letters import to_pdf


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


@pytest.mark.parametrize("name", ["Łukasz Wiśniewski", "Zoë O'Brien", "Siobhán Ní Bhriain"])
def test_an_issued_letter_prints_the_name_as_typed(ctx, db, settings, name):
    subject = make_user(db, name)
    hr = make_hr(db)
    case = make_breach(ctx, hr, subject)
    complete(
        ctx,
        case,
        "UserTask_Triage",
        hr,
        severity="serious",
        personal_data_published=False,
        suspension_needed=True,
        suspension_reason="To protect a service user — for now.",
        investigator_id=make_manager(db).id,
        manager_conflict_reason="",
    )
    letter = db.scalar(select(Letter).where(Letter.case_id == case.id))
    text = pdf_text(evidence_path(settings, letter.pdf_sha256).read_bytes())
    assert f"Dear {name}," in text
    assert "To protect a service user — for now." in text
    assert "Buckinghamshire Community Wellbeing (BCW) Hub" in text


def test_the_same_letter_gives_the_same_bytes(settings):
    first = to_pdf(settings, "Notice", "Dear Zoë O'Brien,\n\nA letter.")
    assert first == to_pdf(settings, "Notice", "Dear Zoë O'Brien,\n\nA letter.")
    assert first != to_pdf(settings, "Notice", "Dear Zoe O'Brien,\n\nA letter.")

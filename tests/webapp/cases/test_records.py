"""The case page's "Add evidence" and "Add interview notes" forms
(webapp/cases/records.py): refused, they come back open on the case page with
each message beside its field and what was typed kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import AuditEvent, Evidence, InterviewNote
from tests.factories import make_breach, make_hr, make_user


@pytest.fixture
def case(ctx, db):
    return make_breach(ctx, make_hr(db, "Hana Hussain"), make_user(db, "Ellie Jones"))


def beside(html: str, field: str, following: str) -> str:
    """The page from the field's input to the next field's: where its messages go."""
    return html[html.index(f'name="{field}"') : html.index(f'name="{following}"')]


def test_a_refused_interview_comes_back_open_with_the_message_beside_the_date_and_the_notes_kept(db, web, case):
    web.login(case.opened_by)
    page = f"/cases/{case.reference}"
    response = web.submit(
        f"{page}/interviews",
        {"witness": "Sam Wright", "interviewed_on": "0001-01-01", "notes": "Saw the post on Sunday."},
        form_page=page,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # the page itself, not a redirect that loses what was typed
    assert '<details id="add-interview" open>' in html
    assert "The interview date must be between 2 March 2026" in beside(html, "interviewed_on", "notes")
    assert 'value="Sam Wright"' in html and "Saw the post on Sunday.</textarea>" in html
    assert "not added" not in html.split('id="case-file"')[0]  # nothing at the top of the page
    assert db.scalar(select(InterviewNote.id)) is None
    views = db.scalars(select(AuditEvent).where(AuditEvent.action == "case_viewed", AuditEvent.case_id == case.id))
    assert len(views.all()) == 2  # the form's page, and the page that came back: one each


def test_a_refused_interview_missing_its_witness_says_so_beside_it(db, web, case):
    web.login(case.opened_by)
    page = f"/cases/{case.reference}"
    html = web.submit(
        f"{page}/interviews", {"witness": "", "interviewed_on": "2026-03-02", "notes": "Kept."}, form_page=page
    ).get_data(as_text=True)
    assert "Choose the colleague interviewed, or type the name of someone outside BCW Hub." in beside(
        html, "witness", "interviewed_on"
    )
    assert 'value="2026-03-02"' in html and "Kept.</textarea>" in html


def test_a_refused_link_comes_back_beside_the_link_with_the_description_kept(db, web, case):
    web.login(case.opened_by)
    page = f"/cases/{case.reference}"
    response = web.submit(
        f"{page}/evidence",
        {"description": "The post itself", "shared_with_subject": "yes", "url": "not a link"},
        form_page=page,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<details class="mb-2" id="add-evidence" open>' in html
    assert "Give a web link" in beside(html, "url", "description")
    assert 'value="not a link"' in html and "The post itself</textarea>" in html
    assert re.search(r'<input checked[^>]* value="yes"', html)  # "share with the subject" still chosen
    assert db.scalar(select(Evidence.id).where(Evidence.case_id == case.id)) is None


def test_evidence_with_neither_file_nor_link_is_asked_for_beside_the_file(db, web, case):
    web.login(case.opened_by)
    page = f"/cases/{case.reference}"
    html = web.submit(
        f"{page}/evidence", {"description": "Something", "shared_with_subject": "no"}, form_page=page
    ).get_data(as_text=True)
    assert "Attach a file or give a link." in beside(html, "file", "url")


def test_an_added_interview_goes_back_to_the_case_page_with_the_forms_empty(db, web, case):
    web.login(case.opened_by)
    page = f"/cases/{case.reference}"
    response = web.submit(
        f"{page}/interviews",
        {"witness": "Sam Wright", "interviewed_on": "2026-03-02", "notes": "Saw it."},
        form_page=page,
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#case-file")
    html = web.text(page)
    assert "Interview notes added." in html and '<details id="add-interview">' in html


def test_text_fields_show_their_limit_and_are_never_cut_by_the_browser(db, web, case):
    web.login(case.opened_by)
    page = f"/cases/{case.reference}"
    html = web.text(page)
    notes = html[html.index('<textarea class="form-control" data-max-length="20000"') :]
    assert "At most 20,000 characters." in notes[: notes.index("</div>", notes.index("</textarea>")) + 80]
    assert "maxlength" not in html  # a browser cuts pasted text at maxlength, silently
    assert '<script src="/static/js/char-count.js" defer></script>' in html
    assert "data-max-length" in web.client.get("/static/js/char-count.js").get_data(as_text=True)


def test_notes_over_the_limit_are_refused_beside_the_field_and_kept_whole(db, web, case):
    web.login(case.opened_by)
    page = f"/cases/{case.reference}"
    long = "y" * 20001
    html = web.submit(
        f"{page}/interviews", {"witness": "Sam Wright", "interviewed_on": "2026-03-02", "notes": long}, form_page=page
    ).get_data(as_text=True)
    assert "At most 20,000 characters: this has 20,001. Please shorten it (nothing was cut)." in html
    assert f"{long}</textarea>" in html
    assert db.scalar(select(InterviewNote.id)) is None

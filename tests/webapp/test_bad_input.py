"""Input the database cannot keep, or that would break a later page, is a
clear 400, a 404 or a form error, never a 500 and never stored: integers
beyond the database's range in paths and `?page=`, NUL and other control
characters anywhere, control characters and path parts in upload names,
filters the case list refused, and links that are not web links."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, Evidence, InterviewNote
from tests.factories import make_breach, make_hr, make_manager, make_takedown, make_user
from workflows.demo import DEMO_PNG

from .browserless import Web

HUGE = "9" * 30  # beyond every database's integer
BEYOND_POSTGRESQL = str(2**31)  # an integer column's range ends just below
BEYOND_SQLITE = str(2**63)


@pytest.fixture
def people(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "manager": manager,
        "hr": make_hr(db, "Hana Hussain"),
        "employee": make_user(db, "Ellie Jones", line_manager=manager),
    }


@pytest.fixture
def takedown(ctx, people):
    return make_takedown(ctx, people["manager"], people["employee"])


@pytest.fixture
def breach(ctx, people):
    return make_breach(ctx, people["hr"], people["employee"])


@pytest.mark.parametrize("number", [HUGE, BEYOND_POSTGRESQL, BEYOND_SQLITE])
@pytest.mark.parametrize("path", ["/tasks/{}", "/cases/evidence/{}", "/cases/letters/{}", "/cases/letters/{}.pdf"])
def test_an_id_beyond_the_database_s_integers_is_a_404(db, web, people, path, number):
    web.login(people["hr"])
    response = web.client.get(path.format(number))
    assert response.status_code == 404


def test_an_id_within_range_that_names_nothing_is_still_the_product_s_404(db, web, people):
    web.login(people["hr"])
    response = web.client.get("/tasks/2147483647")
    assert response.status_code == 404 and "There is no such task." in response.get_data(as_text=True)


@pytest.mark.parametrize("page", [HUGE, BEYOND_SQLITE, BEYOND_POSTGRESQL, "-5", "0", "abc"])
def test_a_huge_or_odd_page_number_lists_a_page_not_an_error(db, web, people, takedown, page):
    web.login(people["manager"])
    response = web.client.get(f"/cases/?page={page}")
    assert response.status_code == 200


NUL_REQUESTS = [
    ("the search box", "/cases/?q=smith%00"),
    ("a filter value", "/cases/?status=open%00"),
    ("the page number", "/cases/?page=1%00"),
    ("a path segment", "/cases/TD-2026-0001%00"),
    ("a path segment's diagram", "/cases/TD%00/diagram.bpmn"),
]


@pytest.mark.parametrize(("what", "url"), NUL_REQUESTS, ids=[w for w, _ in NUL_REQUESTS])
def test_a_nul_byte_in_an_address_is_a_clear_400(db, web, people, takedown, what, url):
    web.login(people["manager"])
    response = web.client.get(url)
    assert response.status_code == 400, what
    assert "cannot be kept" in response.get_data(as_text=True)


def test_a_nul_byte_in_the_sign_in_email_is_a_clear_400_and_nothing_is_stored(db, web, people):
    token = web.token("/login")
    response = web.client.post("/login", data={"email": "mark\x00@bcwhub.test", "password": "x", "csrf_token": token})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "cannot be kept" in html and "email" in html
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "login_failed")) is None


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x0b"])
def test_control_characters_in_free_text_are_refused_and_nothing_is_saved(db, web, people, breach, character):
    web.login(people["hr"])
    page = f"/cases/{breach.reference}"
    response = web.submit(
        f"{page}/interviews",
        {"witness": "Sam Wright", "interviewed_on": "2026-03-02", "notes": f"Saw it{character} on Sunday."},
        form_page=page,
    )
    assert response.status_code == 400 and "cannot be kept" in response.get_data(as_text=True)
    assert db.scalar(select(InterviewNote.id)) is None


def test_tabs_and_line_breaks_in_free_text_are_kept(db, web, people, breach):
    web.login(people["hr"])
    page = f"/cases/{breach.reference}"
    notes = "First line\r\n\tindented second line"
    assert (
        web.submit(
            f"{page}/interviews",
            {"witness": "Sam Wright", "interviewed_on": "2026-03-02", "notes": notes},
            form_page=page,
        ).status_code
        == 302
    )
    assert db.scalar(select(InterviewNote.notes)) == "First line\r\n\tindented second line"


def post_upload(web, url: str, form_page: str, fields: dict, filename: str, content: bytes):
    """A multipart POST whose file name is sent as `filename*=UTF-8''…`
    (RFC 2231), the way a client gets any character at all into it."""
    from urllib.parse import quote

    fields = {**fields, "csrf_token": web.token(form_page)}
    parts = [
        f'--XX\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{quote(filename, safe='')}\r\n"
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    body = b"".join(parts) + b"--XX--\r\n"
    return web.client.post(url, data=body, content_type="multipart/form-data; boundary=XX")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("shot\r\nSet-Cookie: x=1.png", "shotSet-Cookie: x=1.png"),
        ("bad\x00name.png", "badname.png"),
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\mark\\Desktop\\shot.png", "shot.png"),
        ("\u202egnp.exe.png", "gnp.exe.png"),  # a right-to-left override hides the real extension
        ("\r\n.png", "upload.png"),
    ],
)
def test_an_upload_s_name_loses_control_characters_and_path_parts_and_downloads(db, web, people, breach, sent, kept):
    web.login(people["hr"])
    page = f"/cases/{breach.reference}"
    fields = {"description": "A screenshot", "shared_with_subject": "no"}
    response = post_upload(web, f"{page}/evidence", page, fields, sent, DEMO_PNG)
    assert response.status_code == 302
    item = db.scalar(select(Evidence).where(Evidence.case_id == breach.id, Evidence.kind == "file"))
    assert item is not None and item.filename == kept
    download = web.client.get(f"/cases/evidence/{item.id}")
    assert download.status_code == 200 and download.data == DEMO_PNG
    assert "\r" not in download.headers["Content-Disposition"] and "\n" not in download.headers["Content-Disposition"]
    assert web.client.get(page).status_code == 200


def test_a_name_stored_before_the_fix_still_downloads(db, web, people, breach, settings):
    from workflows.engine.evidence import evidence_path

    web.login(people["hr"])
    item = Evidence(
        case_id=breach.id,
        kind="file",
        sha256="ab" * 32,
        filename="old\r\nname.png",
        content_type="image/png",
        size=len(DEMO_PNG),
        added_by_id=people["hr"].id,
        added_at=breach.opened_at,
    )
    db.add(item)
    db.flush()
    path = evidence_path(settings, item.sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(DEMO_PNG)
    download = web.client.get(f"/cases/evidence/{item.id}")
    assert download.status_code == 200
    assert "oldname.png" in download.headers["Content-Disposition"]


def test_the_case_list_shows_a_refused_filter_instead_of_ignoring_it(db, web, people, takedown):
    web.login(people["manager"])
    html = web.text("/cases/?status=no-such-status")
    assert "Not a valid choice." in html and "No cases match." in html
    assert takedown.reference not in html
    html = web.text("/cases/?q=" + "x" * 101)
    assert "Field cannot be longer than 100 characters." in html
    html = web.text("/cases/?kind=takedown_request&status=open")
    assert takedown.reference in html


# --- links ---------------------------------------------------------------------

NOT_WEB_LINKS = [
    "javascript:alert(document.cookie)",
    "javascript://example.com/%0Aalert(1)",
    "JavaScript://example.com/%0Aalert(1)",
    "data://text/html,hi",
    "ftp://example.com/file",
    "vbscript://example.com/x",
]


@pytest.mark.parametrize("link", NOT_WEB_LINKS)
def test_the_case_file_refuses_a_link_that_is_not_a_web_link(db, web, people, breach, link):
    web.login(people["hr"])
    page = f"/cases/{breach.reference}"
    response = web.submit(
        f"{page}/evidence",
        {"description": "A link", "shared_with_subject": "no", "url": link},
        form_page=page,
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Evidence not added: see the message beside each field." in html
    assert "Give a web link: one that starts with https:// or http://." in html[html.index('name="url"') :]
    assert db.scalar(select(Evidence).where(Evidence.kind == "url")) is None


@pytest.mark.parametrize("link", NOT_WEB_LINKS)
def test_the_breach_opening_form_refuses_a_link_that_is_not_a_web_link(db, web, people, link):
    web.login(people["hr"])
    response = web.submit(
        "/breach/new",
        {
            "subject": str(people["employee"].id),
            "source": "manager_report",
            "reported_by": "0",
            "clauses": ["SMP-5.5"],
            "description": "Posted a photo of a service user without their consent.",
            "evidence_url": link,
        },
    )
    assert response.status_code == 200
    assert "Give a web link: one that starts with https:// or http://." in response.get_data(as_text=True)
    assert db.scalar(select(Evidence.id)) is None


def test_a_web_link_is_accepted_and_shown_as_a_link(db, web, people, breach):
    web.login(people["hr"])
    page = f"/cases/{breach.reference}"
    web.submit(
        f"{page}/evidence",
        {"description": "The post", "shared_with_subject": "no", "url": "https://facebook.com/posts/1"},
        form_page=page,
    )
    assert '<a href="https://facebook.com/posts/1"' in web.text(page)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,<b>x</b>", " javascript:alert(1)"])
def test_a_stored_link_that_is_not_a_web_link_is_never_rendered_as_one(ctx, db, client, people, link, monkeypatch):
    """Links stored before the check existed are shown as text."""
    from workflows.engine.evidence import attach_evidence
    from workflows.procedures.takedown import opening

    case = make_breach(ctx, people["hr"], people["employee"])
    item = Evidence(kind="url", url=link, description="old", added_by_id=people["hr"].id, added_at=case.opened_at)
    attach_evidence(ctx, case, people["hr"], [item])
    monkeypatch.setattr(opening, "is_web_link", lambda url: True)  # as it was before the check
    takedown = make_takedown(ctx, people["manager"], people["employee"], urls=[link])
    monkeypatch.undo()
    web = Web(client)
    web.login(people["hr"])
    for page in (f"/cases/{case.reference}", f"/cases/{takedown.reference}"):
        html = web.text(page)
        assert f'href="{link}"' not in html and 'href="javascript' not in html and 'href="data' not in html, page


@pytest.mark.parametrize("number", [HUGE, BEYOND_SQLITE, BEYOND_POSTGRESQL, "0"])
def test_a_person_s_id_beyond_the_database_s_integers_is_a_form_error(db, web, people, breach, number):
    """Found by the fuzz test: triage's investigator is a person's id from a select."""
    from models import CaseTask

    web.login(people["hr"])
    task = db.scalar(select(CaseTask).where(CaseTask.case_id == breach.id, CaseTask.bpmn_id == "UserTask_Triage"))
    response = web.submit(
        f"/tasks/{task.id}",
        {"severity": "serious", "personal_data_published": "no", "suspension_needed": "no", "investigator_id": number},
    )
    assert response.status_code == 200
    assert "Choose the investigator" in response.get_data(as_text=True) or "Choose an" in response.get_data(
        as_text=True
    )

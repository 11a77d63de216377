"""Signing in and out; failures are audited and explained."""

from sqlalchemy import select

from models import AuditEvent

from ..factories import make_manager


def test_sign_in_and_out(db, web):
    user = make_manager(db)
    assert web.client.get("/").status_code == 302  # sign-in required
    web.login(user)
    assert "My tasks" in web.text("/")
    assert web.logout().status_code == 302
    assert web.client.get("/").headers["Location"].startswith("/login")


def test_wrong_password_is_refused_audited_and_keeps_the_email(db, web):
    user = make_manager(db)
    page = web.submit("/login", {"email": user.email, "password": "wrong"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "do not match an active account" in html
    assert f'value="{user.email}"' in html
    failed = db.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert failed and failed[-1].data["email"] == user.email


def test_a_form_without_its_csrf_token_saves_nothing(db, web):
    user = make_manager(db)
    page = web.client.post("/login", data={"email": user.email, "password": "x"})
    assert page.status_code == 400
    assert "nothing was saved" in page.get_data(as_text=True)


def test_next_never_redirects_off_site(db, web):
    user = make_manager(db)
    token = web.token("/login")
    response = web.client.post(
        "/login?next=//evil.example/",
        data={"email": user.email, "password": "correct horse battery staple", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"

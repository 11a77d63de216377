"""Every response carries the security headers (webapp/errors.py
`security_headers`): pages, redirects, files and every kind of error page."""

from __future__ import annotations

import pytest

from ..factories import make_manager, make_takedown, make_user

EXPECTED = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def assert_secure(response, what: str) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (what, name, response.headers.get(name))
    policy = [d.strip() for d in response.headers.get("Content-Security-Policy", "").split(";")]
    assert "frame-ancestors 'none'" in policy, (what, policy)
    assert "default-src 'self'" in policy, (what, policy)
    script = next((d for d in policy if d.startswith("script-src")), "")
    assert script == "script-src 'self'", (what, script)  # no inline or remote scripts


@pytest.fixture
def case(ctx, db):
    manager = make_manager(db, "Mark Taylor")
    return manager, make_takedown(ctx, manager, make_user(db, "Ellie Jones"))


def test_signed_out_pages_and_redirects_carry_the_security_headers(db, web):
    assert_secure(web.client.get("/login"), "the sign-in page")
    to_login = web.client.get("/")
    assert to_login.status_code == 302
    assert_secure(to_login, "the redirect to sign in")
    refused = web.client.post("/login", data={"email": "x@bcwhub.test", "password": "x"})
    assert refused.status_code == 400  # no CSRF token
    assert_secure(refused, "the CSRF error page")


def test_signed_in_pages_and_files_carry_the_security_headers(db, web, case):
    manager, takedown = case
    web.login(manager)
    for url in ("/", "/cases/", f"/cases/{takedown.reference}", f"/cases/{takedown.reference}/diagram.bpmn"):
        response = web.client.get(url)
        assert response.status_code == 200, url
        assert_secure(response, url)


def test_error_pages_and_refusals_carry_the_security_headers(db, web, case):
    _manager, takedown = case
    web.login(make_user(db, "Olly Outsider"))
    forbidden = web.client.get(f"/cases/{takedown.reference}")
    assert forbidden.status_code == 403
    assert_secure(forbidden, "a 403")
    missing = web.client.get("/cases/TD-1999-9999")
    assert missing.status_code == 404 and "There is no case TD-1999-9999." in missing.get_data(as_text=True)
    assert_secure(missing, "the product's 404")
    unknown = web.client.get("/no-such-page")
    assert unknown.status_code == 404
    assert_secure(unknown, "a routing 404")


def test_the_unexpected_error_page_carries_the_security_headers(app, db, web):
    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/broken-for-test", "broken_for_test", broken)
    response = web.client.get("/broken-for-test")
    assert response.status_code == 500 and "Something went wrong" in response.get_data(as_text=True)
    assert_secure(response, "a 500")

"""A session has a server-side identity (the account's session token): a
cookie copied before sign-out, deactivation or a password change signs nobody
in afterwards, remember-me cookies included. Pages are never cached; HSTS is
sent when cookies are secure; the secret key file is born 0600; demo data
never goes into a database that holds real people."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from flask_login.utils import encode_cookie

from workflows import demo
from workflows.engine import people
from workflows.engine.errors import InvalidInput

from ..factories import make_manager, make_takedown, make_user
from .browserless import Web


def copied_session(app, web: Web) -> Web:
    """Another browser holding a copy of this one's session cookie."""
    cookie = web.client.get_cookie("session")
    other = Web(app.test_client())
    other.client.set_cookie("session", cookie.value)
    return other


def test_a_cookie_copied_before_sign_out_no_longer_signs_in(app, db, web):
    user = make_manager(db)
    web.login(user)
    thief = copied_session(app, web)
    assert thief.client.get("/").status_code == 200  # the copy works while the session lives
    web.logout()
    assert thief.client.get("/").status_code == 302
    web.login(user)  # signing in again starts a new session that works
    assert web.client.get("/").status_code == 200


def test_a_password_change_ends_every_session(app, db, web):
    user = make_manager(db)
    web.login(user)
    other_device = copied_session(app, web)
    people.set_password(db, user, "a brand new passphrase")
    db.flush()
    assert web.client.get("/").status_code == 302 and other_device.client.get("/").status_code == 302
    web.login(user, "a brand new passphrase")
    assert web.client.get("/").status_code == 200


def test_deactivation_ends_every_session_and_reactivating_revives_none(db, web):
    user = make_manager(db)
    web.login(user)
    people.deactivate(db, user)
    db.flush()
    assert web.client.get("/").status_code == 302
    user.active = True  # brought back by hand: the old cookie stays dead
    db.flush()
    assert web.client.get("/").status_code == 302


def test_a_remember_me_cookie_is_revoked_with_the_session(app, db):
    user = make_manager(db)
    remembered = app.test_client()
    with app.app_context():  # signed with the app's secret key
        remembered.set_cookie("remember_token", encode_cookie(user.get_id()))
    assert remembered.get("/").status_code == 200
    people.sign_out(db, user)
    db.flush()
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered.get_cookie("remember_token").value)
    assert fresh.get("/").status_code == 302


@pytest.mark.parametrize("stored", ["{id}", "{id}:", "{id}:not-the-token", "x:y", "99999999999999999999:z"])
def test_a_session_without_the_current_token_is_nobody(client, db, stored):
    user = make_manager(db)
    with client.session_transaction() as session:
        session["_user_id"] = stored.format(id=user.id)
        session["_fresh"] = True
    assert client.get("/").status_code == 302


def test_case_pages_inboxes_and_files_are_never_cached_but_static_files_may_be(ctx, db, web):
    manager = make_manager(db)
    case = make_takedown(ctx, manager, make_user(db))
    web.login(manager)
    for url in ("/", f"/cases/{case.reference}", "/cases/", "/login", "/no-such-page"):
        assert web.client.get(url).headers.get("Cache-Control") == "no-store", url
    static = web.client.get("/static/css/case-diagram.css")
    assert static.status_code == 200 and static.headers.get("Cache-Control") != "no-store"


def test_hsts_only_when_cookies_are_secure(app, db, web):
    assert "Strict-Transport-Security" not in web.client.get("/login").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    assert web.client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_secret_key_file_is_created_0600_never_chmod_ed_after(db, library, settings, tmp_path, monkeypatch):
    from webapp import create_app

    def no_chmod(*args, **kwargs):
        raise AssertionError("the key file was created readable, then chmod'ed")

    monkeypatch.setattr(Path, "chmod", no_chmod)
    monkeypatch.setattr(os, "chmod", no_chmod)
    previous = os.umask(0o022)
    try:
        config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": "sqlite://"}
        app = create_app({**config, "PROCESS_LIBRARY": library})
        again = create_app({**config, "PROCESS_LIBRARY": library})
    finally:
        os.umask(previous)
    key = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == again.config["SECRET_KEY"] == key.read_text().strip()
    assert len(app.config["SECRET_KEY"]) == 64


def test_demo_data_refuses_a_database_that_holds_other_people(ctx, db, app):
    make_user(db, "Real Person")
    with pytest.raises(InvalidInput, match="not demo people"):
        demo.load(ctx)
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 1 and "not demo people" in result.output


def test_users_can_be_deactivated_and_given_a_new_password_from_the_command_line(app, db, web):
    user = make_manager(db)
    web.login(user)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "set-password", "--email", user.email, "--password", "another long one"])
    assert result.exit_code == 0, result.output
    assert web.client.get("/").status_code == 302
    web.login(user, "another long one")
    result = runner.invoke(args=["users", "deactivate", "--email", user.email])
    assert result.exit_code == 0, result.output
    assert web.client.get("/").status_code == 302
    assert runner.invoke(args=["users", "deactivate", "--email", "nobody@bcwhub.test"]).exit_code == 1

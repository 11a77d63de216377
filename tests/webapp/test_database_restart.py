"""Every connection cut under the pool (a restart): the next page still loads."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.factories import PASSWORD, make_hr
from tests.webapp.browserless import Web


def test_a_page_after_every_connection_was_cut_is_not_a_500(committed, database_url, library, settings, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("cutting connections is a PostgreSQL test")
    from webapp import create_app

    db = committed()
    hr = make_hr(db, "Hana Hussain")
    db.commit()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": database_url,
            "PROCESS_LIBRARY": library,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "EVIDENCE_DIR": str(settings.evidence_dir),
        }
    )
    web = Web(app.test_client())
    web.login(hr, PASSWORD)
    assert "My tasks" in web.text("/")
    with db.connection() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    assert "My tasks" in web.text("/")  # the pool's dead connections were found and replaced
    app.extensions["casework"].sessions.kw["bind"].dispose()

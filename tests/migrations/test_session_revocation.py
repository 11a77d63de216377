"""Migration 0011: every account gets its own session token, and loses it on downgrade."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import create_engine, inspect, text

from .test_state_compression import _move


def test_0011_gives_each_user_a_token_of_their_own_and_its_downgrade_drops_them(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    _move(engine, "0010")
    with engine.begin() as conn:
        for n in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, person_type, job_title, active, created_at)"
                    " VALUES (:id, :email, 'A person', 'x', 'employee', '', 1, :now)"
                ),
                {"id": n, "email": f"p{n}@bcwhub.test", "now": datetime(2026, 3, 2, 9, 0)},
            )
    _move(engine, "0011")
    with engine.connect() as conn:
        tokens = list(conn.scalars(text("SELECT session_token FROM users ORDER BY id")))
    assert len(tokens) == 2 and len(set(tokens)) == 2 and all(len(t) == 64 for t in tokens)
    column = next(c for c in inspect(engine).get_columns("users") if c["name"] == "session_token")
    assert column["nullable"] is False
    _move(engine, "0010", down=True)
    assert "session_token" not in {c["name"] for c in inspect(engine).get_columns("users")}
    engine.dispose()

"""Migration 0006: each case's workflow state, compressed and back."""

from __future__ import annotations

import json
from datetime import datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from models import Case

from ..conftest import ROOT

# Key order matters: SpiffWorkflow restores tasks in the order they were written.
STATE = {"tasks": {"b-task": {"data": {"note": "Zoë"}}, "a-task": {"data": {}}}, "last_task": "b-task"}


def _move(engine, revision: str, down: bool = False) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _case_at_0005(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")  # foreign keys not enforced
    _move(engine, "0005")
    now = datetime(2026, 3, 2, 9, 0)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cases (id, reference, kind, title, subject_id, opened_by_id, status, current_step,"
                " clauses, spec_hash, state, version, opened_at, updated_at) VALUES (1, 'TD-2026-0001',"
                " 'takedown_request', 'A case', 1, 1, 'open', '', '[]', 'abc', :state, 1, :now, :now)"
            ),
            {"state": json.dumps(STATE), "now": now},
        )
    return engine


def test_state_is_compressed_and_reads_back_in_its_key_order(tmp_path):
    engine = _case_at_0005(tmp_path)
    _move(engine, "head")
    with engine.connect() as conn:
        stored = conn.scalar(text("SELECT state FROM cases"))
    assert isinstance(stored, bytes) and not stored.startswith(b"{")
    with Session(engine) as db:
        state = db.scalar(select(Case)).state
    assert state == STATE and list(state["tasks"]) == ["b-task", "a-task"]
    engine.dispose()


def test_downgrade_gives_back_the_json_text(tmp_path):
    engine = _case_at_0005(tmp_path)
    _move(engine, "head")
    _move(engine, "0005", down=True)
    with engine.connect() as conn:
        assert json.loads(conn.scalar(text("SELECT state FROM cases"))) == STATE
    engine.dispose()

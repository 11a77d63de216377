"""Migration 0012: a trail written before it is re-hashed so its content can
be erased, only if it verifies as written; old anchors still hold."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from models import AuditEvent
from workflows.engine import anchors, audit

from ..conftest import ROOT
from .test_state_compression import _move

EVENTS = [
    dict(seq=1, occurred_at=datetime(2026, 3, 2, 9, 0, 0, 123456), actor_label="Hana Hussain", action="a", data="{}"),
    dict(seq=2, occurred_at=datetime(2026, 3, 2, 9, 0, 1), actor_label="Zoë", action="b", data='{"k":"x\\ny"}'),
]


def migration():
    path = ROOT / "migrations/versions/0012_audit_content_erasable.py"
    spec = importlib.util.spec_from_file_location("migration_0012", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def trail_at_0011(tmp_path, forge: bool = False):
    """A SQLite database at 0011 holding a system chain in 0004's format."""
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    _move(engine, "0011")
    rows, prev = [], ""
    for event in EVENTS:
        row = dict(event, chain="system", case_id=None, actor_id=None, bpmn_task=None, prev_hash=prev)
        row["hash"] = prev = migration()._hash_0004(prev, SimpleNamespace(**row, text=row["data"]))
        rows.append(dict(row, occurred_at=str(row["occurred_at"])))
    if forge:
        rows[1]["actor_label"] = "Someone else"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_chains (id, seq, head) VALUES ('system', 2, :h)"), {"h": prev})
        conn.execute(
            text(
                "INSERT INTO audit_events (chain, seq, case_id, occurred_at, actor_id, actor_label, action,"
                " bpmn_task, data, prev_hash, hash) VALUES (:chain, :seq, :case_id, :occurred_at, :actor_id,"
                " :actor_label, :action, :bpmn_task, :data, :prev_hash, :hash)"
            ),
            rows,
        )
    return engine, [r["hash"] for r in rows]


def test_a_trail_that_verified_is_rehashed_and_keeps_its_old_hashes(tmp_path):
    engine, old = trail_at_0011(tmp_path)
    _move(engine, "head")
    with Session(engine) as db:
        assert audit.verify(db) == (2, [])
        stored = db.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert [e.v1_hash for e in stored] == old and all(e.hash not in old for e in stored)
        assert stored[0].content_digest and stored[0].erased_at is None
        # An anchor written before the migration recorded the old head: it still holds.
        anchor = SimpleNamespace(number=1, at="2026-03-02T10:00:00Z")
        assert anchors._contradictions(db, {"system": (2, old[1], anchor)}) == []
        assert anchors._contradictions(db, {"system": (2, "0" * 64, anchor)})
    engine.dispose()


def test_a_tampered_trail_is_refused_not_laundered(tmp_path):
    engine, _old = trail_at_0011(tmp_path, forge=True)
    with pytest.raises(RuntimeError, match=r"event #2 .* refusing to re-hash a tampered trail"):
        _move(engine, "head")
    engine.dispose()


def test_downgrading_restores_the_old_hashes_unless_something_was_erased(tmp_path):
    engine, old = trail_at_0011(tmp_path)
    _move(engine, "head")
    _move(engine, "0011", down=True)
    with engine.connect() as conn:
        assert [h for (h,) in conn.execute(text("SELECT hash FROM audit_events ORDER BY seq"))] == old
    _move(engine, "head")
    with Session(engine) as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.seq == 1))
        audit.erase(db, [event.id], audit.SYSTEM, "retention")
        db.commit()
        assert audit.verify(db)[1] == []
        assert db.get(AuditEvent, event.id).data["erased"]["rule"] == "retention"
    with pytest.raises(RuntimeError, match="events have been erased"):
        _move(engine, "0011", down=True)
    engine.dispose()

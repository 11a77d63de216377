"""Migration 0007: the never-written `cases.severity` goes, and comes back on downgrade."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect

from .test_state_compression import _move


def columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("cases")}


def test_0007_drops_severity_and_its_downgrade_restores_it(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    _move(engine, "0006")
    assert "severity" in columns(engine)
    _move(engine, "0007")
    assert "severity" not in columns(engine) and "status" in columns(engine)
    _move(engine, "0006", down=True)
    assert "severity" in columns(engine)
    engine.dispose()

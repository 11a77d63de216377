"""Saving an operation's outcome (workflows/engine/running.py)."""

from __future__ import annotations

from types import SimpleNamespace

from workflows.engine.running import current_step


def waiting(*names: str) -> list:
    return [SimpleNamespace(task_spec=SimpleNamespace(bpmn_name=name, bpmn_id=name.upper())) for name in names]


def test_the_current_step_names_each_waiting_step_once():
    assert current_step(waiting("Decide", "Review", "Decide")) == "Decide, Review"


def test_the_current_step_fits_its_column_however_many_steps_wait():
    shown = current_step(waiting(*(f"Decide on sickness absence number {n}" for n in range(20))))
    assert len(shown) == 200 and shown.endswith("…")

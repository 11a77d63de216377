"""The engine names no procedure, and each of its modules imports on its own
(no import cycle held apart by a function-local import)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[3] / "workflows" / "engine"
MODULES = sorted(p.stem for p in ENGINE.glob("*.py") if p.stem != "__init__")


def test_the_engine_names_no_procedure_or_clause():
    for path in ENGINE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = re.findall(r"takedown|breach|disciplinary|inaccurate|SMP-", text, re.IGNORECASE)
        assert not found, f"{path.name} names {sorted(set(found))}"


@pytest.mark.parametrize("module", MODULES)
def test_each_engine_module_imports_alone(module):
    result = subprocess.run(
        [sys.executable, "-c", f"import workflows.engine.{module}"],
        cwd=ENGINE.parents[1],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]

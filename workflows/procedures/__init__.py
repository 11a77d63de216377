"""The procedures: one package each, registering itself with the engine
when imported. Adding a procedure means adding its name to INSTALLED (the
web app imports `webapp.procedures.<name>` for the same names)."""

from __future__ import annotations

import importlib
from pathlib import Path

from workflows import policy
from workflows.engine import texts

INSTALLED = (
    "takedown",
    "breach",
    "disciplinary",
    "inaccurate_information",
    "monitoring",
    "campaign_permission",
    "subject_access",
    "volunteer_problem_solving",
    "trustee_referral",
)

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"


def load() -> None:
    """Import (and so register) every installed procedure. Safe to call again."""
    texts.add_global("clause", policy.clause)
    texts.add_global("quoted_clauses", policy.quoted)
    for name in INSTALLED:
        importlib.import_module(f"{__name__}.{name}")

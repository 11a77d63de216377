"""Rules a step brings beyond its form: checks before the engine runs
(returning parties to name), and follow-ups after. Keyed by form name."""
from __future__ import annotations

from . import breach

BEFORE = {"breach_triage": breach.check_triage}
AFTER = {"escalation_decision": breach.after_escalation_decision}

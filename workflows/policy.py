"""The Social Media Policy's clauses, read from the policy text itself.

Notices and letters quote clauses verbatim, so the text is parsed from the
organisation's document rather than copied into code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

POLICY_PATH = Path(__file__).resolve().parent.parent / "policy" / "social-media-policy.md"
_MARKER = re.compile(r"\[(SMP-\d+(?:\.\d+)?)\]")
# Clauses that ask people to do something (report inaccurate information):
# nobody can be said to have breached one, so no form offers them as breached.
DUTIES = frozenset({"SMP-5.12"})


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    text: str
    lead_in: str = ""  # the sentence a list item completes ("... must not:")

    @property
    def anchor(self) -> str:
        return self.id.lower().replace(".", "-")

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.id[4:].split("."))


@lru_cache(maxsize=1)
def clauses() -> dict[str, Clause]:
    return _parse(POLICY_PATH.read_text(encoding="utf-8"))


def clause(clause_id: str) -> Clause:
    return clauses()[clause_id]


def quoted(clause_ids: list[str]) -> list[Clause]:
    """The clauses a case cites, for quoting in a notice (unknown ids left out)."""
    known = clauses()
    return [known[c] for c in clause_ids if c in known]


def rule_choices() -> list[tuple[str, str]]:
    """Sub-clauses a breach can cite, as (id, short label) pairs."""
    return [
        (c.id, f"{c.id}: {c.text}")  # whole text: shortened, SMP-5.1 and 5.3 read the same
        for c in sorted(clauses().values(), key=lambda c: c.sort_key)
        if "." in c.id and c.id not in DUTIES
    ]


def _parse(markdown: str) -> dict[str, Clause]:
    found: dict[str, Clause] = {}
    section, paragraph = "", ""
    for line in markdown.splitlines():
        stripped = line.strip()
        heading = re.match(r"^#+\s+(.*?)\s*\[(SMP-[\d.]+)\]\s*$", stripped)
        if heading:
            section = heading.group(1)
            found[heading.group(2)] = Clause(heading.group(2), section, section)
            paragraph = ""
            continue
        if not stripped or stripped.startswith("#"):
            continue
        item = stripped.startswith("- ")
        body = stripped[2:] if item else stripped
        pieces = _MARKER.split(body)
        if len(pieces) == 1:
            paragraph = stripped
            _extend_section_text(found, section, stripped)
            continue
        for clause_id, text in zip(pieces[1::2], pieces[2::2]):
            lead = paragraph if item else ""
            found[clause_id] = Clause(clause_id, section, text.strip(), lead)
    return found


def _extend_section_text(found: dict[str, Clause], section: str, text: str) -> None:
    """A paragraph with no marker belongs to its section's heading clause."""
    for clause_id, existing in found.items():
        if "." not in clause_id and existing.section == section:
            body = text if existing.text == section else f"{existing.text}\n\n{text}"
            found[clause_id] = Clause(clause_id, section, body)

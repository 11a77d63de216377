"""The Social Media Policy's clauses, read from the policy text itself.

Notices and letters quote clauses verbatim, so the text is parsed from the
organisation's document rather than copied into code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

POLICY_PATH = Path(__file__).resolve().parent.parent / "policy" / "social-media-policy.md"
_MARKER = re.compile(r"\[(SMP-\d+(?:\.\d+)?)\]")


class Kind(StrEnum):
    """What a clause is, which decides what the product may do with it: only
    a rule can be alleged as breached (docs/domain.md, "The policy's clauses")."""

    RULE = "rule"  # something a person must or must not do: it can be breached
    DUTY = "duty"  # something the policy asks people to do for the organisation (report, tell)
    POWER = "power"  # a right the organisation keeps (restrict access)
    PURPOSE = "purpose"  # why the organisation monitors
    ADVICE = "advice"  # guidance for people's own protection
    CONSEQUENCE = "consequence"  # what a breach leads to


# Every sub-clause of the policy, by what it is. A clause the policy gains
# is none of these until it is classified here (tests/workflows/test_policy.py),
# and until then it is never offered as breached.
KINDS: dict[str, Kind] = {
    "SMP-3.1": Kind.RULE,
    "SMP-3.2": Kind.POWER,
    "SMP-3.3": Kind.RULE,
    **{f"SMP-4.{n}": Kind.RULE for n in range(1, 5)},
    **{f"SMP-5.{n}": Kind.RULE for n in range(1, 9)},
    "SMP-5.9": Kind.ADVICE,
    "SMP-5.10": Kind.RULE,
    "SMP-5.11": Kind.ADVICE,
    "SMP-5.12": Kind.DUTY,
    **{f"SMP-6.{n}": Kind.PURPOSE for n in range(1, 6)},
    "SMP-6.6": Kind.POWER,
    "SMP-7.1": Kind.CONSEQUENCE,
    "SMP-7.2": Kind.CONSEQUENCE,
}


# Clauses that ask people to do something (report inaccurate information):
# nobody can be said to have breached one, so no form offers them as breached.
DUTIES = frozenset(cid for cid, kind in KINDS.items() if kind is Kind.DUTY)


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

    @property
    def kind(self) -> Kind | None:
        return KINDS.get(self.id)


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
    """The rules, which a breach can cite, as (id, label) pairs; never a
    duty, a power of the organisation, advice or a consequence."""
    return [
        (c.id, f"{c.id}: {c.text}")  # whole text: shortened, SMP-5.1 and 5.3 read the same
        for c in sorted(clauses().values(), key=lambda c: c.sort_key)
        if c.kind is Kind.RULE
    ]


def rule_ids() -> list[str]:
    return [cid for cid, _label in rule_choices()]


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

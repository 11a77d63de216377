"""What every operation needs: a database session, the process library and
the organisation's settings. Built by the web app, the worker, the CLI and tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:  # the library imports the registry, which imports this module
    from .specs import ProcessLibrary

# Debian's fonts-dejavu-core, installed by the Makefile: Unicode TrueType,
# so letters print any name as it was typed.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@dataclass
class Settings:
    base_url: str = "http://127.0.0.1:5000"
    evidence_dir: Path = Path("instance/evidence")
    # The one upload limit: the web app's request limit is this plus the form around it.
    max_evidence_bytes: int = 10 * 1024 * 1024
    allowed_evidence_types: tuple[str, ...] = field(
        default=("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")
    )
    letter_font: Path = DEJAVU / "DejaVuSans.ttf"
    letter_font_bold: Path = DEJAVU / "DejaVuSans-Bold.ttf"
    # The audit trail's anchors live outside the database, or they prove nothing
    # (workflows/engine/anchors.py). No email address: anchors stay in the log.
    anchor_log: Path = Path("instance/audit-anchors.jsonl")
    anchor_key: Path = Path("instance/audit-anchor.key")
    anchor_email: str | None = None
    anchor_every_minutes: float = 60.0
    # The retention schedule (retention.py): years after a case closes, and
    # per procedure kind where a setting overrides the procedure's own.
    retention_years: int = 6
    retention_by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def max_evidence_megabytes(self) -> int:
        return self.max_evidence_bytes // (1024 * 1024)


@dataclass
class Context:
    db: Session
    library: ProcessLibrary
    settings: Settings

"""What every operation needs: a database session, the process library and
the organisation's settings. Built by the web app, the worker, the CLI and tests."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from .engine import ProcessLibrary


@dataclass
class Settings:
    base_url: str = "http://127.0.0.1:5000"
    evidence_dir: Path = Path("instance/evidence")
    mail_sender: str = "BCW Hub HR <hr@bcwhub.org.uk>"
    max_evidence_bytes: int = 10 * 1024 * 1024
    default_deadline_hours: float = 24
    allowed_evidence_types: tuple[str, ...] = field(
        default=("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"))


@dataclass
class Context:
    db: Session
    library: ProcessLibrary
    settings: Settings

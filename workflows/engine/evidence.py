"""Evidence files, stored once by SHA-256 under the instance folder.

The type is judged by the file's first bytes, not its name, and the name's
extension must agree: a renamed executable is refused, not stored.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, Evidence, Letter, User

from . import audit, clock
from .audit import Actor, PendingEvent
from .context import Context, Settings
from .errors import InvalidInput

_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
]
EXTENSIONS = {
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "application/pdf": {".pdf"},
}
_CHUNK = 64 * 1024
# Control and format characters (CR/LF would break a download's header; a
# right-to-left override hides an extension), line separators, surrogates.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
WEB_LINK = re.compile(r"^https?://[^\s/?#@]+(?:[/?#]\S*)?$", re.IGNORECASE)


def safe_filename(filename: str | None) -> str:
    """The name a file is kept and offered under: its last path part (either
    slash), without control or format characters, at most 255 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in _UNSAFE_CATEGORIES).strip()
    if not name.strip("."):
        return "upload"
    if name.startswith("."):  # a bare extension, or a hidden file's name
        name = "upload" + name
    return name[-255:]


def is_web_link(url: str | None) -> bool:
    """An http(s) link with a host and no spaces: the only kind kept as
    evidence or shown as a link."""
    return bool(url and WEB_LINK.match(url))


# A capture may come before its case: content is saved when first seen, and the
# request or complaint can follow months later; a year before the case opened
# covers that, while 1900 (a slip in the year) is refused. Five minutes of
# slack at the other end, for a device clock a little ahead of ours.
CAPTURED_BEFORE_OPENING = timedelta(days=365)
CLOCK_SLACK = timedelta(minutes=5)


def check_captured_at(captured_at: datetime | None, opened_at: datetime | None = None) -> None:
    """Refuse a capture time more than a year before the case opened (`opened_at`;
    now, for a case being opened) or in the future, naming the range allowed."""
    if captured_at is None:
        return
    if captured_at.tzinfo is None:  # stored times are UTC
        captured_at = captured_at.replace(tzinfo=UTC)
    now = clock.now()
    earliest = (opened_at.replace(tzinfo=opened_at.tzinfo or UTC) if opened_at else now) - CAPTURED_BEFORE_OPENING
    if not earliest <= captured_at <= now + CLOCK_SLACK:
        raise InvalidInput(
            f"The capture time must be between {_uk(earliest)} (a year before the case was opened) "
            f"and now, {_uk(now)} (UK time).",
            "captured_at",
        )


def _uk(moment: datetime) -> str:
    return clock.london(moment).strftime("%-d %B %Y, %H:%M")


def sniff(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)


def store_upload(
    settings: Settings,
    stream: BinaryIO,
    filename: str,
    added_by: User,
    description: str = "",
    captured_at: datetime | None = None,
) -> Evidence:
    """Check and store an uploaded file; returns an unsaved Evidence row."""
    name = safe_filename(filename)
    settings.evidence_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=settings.evidence_dir, delete=False) as temp:
        try:
            digest, size, head = _copy_limited(stream, temp, settings.max_evidence_bytes)
            content_type = _check_type(head, name, settings)
        except InvalidInput:
            os.unlink(temp.name)
            raise
    target = evidence_path(settings, digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp.name, target)  # same content, same name: replacing is harmless
    return Evidence(
        kind="file",
        sha256=digest,
        filename=name,
        content_type=content_type,
        size=size,
        description=description,
        captured_at=captured_at,
        added_by_id=added_by.id,
        added_at=clock.now(),
    )


def _copy_limited(stream: BinaryIO, out: BinaryIO, limit: int) -> tuple[str, int, bytes]:
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise InvalidInput(f"The file is larger than the {limit // (1024 * 1024)} MB limit.")
        if len(head) < 16:
            head += chunk[:16]
        digest.update(chunk)
        out.write(chunk)
    if size == 0:
        raise InvalidInput("The file is empty.")
    return digest.hexdigest(), size, head


def _check_type(head: bytes, name: str, settings: Settings) -> str:
    kind = sniff(head)
    if kind is None or kind not in settings.allowed_evidence_types:
        raise InvalidInput(
            "Only screenshots and documents can be stored as evidence: PNG, JPEG, GIF or WebP images, or PDF files."
        )
    extension = Path(name).suffix.lower()
    if extension not in EXTENSIONS[kind]:
        raise InvalidInput(
            f"The file is called '{name}' but its contents are {kind}: please upload it with its real file type."
        )
    return kind


def evidence_path(settings: Settings, sha256: str) -> Path:
    return settings.evidence_dir / sha256[:2] / sha256


def url_evidence(url: str, added_by: User, captured_at: datetime | None = None) -> Evidence:
    if not is_web_link(url):
        raise InvalidInput("Give a web link: one that starts with https:// or http://.")
    return Evidence(
        kind="url", url=url, description="", captured_at=captured_at, added_by_id=added_by.id, added_at=clock.now()
    )


def copied(item: Evidence, description: str, shared: bool | None = None) -> Evidence:
    """The same file or link, unsaved, for another case (its hash and
    capture time kept, so both cases prove the same thing)."""
    return Evidence(
        kind=item.kind,
        sha256=item.sha256,
        filename=item.filename,
        content_type=item.content_type,
        size=item.size,
        url=item.url,
        description=description,
        shared_with_subject=item.shared_with_subject if shared is None else shared,
        captured_at=item.captured_at,
        added_by_id=item.added_by_id,
        added_at=item.added_at,
    )


def attach_evidence(ctx: Context, case: Case, user: User, items: list[Evidence]) -> None:
    """Put stored evidence on a case, each item audited with its hash."""
    for item in items:
        item.case_id = case.id
        ctx.db.add(item)
    ctx.db.flush()
    audit.append(
        ctx.db,
        case.id,
        [
            PendingEvent(
                "evidence_added",
                Actor.person(user),
                {
                    "evidence_id": item.id,
                    "kind": item.kind,
                    "shared_with_subject": item.shared_with_subject,
                    "filename": item.filename,
                    "sha256": item.sha256,
                    "size": item.size,
                    "content_type": item.content_type,
                    "url": item.url,
                    "captured_at": item.captured_at.isoformat() if item.captured_at else None,
                },
            )
            for item in items
        ],
    )


# Files younger than this may belong to a transaction still under way.
SWEEP_GRACE = timedelta(hours=1)


def sweep_unreferenced(db: Session, settings: Settings, grace: timedelta = SWEEP_GRACE) -> int:
    """Delete stored files that no evidence row or letter refers to (an upload
    whose request was refused, or a crash mid-upload), once they are older
    than `grace`; returns how many. Personal data nobody recorded is not kept."""
    root = settings.evidence_dir
    if not root.is_dir():
        return 0
    kept = set(db.scalars(select(Evidence.sha256).where(Evidence.sha256.is_not(None), Evidence.erased_at.is_(None))))
    kept |= set(db.scalars(select(Letter.pdf_sha256).where(Letter.erased_at.is_(None))))
    cutoff = (clock.now() - grace).timestamp()
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and path.name not in kept and _older_than(path, cutoff):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _older_than(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False

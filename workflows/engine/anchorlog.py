"""The anchor log: signed statements of the audit chains' heads, kept outside
the database (docs/architecture.md, "Audit trail").

One JSON object a line. Each anchor carries its number, its time, the hash
of the line before it, the signing key's public half, the (seq, head) of
every chain that moved since the anchor before, and an Ed25519 signature
over all of that. Whoever holds the database cannot sign; whoever edits,
removes or reorders a line breaks its signature or the next line's link.
This module knows files and keys only; anchors.py compares them with the
database.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from models.base import canonical_json

FIELDS = ("anchor", "at", "prev", "key", "chains", "sig")


class AnchorError(Exception):
    """The anchor log cannot be appended to as it stands."""


@dataclass(frozen=True)
class Anchor:
    number: int
    at: str  # ISO 8601, UTC
    prev: str  # sha256 of the line before; "" for the first
    key: str  # the Ed25519 public key, hex
    chains: dict[str, list]  # chain -> [seq, head]
    sig: str
    line: int  # 1-based line number in the log
    digest: str  # sha256 of this line: what the next line links to

    def __str__(self) -> str:
        return f"anchor #{self.number} ({self.at})"


@dataclass(frozen=True)
class LogProblem:
    line: int | None
    number: int | None
    problem: str

    def __str__(self) -> str:
        if self.line is None:
            return f"anchor log: {self.problem}"
        anchor = f" (anchor #{self.number})" if self.number is not None else ""
        return f"anchor log line {self.line}{anchor}: {self.problem}"


# --- the key ------------------------------------------------------------------------


def signing_key(path: Path) -> Ed25519PrivateKey:
    """The installation's key, created on first use. O_EXCL with mode 0600:
    the file never exists with wider permissions, even for a moment, and two
    workers starting at once cannot each create one."""
    try:
        return _load(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load(path)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    return key


def public_key(path: Path) -> Ed25519PublicKey | None:
    """The key anchors must be signed with; None if none was ever created."""
    try:
        return _load(path).public_key()
    except FileNotFoundError:
        return None


def _load(path: Path) -> Ed25519PrivateKey:
    """FileNotFoundError if there is no key; AnchorError if it cannot be used."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise
    except (OSError, ValueError, TypeError) as error:
        raise AnchorError(f"the anchor key {path} cannot be read: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AnchorError(f"{path} holds no Ed25519 key")
    return key


def key_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


# --- writing ------------------------------------------------------------------------


@contextmanager
def locked(path: Path) -> Iterator[list[str]]:
    """Hold the log's exclusive lock, yielding its lines: two workers must
    not both link a new anchor to the same line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield _lines(fd)
    finally:
        os.close(fd)  # releases the lock


def sign(key: Ed25519PrivateKey, number: int, at: str, prev: str, chains: dict[str, list]) -> str:
    """The log line (no newline) of a new anchor."""
    body = {"anchor": number, "at": at, "prev": prev, "key": key_hex(key.public_key()), "chains": chains}
    signature = key.sign(canonical_json(body).encode("utf-8")).hex()
    return canonical_json({**body, "sig": signature})


def append(path: Path, line: str) -> None:
    """One write() of the whole line, in append mode, then fsync: a line is
    on disk whole or not at all before the worker goes on."""
    data = (line + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if os.write(fd, data) != len(data):
            raise AnchorError(f"short write to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)


def line_digest(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


# --- reading ------------------------------------------------------------------------


def read(path: Path) -> list[str]:
    """The log's lines, read under a shared lock so no half-appended line is seen."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return []
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        return _lines(fd)
    finally:
        os.close(fd)


def _lines(fd: int) -> list[str]:
    """Whatever the bytes, lines: an undecodable one is reported, not fatal."""
    size = os.fstat(fd).st_size
    lines = os.pread(fd, size, 0).decode("utf-8", errors="replace").split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def parse(line: str, number: int) -> Anchor | None:
    """The anchor a line holds, or None if it is not a whole anchor."""
    try:
        fields = json.loads(line)
        values = {f: fields[f] for f in FIELDS if f != "anchor"}
        anchor = Anchor(number=fields["anchor"], **values, line=number, digest=line_digest(line))
    except (ValueError, TypeError, KeyError):
        return None
    well_formed = (
        set(fields) == set(FIELDS)
        and isinstance(anchor.number, int)
        and isinstance(anchor.chains, dict)
        and all(isinstance(v, list) and len(v) == 2 for v in anchor.chains.values())
        and all(isinstance(getattr(anchor, f), str) for f in ("at", "prev", "key", "sig"))
    )
    return anchor if well_formed else None


def check(lines: list[str], trusted: Ed25519PublicKey) -> tuple[list[Anchor], list[LogProblem]]:
    """Every line's form, number, link and signature. Returns the anchors
    that are genuine (whole and signed by `trusted`), and the problems."""
    genuine, problems = [], []
    before_number, before_digest = 0, ""
    for number, line in enumerate(lines, 1):
        anchor = parse(line, number)
        if anchor is None:
            problems.append(LogProblem(number, None, "not a whole anchor: the line was cut short or edited"))
        else:
            found = _out_of_place(anchor, before_number, before_digest)
            signature = _signature_problem(anchor, trusted)
            problems += [LogProblem(number, anchor.number, p) for p in [*found, signature] if p]
            if signature is None:
                genuine.append(anchor)
        before_number = anchor.number if anchor else before_number + 1
        before_digest = line_digest(line)
    return genuine, problems


def _out_of_place(anchor: Anchor, before_number: int, before_digest: str) -> list[str]:
    found = []
    if anchor.number != before_number + 1:
        found.append(f"anchor #{anchor.number} follows #{before_number}: anchors were removed or reordered")
    if anchor.prev != before_digest:
        before = f"line {anchor.line - 1}" if anchor.line > 1 else "a line, but it is the first"
        found.append(f"does not link to {before}: a line before it was edited or removed")
    return found


def _signature_problem(anchor: Anchor, trusted: Ed25519PublicKey) -> str | None:
    if anchor.key != key_hex(trusted):
        return f"signed by another key ({anchor.key[:16]}…), not this installation's ({key_hex(trusted)[:16]}…)"
    if not _signed(anchor, trusted):
        return "its signature does not verify: the line was edited after it was signed"
    return None


def _signed(anchor: Anchor, trusted: Ed25519PublicKey) -> bool:
    body = {"anchor": anchor.number, "at": anchor.at, "prev": anchor.prev, "key": anchor.key, "chains": anchor.chains}
    try:
        trusted.verify(bytes.fromhex(anchor.sig), canonical_json(body).encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True

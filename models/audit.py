"""The append-only, hash-chained audit trail and the outbox of notifications."""

from __future__ import annotations

from datetime import datetime
from email.utils import make_msgid

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, CanonicalJSON

SYSTEM_CHAIN = "system"
MESSAGE_ID_DOMAIN = "bcwhub.org.uk"


def new_message_id() -> str:
    """Unique across processes and databases (time, process id, 64 random
    bits): many mail clients hide a second message with an ID they have seen."""
    return make_msgid(domain=MESSAGE_ID_DOMAIN)


class AuditChain(Base):
    """Head of one chain ("case-12" or "system").

    Appending bumps `seq` with an UPDATE first, which takes the row lock on
    every backend, so concurrent appends to one chain queue up instead of
    racing; and the stored head lets `verify` notice a deleted last event.
    """

    __tablename__ = "audit_chains"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    head: Mapped[str] = mapped_column(String(64), default="")


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        Index("ix_audit_events_case_seq", "case_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60), index=True)
    bpmn_task: Mapped[str | None] = mapped_column(String(100))
    # Canonical text, verbatim: the content digest covers these exact bytes
    # (workflows/engine/audit_format.py).
    data: Mapped[dict] = mapped_column(CanonicalJSON)
    # sha256 of [actor_label, data]: the hash covers this, so the content can
    # be erased (`erased_at` set, a marker in `data`) and the chain still proves.
    content_digest: Mapped[str] = mapped_column(String(64))
    erased_at: Mapped[datetime | None]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The hash in the format before migration 0012, for anchors written then.
    v1_hash: Mapped[str | None] = mapped_column(String(64))


class OutboxMessage(Base):
    """An email queued in the same transaction as the change that caused it.

    A sender claims a row by setting `leased_until` (and counting the
    attempt), sends it outside any transaction, then sets `sent_at`
    (workflows/engine/outbox.py). The Message-ID is fixed when the row is
    queued, so a message sent again after a crash is recognisably the same.
    """

    __tablename__ = "outbox"
    # Only unsent rows, in queue order: what a claim walks. Sent rows are
    # history and never slow the claim however many there are.
    __table_args__ = (
        Index("ix_outbox_unsent", "id", postgresql_where=text("sent_at IS NULL"), sqlite_where=text("sent_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    template: Mapped[str] = mapped_column(String(60))
    to_email: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text)
    # None only on rows sent before migration 0008, whose Message-IDs were not kept.
    message_id: Mapped[str | None] = mapped_column(String(250), default=new_message_id)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # No sender takes the row before this: a sender's lease, or a failed send's back-off.
    leased_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

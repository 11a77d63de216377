"""What an investigation keeps beside its workflow: letters and interview notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .users import User


class Letter(Base):
    """A letter to the subject, kept as issued: its text and its PDF (by SHA-256)."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_size: Mapped[int]
    addressed_to_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime]
    # Erased (workflows/engine/erasure.py): the text and the PDF go, the hash stays.
    erased_at: Mapped[datetime | None]
    erasure_rule: Mapped[str | None] = mapped_column(String(200))

    addressed_to: Mapped[User] = relationship()
    case: Mapped[Case] = relationship()  # noqa: F821


class InterviewNote(Base):
    """Notes of an investigation interview: HR and the investigator only."""

    __tablename__ = "interview_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    witness: Mapped[str] = mapped_column(String(120))
    # A colleague interviewed (a Witness on the case); None for someone outside BCW Hub.
    witness_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    interviewed_on: Mapped[date]
    notes: Mapped[str] = mapped_column(Text)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime]
    erased_at: Mapped[datetime | None]
    erasure_rule: Mapped[str | None] = mapped_column(String(200))

    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id])
    witness_person: Mapped[User | None] = relationship(foreign_keys=[witness_id])


class WrittenWarning(Base):
    """A warning given at the end of a disciplinary procedure: the register
    that later decisions consult. It counts from the day it is issued to the
    end of `expires_on`, unless an appeal revoked it or varied it (then the
    varied warning, a new row, counts instead)."""

    __tablename__ = "written_warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(20))  # first_written | final_written
    issued_on: Mapped[date]
    expires_on: Mapped[date]  # the last day it counts
    reasons: Mapped[str] = mapped_column(Text, default="")
    revoked_on: Mapped[date | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("written_warnings.id"))
    recorded_at: Mapped[datetime]

    person: Mapped[User] = relationship()
    case: Mapped[Case] = relationship()  # noqa: F821

    def live_on(self, day: date) -> bool:
        return self.revoked_on is None and self.issued_on <= day <= self.expires_on

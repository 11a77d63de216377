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

    addressed_to: Mapped[User] = relationship()
    case: Mapped[Case] = relationship()  # noqa: F821


class InterviewNote(Base):
    """Notes of an investigation interview: HR and the investigator only."""

    __tablename__ = "interview_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    witness: Mapped[str] = mapped_column(String(120))
    interviewed_on: Mapped[date]
    notes: Mapped[str] = mapped_column(Text)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime]

    added_by: Mapped[User] = relationship()

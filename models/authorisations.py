"""Who may contribute to which of BCW Hub's own social media accounts [SMP-4]."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .users import User


class AccountAuthorisation(Base):
    """One person authorised on one BCW Hub account, by the Hub Manager or an
    admin, from `granted_on` to the end of `until`, unless ended sooner. Rows
    are never deleted: the register shows who was authorised when."""

    __tablename__ = "account_authorisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    account: Mapped[str] = mapped_column(String(40))  # a code of campaign_permission.vocabulary.ACCOUNTS
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_on: Mapped[date]
    until: Mapped[date]  # the last day it counts
    ended_on: Mapped[date | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime]

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])

    def live_on(self, day: date) -> bool:
        return self.granted_on <= day <= self.until and (self.ended_on is None or day < self.ended_on)

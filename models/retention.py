"""Legal holds ("do not purge"): while one is in force on a case, or on a
person (all their cases), the retention schedule never anonymises it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .cases import Case
from .users import User


class LegalHold(Base):
    """Set and lifted with a reason, each audited (workflows/engine/holds.py).
    On a case (`case_id`) or on a person (`person_id`), never both."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime]
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case | None] = relationship()
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
    set_by: Mapped[User] = relationship(foreign_keys=[set_by_id])
    lifted_by: Mapped[User | None] = relationship(foreign_keys=[lifted_by_id])

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None

"""Personal API tokens: how the organisation's HR system (or a script) acts
as a person through the JSON API, with that person's rights and no more."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .users import User


class ApiToken(Base):
    """A token's secret is shown once, when it is made; only its SHA-256 is
    kept (the secret is 256 random bits, so a slow password hash would add
    nothing but a cost on every request)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # Space-separated, from workflows/engine/tokens.py SCOPES.
    scopes: Mapped[str] = mapped_column(String(80))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    expires_on: Mapped[date]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def scope_set(self) -> set[str]:
        return set(self.scopes.split())


class PasswordSetup(Base):
    """A one-time link, emailed, with which a person added by the HR system
    sets their first password (workflows/engine/invitations.py). As with a
    token, only the secret's SHA-256 is kept."""

    __tablename__ = "password_setups"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])

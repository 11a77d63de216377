"""People who use the product, and the roles that open doors for them."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class PersonType(StrEnum):
    EMPLOYEE = "employee"
    VOLUNTEER = "volunteer"
    TRUSTEE = "trustee"


class Role(StrEnum):
    HR = "hr"
    MANAGER = "manager"
    HUB_MANAGER = "hub_manager"
    CHAIR = "chair"  # the Chair of the board: trustees' cases go to them [SMP-2]
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_hex(32)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    person_type: Mapped[str] = mapped_column(String(20), default=PersonType.EMPLOYEE)
    job_title: Mapped[str] = mapped_column(String(120), default="")
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # A program's account (the HR system's sync): API tokens only, never a
    # sign-in, never a case's person (workflows/engine/directory.py).
    service_account: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    # Carried by every signed-in session; replacing it (workflows/engine/people.py
    # `revoke_sessions`) ends them all, wherever their cookies went.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    line_manager: Mapped[User | None] = relationship(remote_side=[id])
    # Loaded on demand: most users a page touches are names, not permissions.
    # The signed-in user's roles are loaded with them (webapp `_load_user`).
    role_rows: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    # The session protocol Flask-Login expects, without importing Flask here.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What a session stores: the id and the current session token, so a
        revoked token signs nobody in (webapp `_load_user`)."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="role_rows")

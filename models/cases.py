"""Cases, the people on them, their ready tasks and their evidence."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CompressedJSON, OrderedJSON
from .users import User


class ProcessSpec(Base):
    """A parsed, serialized diagram, stored once per content hash.

    Running cases point at the hash they started on, so editing a diagram
    never breaks them (docs/architecture.md, "The engine").
    """

    __tablename__ = "process_specs"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(200))
    serialized: Mapped[dict] = mapped_column(OrderedJSON)
    bpmn_xml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_kind_status", "kind", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Each procedure names its statuses (workflows/engine/registry.py); every case starts open.
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    current_step: Mapped[str] = mapped_column(String(200), default="")
    clauses: Mapped[list] = mapped_column(default=list)
    spec_hash: Mapped[str] = mapped_column(ForeignKey("process_specs.hash"))
    # Loaded only where the workflow is needed: lists and inboxes never parse it.
    state: Mapped[dict] = mapped_column(CompressedJSON, deferred=True)
    version: Mapped[int] = mapped_column(default=1)
    next_timer_at: Mapped[datetime | None] = mapped_column(index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # Set when the retention schedule anonymised it (workflows/engine/retention.py):
    # only its statistical skeleton is left.
    anonymised_at: Mapped[datetime | None]

    # Optimistic concurrency: every UPDATE says "WHERE version = <the one I read>".
    __mapper_args__ = {"version_id_col": version}

    subject: Mapped[User] = relationship(foreign_keys=[subject_id])
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    parent: Mapped[Case | None] = relationship(remote_side=[id])  # the case this one was opened from
    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseParty.id"
    )
    # The steps waiting now; read-only, loaded with the task being completed
    # so that saving the step needs no second query (workflows/projection.py).
    ready_tasks: Mapped[list[CaseTask]] = relationship(
        primaryjoin="and_(Case.id == CaseTask.case_id, CaseTask.state == 'ready')",
        viewonly=True,
        order_by="CaseTask.id",
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseParty(Base):
    """A person's role on one case; lanes of the diagram resolve to these."""

    __tablename__ = "case_parties"
    __table_args__ = (
        UniqueConstraint("case_id", "user_id", "role"),
        # "Which cases did I report?" is read on every HR case list.
        Index("ix_case_parties_user_role", "user_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(40))
    added_at: Mapped[datetime]

    case: Mapped[Case] = relationship(back_populates="parties")
    user: Mapped[User] = relationship(lazy="joined")


class TaskState(StrEnum):
    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class CaseTask(Base):
    """Projection of a human task, so inboxes never deserialize a workflow."""

    __tablename__ = "case_tasks"
    __table_args__ = (
        Index("ix_case_tasks_assignee_state", "assignee_id", "state"),
        Index("ix_case_tasks_pool_state", "pool_role", "state"),
        Index("ix_case_tasks_case_state", "case_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    spiff_task_id: Mapped[str] = mapped_column(String(36), unique=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str] = mapped_column(String(60))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pool_role: Mapped[str | None] = mapped_column(String(20))
    form_name: Mapped[str] = mapped_column(String(60))
    due_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(20), default=TaskState.READY)
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])


class Evidence(Base):
    """A file (stored once by SHA-256 under the instance folder) or a URL."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # file | url
    sha256: Mapped[str | None] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    url: Mapped[str | None] = mapped_column(String(2048))
    description: Mapped[str] = mapped_column(Text, default="")
    # Takedown evidence is the person's own post; investigation evidence is
    # shown to them only when HR or the investigator decides to share it.
    shared_with_subject: Mapped[bool] = mapped_column(default=False)
    captured_at: Mapped[datetime | None]
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime]
    # Erased (workflows/engine/erasure.py): the file and the words go, the hash stays.
    erased_at: Mapped[datetime | None]
    erasure_rule: Mapped[str | None] = mapped_column(String(200))

    added_by: Mapped[User] = relationship()
    case: Mapped[Case | None] = relationship()

"""The dashboard's summaries (workflows/engine/tallies): counts of cases per
procedure and day, what each case adds to them, each person's cases in a
year, and the changes the operations recorded that are not yet counted."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class DashboardTally(Base):
    """How many cases of a procedure have one fact on one day: opened,
    closed, ended so (`ended`, key "status clauses"), met a measure."""

    __tablename__ = "dashboard_tallies"

    figure: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    cases: Mapped[int] = mapped_column(default=0)


class TallyChange(Base):
    """A case (or a person's year) changed by a committed operation and not
    yet folded into the tallies: the operation's only write for them."""

    __tablename__ = "tally_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None]
    person_id: Mapped[int | None]


class CaseTally(Base):
    """The facts a case adds to the tallies now, so a change to the case
    takes back exactly what it added before."""

    __tablename__ = "case_tallies"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    facts: Mapped[list] = mapped_column(default=list)


class SubjectTally(Base):
    """A person's cases opened in the year before `counted_on` (of one
    procedure, or of all: kind ""), true until `recount_on`, when the oldest
    of them leaves the year."""

    __tablename__ = "subject_tallies"
    # The most cases first, ties to the earlier person: the ranking read in index order.
    __table_args__ = (Index("ix_subject_tallies_ranking", "kind", text("cases DESC"), "person_id"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    cases: Mapped[int]
    counted_on: Mapped[date] = mapped_column(index=True)
    recount_on: Mapped[date] = mapped_column(index=True)

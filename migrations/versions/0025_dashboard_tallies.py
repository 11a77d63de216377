"""the dashboard's tallies, folded in from what the operations record

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02

Indexes alone left the HR dashboard at 350-430 ms (p95) at 100,000 cases:
grouping every ended case, every case of the last year, every takedown's
steps, takes time at any speed. These tables hold the counts instead, per
procedure and day (so the date range still narrows them), kept current from
what each operation records in its own transaction (workflows/engine/tallies). They are built
here from the cases already there; a later change to what is counted needs
a migration that calls `rebuild` again. An operation writes only a row of
`tally_changes`; the worker, and the dashboard before it reads, fold them in.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_tallies",
        sa.Column("figure", sa.String(20), primary_key=True),
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("cases", sa.Integer(), nullable=False),
    )
    # No foreign keys: a change is a note to recount, kept however briefly.
    op.create_table(
        "tally_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
    )
    op.create_table(
        "case_tallies",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("facts", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    )
    op.create_table(
        "subject_tallies",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("counted_on", sa.Date(), nullable=False, index=True),
        sa.Column("recount_on", sa.Date(), nullable=False, index=True),
    )
    # The most cases first, ties to the earlier person: the ranking read in index order.
    op.create_index("ix_subject_tallies_ranking", "subject_tallies", ["kind", sa.text("cases DESC"), "person_id"])
    _build()


def _build() -> None:
    """From the cases already there (none, on a new database)."""
    from workflows import procedures
    from workflows.engine import tallies

    procedures.load()  # their measures are counted too
    with Session(bind=op.get_bind()) as db:
        tallies.rebuild(db)
        db.flush()


def downgrade() -> None:
    op.drop_table("subject_tallies")
    op.drop_table("case_tallies")
    op.drop_table("tally_changes")
    op.drop_table("dashboard_tallies")

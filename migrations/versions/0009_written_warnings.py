"""the register of written warnings

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Each warning a disciplinary decision gives: who, which case, the level, the
day it was issued and the last day it counts, and whether an appeal revoked
it or replaced it with a lesser one.
"""

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "written_warnings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("expires_on", sa.Date, nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("revoked_on", sa.Date),
        sa.Column("revoked_reason", sa.Text),
        sa.Column("replaces_id", sa.Integer, sa.ForeignKey("written_warnings.id")),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_written_warnings_person_id", "written_warnings", ["person_id"])
    op.create_index("ix_written_warnings_case_id", "written_warnings", ["case_id"])


def downgrade() -> None:
    op.drop_table("written_warnings")

"""retention: legal holds, and when a case was anonymised

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01

A legal hold ("do not purge") is on a case or on a person, set and lifted
with a reason; a case past its retention date is anonymised unless one is
in force (workflows/engine/retention.py), and says when.
"""

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE")),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("set_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("set_at", UTCDateTime, nullable=False),
        sa.Column("lifted_at", UTCDateTime),
        sa.Column("lifted_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("lift_reason", sa.Text),
    )
    op.create_index("ix_legal_holds_case_id", "legal_holds", ["case_id"])
    op.create_index("ix_legal_holds_person_id", "legal_holds", ["person_id"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("anonymised_at", UTCDateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("anonymised_at")
    op.drop_table("legal_holds")

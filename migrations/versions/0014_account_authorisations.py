"""the register of who may contribute to BCW Hub's own social media accounts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

Each authorisation: who, which account, granted by whom, on which day and
until when, and whether (and why, and by whom) it was ended sooner.
"""

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_authorisations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("account", sa.String(40), nullable=False),
        sa.Column("granted_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("granted_on", sa.Date, nullable=False),
        sa.Column("until", sa.Date, nullable=False),
        sa.Column("ended_on", sa.Date),
        sa.Column("ended_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("ended_reason", sa.Text),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_account_authorisations_person_id", "account_authorisations", ["person_id"])


def downgrade() -> None:
    op.drop_table("account_authorisations")

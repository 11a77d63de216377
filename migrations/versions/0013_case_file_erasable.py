"""evidence, letters and interview notes that can be erased

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

An erased record keeps its row, its SHA-256 and its dates, and says when it
was erased and under which rule; its words and its file go
(workflows/engine/erasure.py). The worker's sweep removes a file once no
record that is not erased refers to it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("evidence", "letters", "interview_notes")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
            batch.add_column(sa.Column("erasure_rule", sa.String(200), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("erasure_rule")
            batch.drop_column("erased_at")

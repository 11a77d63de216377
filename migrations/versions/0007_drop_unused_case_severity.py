"""drop cases.severity, which nothing wrote

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Severity is a breach investigation's triage answer and lives in its workflow
data; the column was never written. SQLite (3.35 and newer) drops a plain
column in place.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_column("cases", "severity")


def downgrade() -> None:
    op.add_column("cases", sa.Column("severity", sa.String(40), nullable=True))

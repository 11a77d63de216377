"""service accounts: people-shaped accounts for programs, such as the HR system

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01

An admin makes a service account and its API tokens (issue 14). It cannot
sign in to the pages, is never offered as a case's person, and holds only
the admin role (workflows/engine/directory.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("service_account", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("service_account")

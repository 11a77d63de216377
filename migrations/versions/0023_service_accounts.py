"""service accounts for programs (the HR system), and one-time links to set a first password

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01

An admin makes a service account and its API tokens (issue 14). It cannot
sign in to the pages, is never offered as a case's person, and holds only
the admin role (workflows/engine/directory.py). A person the HR system adds
sets their first password through an emailed one-time link
(workflows/engine/invitations.py).
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
    op.create_table(
        "password_setups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("secret_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("password_setups")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("service_account")

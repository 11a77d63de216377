"""users.session_token: a sign-in's server-side identity, so it can be revoked

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

A signed-in session (and a remember-me cookie) carries the user's id and this
token; sign-out, deactivation and a password change replace the token, so a
cookie copied before them no longer signs anyone in. Each existing account
gets its own random token: sessions signed in before this migration carry
none and must sign in again.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("session_token", sa.String(64), nullable=True))
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(session_token=secrets.token_hex(32)))
    with op.batch_alter_table("users") as batch:
        batch.alter_column("session_token", existing_type=sa.String(64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_token")

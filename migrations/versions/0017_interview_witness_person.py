"""an interview's witness may be a person on the case

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-01

A colleague interviewed is named by their account (and joins the case as a
Witness, which gives no view of it); someone outside BCW Hub stays a name.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interview_notes") as batch:
        batch.add_column(sa.Column("witness_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_interview_notes_witness_id_users", "users", ["witness_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("interview_notes") as batch:
        batch.drop_constraint("fk_interview_notes_witness_id_users", type_="foreignkey")
        batch.drop_column("witness_id")

"""outbox leases, a kept Message-ID per email, an index of unsent rows only

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

A sender now claims rows with a lease (`leased_until`) instead of holding a
row lock while it talks SMTP, and each row keeps the Message-ID it goes out
with, so a message sent again after a crash carries the same one. Unsent rows
get a Message-ID here; rows already sent keep none (theirs were not stored).
The old index on (sent_at, id) made the claim visit sent rows once the table
had history; the new one holds unsent rows only.
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UNSENT = sa.text("sent_at IS NULL")
# 32 random hex digits each: unique enough, as models.audit.new_message_id's are for later rows.
RANDOM_HEX = {
    "postgresql": "md5(random()::text || clock_timestamp()::text || id::text)",
    "sqlite": "lower(hex(randomblob(16)))",
}


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=250), nullable=True))
        batch_op.add_column(sa.Column("leased_until", models.base.UTCDateTime(), nullable=True))
        batch_op.drop_index("ix_outbox_unsent")
        batch_op.create_index("ix_outbox_unsent", ["id"], postgresql_where=UNSENT, sqlite_where=UNSENT)
    random_hex = RANDOM_HEX[op.get_bind().dialect.name]
    op.execute(f"UPDATE outbox SET message_id = '<' || {random_hex} || '@bcwhub.org.uk>' WHERE sent_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unsent")
        batch_op.create_index("ix_outbox_unsent", ["sent_at", "id"], unique=False)
        batch_op.drop_column("leased_until")
        batch_op.drop_column("message_id")

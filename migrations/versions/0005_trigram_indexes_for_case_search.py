"""trigram indexes for case search (PostgreSQL); a party's cases by role

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

The case list's search matches `%term%` in a case's title and its subject's
name. A btree index cannot serve a match in the middle of a string; pg_trgm's
GIN index can, so a search at 100,000 cases reads the matches, not the table.
pg_trgm is a trusted extension: the database's owner may create it. SQLite
has no equivalent and keeps scanning (fine at the sizes SQLite serves).
A (user_id, role) index on case_parties replaces the user_id one: the HR
case list asks which cases the viewer reported.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_cases_title_trgm": "cases USING gin (lower(title) gin_trgm_ops)",
    "ix_users_name_trgm": "users USING gin (lower(name) gin_trgm_ops)",
}


def upgrade() -> None:
    with op.batch_alter_table("case_parties", schema=None) as batch_op:
        batch_op.create_index("ix_case_parties_user_role", ["user_id", "role"], unique=False)
        batch_op.drop_index("ix_case_parties_user_id")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("case_parties", schema=None) as batch_op:
        batch_op.create_index("ix_case_parties_user_id", ["user_id"], unique=False)
        batch_op.drop_index("ix_case_parties_user_role")

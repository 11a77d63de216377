"""audit trail protection: no TRUNCATE, and chain heads that only move forward

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

On PostgreSQL, 0001's trigger refuses UPDATE and DELETE on audit_events row
by row, which TRUNCATE never fires, and nothing guarded audit_chains. Now:

- TRUNCATE is refused on both tables;
- audit_chains refuses DELETE, and any UPDATE but the two an append makes:
  `seq` moving forward with `head` unchanged (reserving sequence numbers),
  and `head` set to the hash of the chain's event at `seq` (after the insert).

The table's owner or a superuser can still disable these triggers; that is
why the worker anchors the trail outside the database (workflows/engine/anchors.py).
SQLite has no TRUNCATE and gets no triggers: it is for development.
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # 0001's function raises "audit_events is append-only (TRUNCATE refused)".
    op.execute("""
        CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""")
    # NEW and OLD are read only for UPDATE: a statement trigger has neither.
    op.execute("""
        CREATE FUNCTION audit_chains_forward_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                IF NEW.id = OLD.id AND NEW.seq >= OLD.seq AND (
                    NEW.head IS NOT DISTINCT FROM OLD.head
                    OR EXISTS (SELECT 1 FROM audit_events e
                               WHERE e.chain = NEW.id AND e.seq = NEW.seq AND e.hash = NEW.head)
                ) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'audit_chains moves only forward, as appends move it (UPDATE of % refused)', OLD.id;
            END IF;
            RAISE EXCEPTION 'audit_chains moves only forward, as appends move it (% refused)', TG_OP;
        END $$ LANGUAGE plpgsql""")
    op.execute("""
        CREATE TRIGGER audit_chains_forward_only BEFORE UPDATE OR DELETE ON audit_chains
        FOR EACH ROW EXECUTE FUNCTION audit_chains_forward_only()""")
    op.execute("""
        CREATE TRIGGER audit_chains_no_truncate BEFORE TRUNCATE ON audit_chains
        FOR EACH STATEMENT EXECUTE FUNCTION audit_chains_forward_only()""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER audit_chains_no_truncate ON audit_chains")
    op.execute("DROP TRIGGER audit_chains_forward_only ON audit_chains")
    op.execute("DROP FUNCTION audit_chains_forward_only()")
    op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")

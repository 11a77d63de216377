"""The audit trail's hash chains: verify passes, and names what was tampered with."""
from __future__ import annotations

from sqlalchemy import delete, select, text, update

from models import AuditEvent
from workflows import audit

from ..factories import make_manager, make_takedown, make_user


def tamper(db, statement) -> None:
    """Edit the table as a database administrator would, past the trigger."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
    db.execute(statement)
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))


def second_event(db, case):
    return db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.seq == 2))


def test_an_untouched_trail_verifies(ctx, db):
    make_takedown(ctx, make_manager(db), make_user(db))
    checked, problems = audit.verify(db)
    assert checked == 4 and problems == []  # opened, two parties, notice queued


def test_an_edited_event_is_named(ctx, db):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    event = second_event(db, case)
    tamper(db, update(AuditEvent).where(AuditEvent.id == event.id).values(actor_label="Someone else"))
    db.expire_all()
    _, problems = audit.verify(db)
    assert [(p.case_id, p.seq, p.problem) for p in problems] == [
        (case.id, 2, "contents altered after it was written")]


def test_a_removed_event_is_named(ctx, db):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    tamper(db, delete(AuditEvent).where(AuditEvent.id == second_event(db, case).id))
    db.expire_all()
    _, problems = audit.verify(db)
    assert problems[0].case_id == case.id and problems[0].seq == 3
    assert "removed or reordered" in problems[0].problem


def test_removing_the_last_event_is_caught_by_the_chain_head(ctx, db):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    last = db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id)
                     .order_by(AuditEvent.seq.desc()).limit(1))
    tamper(db, delete(AuditEvent).where(AuditEvent.id == last.id))
    db.expire_all()
    _, problems = audit.verify(db)
    assert len(problems) == 1 and "events were removed" in problems[0].problem


def test_postgresql_refuses_edits_to_the_trail(ctx, db):
    import pytest
    from sqlalchemy.exc import DBAPIError
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    case = make_takedown(ctx, make_manager(db), make_user(db))
    with pytest.raises(DBAPIError, match="append-only"):
        with db.begin_nested():
            db.execute(update(AuditEvent).where(AuditEvent.case_id == case.id).values(actor_label="x"))


def test_flask_audit_verify_exits_non_zero_naming_the_event(ctx, db, app):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "every chain intact" in ok.output
    event = second_event(db, case)
    tamper(db, update(AuditEvent).where(AuditEvent.id == event.id).values(data={"forged": True}))
    failed = runner.invoke(args=["audit", "verify"])
    assert failed.exit_code == 1
    assert f"case {case.id} event #2 (id {event.id}): contents altered" in failed.output

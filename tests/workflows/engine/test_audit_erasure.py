"""Erasing an event's content (workflows/engine/audit.py `erase`): the
content goes, the chain's proof stays, and content still present is still
checked against its digest."""

from __future__ import annotations

import pytest
from sqlalchemy import Text, cast, select, text, update
from sqlalchemy.exc import DBAPIError

from models import AuditEvent
from tests.factories import make_breach, make_hr, make_user
from tests.workflows.helpers import complete, past_the_triggers
from workflows.engine import audit

STATEMENT = "I posted it from my phone on the bus; I did not know the policy."


@pytest.fixture
def statement_event(ctx, db):
    """A breach case whose subject gave an account: their words are in the trail."""
    hr, subject = make_hr(db, "Hana Hussain"), make_user(db, "Ellie Jones")
    investigator = make_user(db, "Ivan Investigator", roles=("manager",))
    case = make_breach(ctx, hr, subject)
    complete(
        ctx,
        case,
        "UserTask_Triage",
        hr,
        severity="serious",
        personal_data_published=False,
        suspension_needed=False,
        suspension_reason="",
        investigator_id=investigator.id,
        manager_conflict_reason="",
    )
    complete(ctx, case, "UserTask_Investigate", investigator, account_days=7, invitation_message="")
    complete(ctx, case, "UserTask_Account", subject, account_choice="give", account_statement=STATEMENT)
    db.flush()
    event = db.scalar(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.bpmn_task == "UserTask_Account")
    )
    assert STATEMENT in event.data["data"]["account_statement"]
    return case, event, hr


def stored_text(db) -> str:
    return " ".join(db.scalars(select(cast(AuditEvent.data, Text))).all())


def test_an_erased_statement_is_gone_and_the_trail_still_verifies(db, statement_event):
    case, event, hr = statement_event
    assert audit.erase(db, [event.id], audit.Actor.person(hr), "retention: 6 years after closing") == 1
    db.flush()
    db.expire_all()
    assert STATEMENT not in stored_text(db)
    erased = db.get(AuditEvent, event.id)
    assert erased.erased_at is not None and erased.actor_label == audit.ERASED
    assert erased.data == {"erased": {"by": "Hana Hussain", "rule": "retention: 6 years after closing"}}
    assert audit.verify(db)[1] == []
    last = db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq.desc()))
    assert last.action == "content_erased" and last.data == {
        "events": [event.seq],
        "rule": "retention: 6 years after closing",
    }
    assert audit.erase(db, [event.id], audit.Actor.person(hr), "again") == 0  # erased once


def test_an_edited_statement_still_fails_beside_an_erased_one(db, statement_event):
    case, event, hr = statement_event
    audit.erase(db, [event.id], audit.Actor.person(hr), "a subject's request")
    db.flush()
    other = db.scalar(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.bpmn_task == "UserTask_Investigate")
    )
    with past_the_triggers(db):
        db.execute(update(AuditEvent).where(AuditEvent.id == other.id).values(data={"softened": True}))
    db.expire_all()
    problems = audit.verify(db)[1]
    assert [(p.seq, p.problem) for p in problems] == [(other.seq, "contents altered after it was written")]


def test_an_erased_event_whose_hashed_columns_change_is_still_caught(db, statement_event):
    """Marking an event erased while moving it is caught: the hash covers
    the order, the time and the digest, erased or not."""
    _case, event, hr = statement_event
    audit.erase(db, [event.id], audit.Actor.person(hr), "a subject's request")
    db.flush()
    with past_the_triggers(db):
        db.execute(update(AuditEvent).where(AuditEvent.id == event.id).values(action="nothing_happened"))
    db.expire_all()
    assert [p.seq for p in audit.verify(db)[1]] == [event.seq]


def test_an_erasure_needs_its_rule(db, statement_event):
    _case, event, hr = statement_event
    with pytest.raises(ValueError, match="names the rule"):
        audit.erase(db, [event.id], audit.Actor.person(hr), "  ")


def test_postgresql_lets_only_an_erasure_through(db, statement_event):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    _case, event, hr = statement_event
    db.commit()
    for forbidden in (
        "UPDATE audit_events SET data = CAST(:id AS text)::json WHERE id = :id",
        "UPDATE audit_events SET erased_at = now(), action = 'x' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            db.execute(text(forbidden), {"id": event.id})
        db.rollback()
    audit.erase(db, [event.id], audit.Actor.person(hr), "a subject's request")
    db.commit()
    with pytest.raises(DBAPIError, match="append-only"):  # an erased event stays erased
        db.execute(text("UPDATE audit_events SET erased_at = NULL WHERE id = :id"), {"id": event.id})
    db.rollback()
    assert audit.verify(db)[1] == []

"""Every read of personal data is accountable (workflows/engine/reads.py):
what an export, bundle or release calls, and what a case view records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent
from tests.factories import make_hr, make_manager, make_takedown, make_user
from workflows.engine import audit, reads
from workflows.engine.cases import view_case


def test_an_export_of_a_persons_data_is_recorded_on_each_of_their_cases(ctx, db):
    hr, manager, ellie = make_hr(db, "Hana Hussain"), make_manager(db), make_user(db, "Ellie Jones")
    first, second = make_takedown(ctx, manager, ellie), make_takedown(ctx, manager, ellie)
    other = make_takedown(ctx, manager, make_user(db))
    assert reads.record_read(ctx, ellie, hr, "Ellie's subject access request of 1 December", "SAR release") == 2
    found = db.scalars(select(AuditEvent).where(AuditEvent.action == "personal_data_read")).all()
    assert {e.case_id for e in found} == {first.id, second.id} and other.id not in {e.case_id for e in found}
    assert found[0].actor_id == hr.id and found[0].data["why"] == "Ellie's subject access request of 1 December"
    exported = [r for r in reads.reads_about(db, ellie) if r.action == "personal_data_read"]
    assert sorted(r.case_reference for r in exported) == sorted([first.reference, second.reference])
    assert exported[0].who == "Hana Hussain" and exported[0].data["what"] == "SAR release"
    assert audit.verify(db)[1] == []


def test_a_read_says_why(ctx, db):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    with pytest.raises(ValueError):
        reads.record_read(ctx, case, make_hr(db), " ", "bundle")
    nobody = make_user(db, "No Cases")
    assert reads.record_read(ctx, nobody, make_hr(db), "A request", "SAR release") == 0
    assert db.scalar(select(AuditEvent.chain).where(AuditEvent.action == "personal_data_read")) == "system"


def test_a_case_view_records_who_and_on_what_standing(ctx, db):
    manager, hr, ellie = make_manager(db, "Mark Taylor"), make_hr(db), make_user(db)
    case = make_takedown(ctx, manager, ellie)
    for viewer in (manager, hr, ellie):
        view_case(db, viewer, case.reference)
    views = db.scalars(select(AuditEvent).where(AuditEvent.action == "case_viewed").order_by(AuditEvent.seq)).all()
    assert [(v.actor_id, v.data["as"], v.data["case_file"]) for v in views] == [
        (manager.id, "Requester", True),
        (hr.id, "HR", True),
        (ellie.id, "Subject", False),
    ]

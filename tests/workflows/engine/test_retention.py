"""The retention schedule (workflows/engine/retention.py) with a moved clock:
a closed case past its date is anonymised to its skeleton, and the trail
still verifies; a held case, a person-held one and one with a live warning
are left alone; a failure half-way leaves the case as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Text, cast, select

from models import AuditEvent, Case, Evidence, OutboxMessage, WrittenWarning
from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.mailserver import MailServer
from tests.workflows.helpers import complete
from workflows.engine import audit, clock, holds, retention
from workflows.engine.erasure import erase_record
from workflows.engine.errors import Forbidden, InvalidInput
from workflows.engine.outbox import MailSettings, send_pending

SIX_YEARS_ON = timedelta(days=6 * 366)


def trail_text(db, case) -> str:
    return " ".join(db.scalars(select(cast(AuditEvent.data, Text)).where(AuditEvent.case_id == case.id)))


def closed_takedown(ctx, db, name: str = "Ellie Jones"):
    manager = make_manager(db, "Mark Taylor")
    subject = make_user(db, name, line_manager=manager)
    case = make_takedown(ctx, manager, subject, reasons=f"{name} posted a photo of a service user.")
    complete(ctx, case, "UserTask_Respond", subject, response="removed", confirmation=f"{name} deleted it")
    complete(ctx, case, "UserTask_Verify", manager, verification="removed")
    assert case.closed_at is not None
    return case


@pytest.fixture
def smtp():
    with MailServer() as server:
        yield server.inbox, MailSettings(host="127.0.0.1", port=server.port)


def test_a_closed_case_past_its_date_keeps_only_its_skeleton(ctx, db, smtp):
    case = closed_takedown(ctx, db)
    assert send_pending(db, smtp[1]) >= 1  # the notice went: its row stays, without its words
    unsent = OutboxMessage(
        case_id=case.id, template="late", to_email="ellie@bcwhub.test", to_name="Ellie", subject="S", body="B"
    )
    unsent.created_at = clock.now()
    db.add(unsent)
    db.flush()
    clauses, status, opened = list(case.clauses), case.status, case.opened_at
    clock.advance(timedelta(days=6 * 365 - 10))
    assert retention.anonymise_due(ctx) == 0  # not yet: six years after it closed
    clock.advance(timedelta(days=20))
    assert retention.anonymise_due(ctx) == 1
    db.refresh(case)
    assert case.anonymised_at is not None and case.title == "Takedown request (anonymised)"
    assert (case.clauses, case.status, case.opened_at, case.kind) == (clauses, status, opened, "takedown_request")
    nobody = retention.placeholder(db)
    assert case.subject_id == case.opened_by_id == nobody.id
    assert {p.user_id for p in case.parties} == {nobody.id} and {p.role for p in case.parties} >= {"Subject"}
    for words in ("Ellie", "Mark Taylor", "service user", "deleted it"):
        assert words not in trail_text(db, case)
        assert words not in str(case.state)
    assert retention.scrub_state(case.state, retention.kept_names(case.kind)) == case.state
    assert "'response': 'removed'" in str(case.state)  # what was chosen is the skeleton
    item = db.scalar(select(Evidence).where(Evidence.case_id == case.id))
    assert item.erased_at and item.filename is None and item.sha256
    emails = db.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id)).all()
    assert [(e.to_email, e.body, e.sent_at is not None) for e in emails] == [("", "", True)] * len(emails)
    assert emails and unsent.id not in [e.id for e in emails]  # never sent, and now never will be
    assert audit.verify(db)[1] == []
    last = db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq.desc()))
    assert last.action == "case_anonymised" and last.data["status"] == status
    assert retention.anonymise_due(ctx) == 0  # once


def test_held_cases_are_left_alone_until_the_hold_is_lifted(ctx, db):
    hr = make_hr(db, "Hana Hussain")
    held, person_held, free = (closed_takedown(ctx, db, n) for n in ("Ann Held", "Pat Person", "Fay Free"))
    case_hold = holds.set_on_case(ctx, hr, held, "Employment tribunal claim ET/123 lodged.")
    holds.set_on_person(ctx, hr, person_held.subject, "Pat's county court claim names BCW Hub.")
    clock.advance(SIX_YEARS_ON)
    assert retention.anonymise_due(ctx) == 1
    assert free.anonymised_at and held.anonymised_at is None and person_held.anonymised_at is None
    assert "Ann Held" in trail_text(db, held) and "Pat Person" in trail_text(db, person_held)
    with pytest.raises(InvalidInput, match="legal hold"):
        retention.anonymise(ctx, held)
    holds.lift(ctx, hr, case_hold.id, "The claim was settled.")
    assert retention.anonymise_due(ctx) == 1 and held.anonymised_at
    assert [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.action.like("legal_hold%")))] == [
        "legal_hold_set",
        "legal_hold_set",
        "legal_hold_lifted",
    ]
    assert audit.verify(db)[1] == []


def test_a_case_whose_warning_still_counts_is_kept(ctx, db):
    case = closed_takedown(ctx, db)
    clock.advance(SIX_YEARS_ON)
    today = clock.london(clock.now()).date()
    warning = WrittenWarning(
        person_id=case.subject_id,
        case_id=case.id,
        level="final_written",
        issued_on=today - timedelta(days=30),
        expires_on=today + timedelta(days=30),
        reasons="Repeated posts about service users.",
        recorded_at=clock.now(),
    )
    db.add(warning)
    db.flush()
    assert retention.anonymise_due(ctx) == 0 and case.anonymised_at is None
    clock.advance(timedelta(days=31))  # the warning has expired: it is kept until the case goes
    assert retention.anonymise_due(ctx) == 1
    assert warning.reasons == "" and warning.level == "final_written" and warning.person_id != case.id


def test_a_failure_half_way_leaves_the_case_as_it_was(ctx, db, monkeypatch):
    broken, fine = closed_takedown(ctx, db, "Bea Broken"), closed_takedown(ctx, db, "Fin Fine")
    db.commit()  # what the pages committed; the worker's rollback goes back to here
    clock.advance(SIX_YEARS_ON)
    real = retention._erase_emails

    def fails_for_bea(db_, case):
        if case.id == broken.id:
            raise RuntimeError("the disk is full")
        real(db_, case)

    monkeypatch.setattr(retention, "_erase_emails", fails_for_bea)
    assert retention.anonymise_due(ctx) == 1
    db.expire_all()
    broken = db.get(Case, broken.id)
    assert broken.anonymised_at is None and "Bea Broken" in broken.title + trail_text(db, broken)
    item = db.scalar(select(Evidence).where(Evidence.case_id == broken.id))
    assert item.erased_at is None and item.filename == "post.png"
    assert db.get(Case, fine.id).anonymised_at is not None
    assert audit.verify(db)[1] == []


def test_each_procedure_may_have_its_own_period(ctx, db):
    case = closed_takedown(ctx, db)
    ctx.settings.retention_by_kind = {"takedown_request": 1}
    clock.advance(timedelta(days=367))
    assert retention.anonymise_due(ctx) == 1 and case.anonymised_at
    assert retention.rule_for(ctx.settings, case) == "retention: 1 years after the case closed"


def test_hr_sees_what_falls_due_within_90_days(ctx, db):
    soon, later = closed_takedown(ctx, db, "Sue Soon"), None
    clock.advance(timedelta(days=400))
    later = closed_takedown(ctx, db, "Lou Later")
    clock.advance(SIX_YEARS_ON - timedelta(days=400 + 60))
    due = retention.falling_due(ctx)
    assert [d.case.id for d in due] == [soon.id] and due[0].kept_because is None
    assert later.id not in [d.case.id for d in due]


def test_a_hold_needs_a_reason_and_hr(ctx, db):
    hr = make_hr(db)
    case = closed_takedown(ctx, db)
    with pytest.raises(InvalidInput, match="Say why") as refused:
        holds.set_on_case(ctx, hr, case, "   ")
    assert refused.value.field == "reason"
    with pytest.raises(Forbidden):
        holds.set_on_case(ctx, make_manager(db, "Not HR"), case, "A claim.")
    with pytest.raises(Forbidden):
        holds.set_on_person(ctx, hr, hr, "My own record.")
    hold = holds.set_on_case(ctx, hr, case, "A claim.")
    with pytest.raises(InvalidInput, match="Say why the hold can be lifted"):
        holds.lift(ctx, hr, hold.id, "")
    assert hold.in_force


def test_no_erasure_runs_on_a_case_under_hold(ctx, db):
    hr = make_hr(db)
    case = make_takedown(ctx, make_manager(db), make_user(db, "Ann Held"))
    holds.set_on_person(ctx, hr, case.subject, "A claim.")
    item = db.scalar(select(Evidence).where(Evidence.case_id == case.id))
    with pytest.raises(InvalidInput, match="legal hold"):
        erase_record(ctx, item, hr, "a subject's request")
    assert item.erased_at is None and item.filename == "post.png"

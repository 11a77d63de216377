"""A precautionary suspension carried over from the investigation: reviewed
every 14 days on its own branch, lifted in writing, or ended by the outcome
letter (docs/domain.md, "Disciplinary procedure for employees")."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import AuditEvent, Letter
from tests.workflows.helpers import outbox, ready_task, ready_tasks
from workflows.engine import clock
from workflows.engine.queries import case_data
from workflows.engine.timers import fire_due_timers
from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary

from .drive import Drive

SUSPENDED = {
    "suspension_live": True,
    "suspended_since": "2026-02-20",
    "suspension_reason": "To protect a service user.",
}


def suspended_case(ctx, people, **findings) -> Drive:
    opening = DisciplinaryOpening(
        subject=people["employee"],
        clauses=["SMP-5.5"],
        reason="Referred by the investigation.",
        allegation="Posted a photo of a service user without consent.",
        findings={**SUSPENDED, **findings},
    )
    return Drive(ctx, open_disciplinary(ctx, people["hr"], opening), people)


def review_waiting(ctx, db, drive):
    clock.advance(timedelta(days=14, minutes=1))
    assert fire_due_timers(ctx) == 1
    return ready_task(db, drive.case, "During_ReviewSuspension")


def audit_events(db, case) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq)))


def letters(db, case) -> list[str]:
    return list(db.scalars(select(Letter.kind).where(Letter.case_id == case.id).order_by(Letter.id)))


def test_a_suspension_is_reviewed_every_14_days_and_lifting_it_is_a_letter(ctx, db, people):
    drive = suspended_case(ctx, people)
    assert case_data(drive.case)["suspension_live"] is True
    review = review_waiting(ctx, db, drive)
    assert review.assignee_id == people["hr"].id
    fired = [e for e in audit_events(db, drive.case) if e.action == "timer_fired"]
    assert [(e.bpmn_task, e.data["timer"]) for e in fired] == [("During_SuspensionWait", "Review or outcome?")]
    assert ("suspension_review_due", people["hr"].email) in outbox(db, drive.case)
    drive.step(
        "During_ReviewSuspension",
        "hr",
        suspension_decision="continue",
        suspension_review_reasons="The hearing is not yet held.",
    )
    assert drive.case.next_timer_at == clock.now() + timedelta(days=14)
    review_waiting(ctx, db, drive)
    drive.step(
        "During_ReviewSuspension", "hr", suspension_decision="lift", suspension_review_reasons="Evidence is secured."
    )
    assert letters(db, drive.case)[-1] == "suspension_lifted"
    lifted = db.scalar(select(Letter).where(Letter.case_id == drive.case.id, Letter.kind == "suspension_lifted"))
    assert "in place since Friday 20 February 2026" in lifted.body and "Evidence is secured." in lifted.body
    assert [t.bpmn_id for t in ready_tasks(db, drive.case)] == ["UserTask_AppointHearingOfficer"]


def test_the_outcome_letter_ends_a_suspension_still_waiting_for_its_review(ctx, db, people):
    drive = suspended_case(ctx, people)
    drive.to_decision(at="2026-03-10T10:00")
    assert "During_ReviewSuspension" not in [t.bpmn_id for t in ready_tasks(db, drive.case)]
    drive.decide()
    assert [t.bpmn_id for t in ready_tasks(db, drive.case)] == ["UserTask_Appeal"]
    clock.advance(timedelta(days=30))
    fire_due_timers(ctx)
    assert "During_ReviewSuspension" not in [t.bpmn_id for t in ready_tasks(db, drive.case)]
    assert "suspension_lifted" not in letters(db, drive.case)
    assert "ends with this letter" in db.scalar(
        select(Letter.body).where(Letter.case_id == drive.case.id, Letter.kind == "disciplinary_outcome")
    )


def test_the_outcome_letter_closes_a_review_hr_has_not_done(ctx, db, people):
    drive = suspended_case(ctx, people)
    drive.appoint()
    drive.invite(at="2026-03-10T10:00")
    drive.companion()
    review_waiting(ctx, db, drive)  # 14 days on: the review is due before the hearing
    drive.hear()
    drive.decide()
    waiting = [t.bpmn_id for t in ready_tasks(db, drive.case)]
    assert waiting == ["UserTask_Appeal"], waiting


def test_without_a_suspension_nothing_is_reviewed(ctx, db, open_case):
    drive = open_case()
    clock.advance(timedelta(days=15))
    assert fire_due_timers(ctx) == 0
    assert [t.bpmn_id for t in ready_tasks(db, drive.case)] == ["UserTask_AppointHearingOfficer"]

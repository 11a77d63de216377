"""What happens to the employee during the procedure, at any step: every
branch, gateway and timer of the `During_...` side branches of
bpmn/disciplinary.bpmn, and the postponement that moves the main line's
hearing (docs/domain.md, items 11 and 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import CaseTask, Letter, TaskState
from tests.workflows.helpers import actions, outbox, ready_task, ready_tasks
from workflows.engine import clock, events, workdays
from workflows.engine.errors import Forbidden, InvalidInput
from workflows.engine.queries import case_data
from workflows.engine.tasks import complete_task, open_task
from workflows.engine.timers import fire_due_timers


def letters(db, case) -> list[str]:
    return list(db.scalars(select(Letter.kind).where(Letter.case_id == case.id).order_by(Letter.id)))


def record(drive, signal, who="hr", **data):
    return events.record(drive.ctx, drive.case, drive.people[who], signal, data)


def waiting(db, case) -> list[str]:
    return [t.bpmn_id for t in ready_tasks(db, case)]


def refused(call, field, message):
    with pytest.raises(InvalidInput) as error:
        call()
    assert any(message in m for m in error.value.errors.get(field, [])), error.value.errors


def grievance(drive, **data):
    answers = {"grievance_raised_on": "2026-03-02", "grievance_summary": "My manager has treated me unfairly."}
    record(drive, "grievance_raised", **{**answers, **data})


# --- a grievance ----------------------------------------------------------------


def test_a_grievance_pauses_the_procedure_until_hr_resumes_it(db, open_case, people):
    drive = open_case()
    drive.appoint()
    drive.invite()
    refused(lambda: grievance(drive, grievance_summary=""), "grievance_summary", "Say what the grievance is about.")
    refused(
        lambda: grievance(drive, grievance_raised_on="2026-03-09"), "grievance_raised_on", "cannot be in the future"
    )
    grievance(drive)
    assert waiting(db, drive.case) == ["UserTask_Companion", "During_GrievanceDecision"]
    decision = ready_task(db, drive.case, "During_GrievanceDecision")
    assert decision.lane == "HR" and decision.assignee_id == people["hr"].id
    refused(
        lambda: drive.step("During_GrievanceDecision", "hr", grievance_handling="pause", grievance_reasons=""),
        "grievance_reasons",
        "",
    )
    drive.step(
        "During_GrievanceDecision",
        "hr",
        grievance_handling="pause",
        grievance_reasons="The grievance is about the hearing officer; it must be heard first.",
    )
    assert waiting(db, drive.case) == ["UserTask_Companion", "During_GrievanceResume"]
    assert ("grievance_decision", people["employee"].email) in outbox(db, drive.case)
    body = db.scalar(select(Letter.body).where(Letter.case_id == drive.case.id, Letter.kind == "grievance_decision"))
    assert "pause the disciplinary procedure" in body and "must be heard first" in body
    drive.step("During_GrievanceResume", "hr", grievance_outcome="Not upheld after a meeting on 5 March.")
    assert letters(db, drive.case)[-1] == "procedure_resumed"
    assert waiting(db, drive.case) == ["UserTask_Companion"]
    assert "event_recorded" in actions(db, drive.case)
    # The main line's data is still the case's (the side branch ran last).
    assert case_data(drive.case)["hearing_at"].startswith("2026-03-10")
    drive.companion()
    drive.hear()
    assert waiting(db, drive.case) == ["UserTask_Decide"]


def test_two_grievances_together_with_the_disciplinary(db, open_case, people):
    drive = open_case()
    grievance(drive)
    grievance(drive, grievance_summary="A second grievance, about the investigation.")
    assert waiting(db, drive.case).count("During_GrievanceDecision") == 2
    for _ in range(2):
        task = next(t for t in ready_tasks(db, drive.case) if t.bpmn_id == "During_GrievanceDecision")
        complete_task(
            drive.ctx,
            open_task(db, people["hr"], task.id),
            {"grievance_handling": "together", "grievance_reasons": "It is about the same posts: hear both at once."},
        )
    assert waiting(db, drive.case) == ["UserTask_AppointHearingOfficer"]
    assert letters(db, drive.case) == ["grievance_decision", "grievance_decision"]


# --- a resignation --------------------------------------------------------------


def resignation(drive):
    record(drive, "resignation_given", resigned_on="2026-03-02", employment_ends_on="2026-03-30")


def test_closing_after_a_resignation_ends_the_case_and_every_open_step(db, open_case, people):
    drive = open_case()
    drive.appoint()
    drive.invite()
    drive.companion()
    refused(
        lambda: record(drive, "resignation_given", resigned_on="2026-03-02", employment_ends_on="2026-03-01"),
        "employment_ends_on",
        "cannot end before the resignation",
    )
    resignation(drive)
    grievance(drive)  # still waiting when the case closes
    drive.step(
        "During_ResignationDecision", "hr", resignation_choice="close", resignation_reasons="She leaves in four weeks."
    )
    case = drive.case
    assert case.status == "closed_resigned" and case.closed_at is not None and case.next_timer_at is None
    assert ready_tasks(db, case) == []
    cancelled = db.scalars(
        select(CaseTask.bpmn_id).where(CaseTask.case_id == case.id, CaseTask.state == TaskState.CANCELLED)
    ).all()
    assert {"UserTask_Hearing", "During_GrievanceDecision"} <= set(cancelled)
    assert letters(db, case)[-1] == "closed_after_resignation"
    assert {
        ("closed_after_resignation", people["employee"].email),
        ("closed_after_resignation", people["officer"].email),
    } <= set(outbox(db, case))
    assert "case_closed" in actions(db, case)
    refused(lambda: grievance(drive), "", "can no longer be recorded")


def test_continuing_after_a_resignation_runs_to_the_decision(db, open_case, people):
    drive = open_case()
    drive.appoint()
    resignation(drive)
    drive.step(
        "During_ResignationDecision",
        "hr",
        resignation_choice="continue",
        resignation_reasons="A finding matters for the reference we give.",
    )
    assert letters(db, drive.case) == ["procedure_continues"]
    drive.invite()
    drive.companion()
    drive.hear()
    drive.decide(sanction="no_action", targets_manner=False, proportionality_reasons="", mitigation_considered="")
    assert drive.case.closed_at is not None and ready_tasks(db, drive.case) == []


# --- sickness absence ------------------------------------------------------------


def sickness(drive):
    record(drive, "sickness_reported", sick_from="2026-03-02", fit_note_until="2026-03-13")


def postpone(drive, at, **data):
    drive.step(
        "During_SicknessDecision",
        "hr",
        sickness_postpone=True,
        sickness_hearing_at=at,
        sickness_reasons="Her fit note runs to 13 March.",
        **data,
    )


def test_a_postponement_for_sickness_moves_the_hearing_and_its_timer(db, open_case, people, frozen_clock):
    drive = open_case()
    drive.appoint()
    drive.invite()  # Tuesday 10 March, 10:00
    sickness(drive)
    refused(
        lambda: drive.step("During_SicknessDecision", "hr", sickness_postpone=True, sickness_reasons="Fit note."),
        "sickness_hearing_at",
        "Give the new date and time of the hearing.",
    )
    refused(lambda: postpone(drive, "2026-03-06T10:00"), "sickness_hearing_at", "Monday 9 March 2026 at the earliest")
    postpone(drive, "2026-03-17T10:00")
    assert case_data(drive.case)["hearing_at"] == "2026-03-17T10:00:00+00:00"
    assert drive.case.next_timer_at == datetime(2026, 3, 17, 10, 0, tzinfo=UTC)
    assert letters(db, drive.case)[-1] == "hearing_postponed_sickness"
    assert ("hearing_postponed_sickness", people["officer"].email) in outbox(db, drive.case)
    assert waiting(db, drive.case) == ["UserTask_Companion"]
    frozen_clock.freeze(datetime(2026, 3, 11, 9, 0, tzinfo=UTC))  # past the first date: nothing fires
    fire_due_timers(drive.ctx)
    assert waiting(db, drive.case) == ["UserTask_Companion"]
    frozen_clock.freeze(datetime(2026, 3, 17, 11, 0, tzinfo=UTC))
    fire_due_timers(drive.ctx)
    assert waiting(db, drive.case) == ["UserTask_Hearing"]


def test_sickness_after_the_companion_postpones_the_hearing_step_itself(db, open_case, people):
    drive = open_case()
    drive.appoint()
    drive.invite()
    drive.companion()
    sickness(drive)
    postpone(drive, "2026-03-18T14:00")
    assert waiting(db, drive.case) == ["UserTask_Companion"]  # asked again for the new date
    assert case_data(drive.case)["sickness_postponements"] == 1
    drive.companion()
    drive.hear()
    assert waiting(db, drive.case) == ["UserTask_Decide"]


def test_the_hearing_goes_ahead_or_there_is_none_to_postpone(db, open_case, people):
    drive = open_case()
    sickness(drive)
    refused(lambda: postpone(drive, "2026-03-17T10:00"), "sickness_postpone", "nothing to postpone")
    drive.step("During_SicknessDecision", "hr", sickness_postpone=False, sickness_reasons="No hearing is set yet.")
    assert letters(db, drive.case) == ["hearing_goes_ahead"]
    assert waiting(db, drive.case) == ["UserTask_AppointHearingOfficer"]


# --- a request for written reasons -------------------------------------------------


def dismissed(open_case):
    drive = open_case(gross=True)
    drive.to_decision(officer="hub")
    drive.decide(
        officer="hub",
        misconduct_found="gross_misconduct",
        sanction="summary_dismissal",
        gross_misconduct_clause="SMP-7.2",
        dismissal_on="2026-03-10",
        notice_weeks=None,
    )
    return drive


def request(drive, on=None):
    record(drive, "written_reasons_requested", written_reasons_requested_on=on or workdays.today().isoformat())


def test_written_reasons_are_owed_only_for_a_dismissal(db, open_case):
    drive = open_case()
    refused(lambda: request(drive), "written_reasons_requested_on", "no dismissal decided")


def test_written_reasons_remind_then_escalate_then_go_to_the_employee(db, open_case, people, frozen_clock):
    drive = dismissed(open_case)
    decided = workdays.today()
    refused(
        lambda: request(drive, on=(decided - timedelta(days=1)).isoformat()),
        "written_reasons_requested_on",
        "a request cannot come before it",
    )
    request(drive)
    task = ready_task(db, drive.case, "During_WrittenReasons")
    due = case_data(drive.case, task.spiff_task_id)["written_reasons_due_at"]
    assert task.due_at == datetime.fromisoformat(due)
    assert clock.london(task.due_at).date() == decided + timedelta(days=14)
    frozen_clock.advance(timedelta(days=11))
    fire_due_timers(drive.ctx)
    assert ("written_reasons_reminder", people["hr"].email) in outbox(db, drive.case)
    assert "During_WrittenReasons" in waiting(db, drive.case)
    frozen_clock.advance(timedelta(days=4))
    fire_due_timers(drive.ctx)
    assert ("written_reasons_overdue", people["hr"].email) in outbox(db, drive.case)
    refused(
        lambda: drive.step("During_WrittenReasonsOverdue", "hr", written_reasons="Short."),
        "written_reasons",
        "",
    )
    drive.step(
        "During_WrittenReasonsOverdue",
        "hr",
        written_reasons="Gross misconduct: a service user's photo was published without consent.",
    )
    letter = db.scalar(select(Letter).where(Letter.case_id == drive.case.id, Letter.kind == "written_reasons"))
    assert "section 92" in letter.body and "summary dismissal" in letter.body.lower()
    assert ("written_reasons", people["employee"].email) in outbox(db, drive.case)


def test_written_reasons_in_time_and_none_after_the_case_closes(db, open_case, people, frozen_clock):
    drive = dismissed(open_case)
    request(drive)
    drive.step("During_WrittenReasons", "hr", written_reasons="Gross misconduct under SMP-7.2, as the letter said.")
    assert letters(db, drive.case)[-1] == "written_reasons"
    frozen_clock.advance(timedelta(days=45))  # past the window for a late appeal: the case ends
    fire_due_timers(drive.ctx)
    assert drive.case.closed_at is not None
    refused(lambda: request(drive), "", "can no longer be recorded")


# --- who may record and decide ---------------------------------------------------------


def test_only_hr_not_conflicted_records_and_decides(db, open_case, people):
    drive = open_case()
    drive.appoint()
    for who in ("employee", "officer", "manager"):
        with pytest.raises(Forbidden):
            grievance(drive, who=who)
    grievance(drive)
    task = ready_task(db, drive.case, "During_GrievanceDecision")
    for who in ("employee", "officer"):
        with pytest.raises(Forbidden):
            open_task(db, people[who], task.id)


def test_a_side_branch_finishing_last_does_not_hide_the_main_line_s_data(db, open_case, people):
    """The grievance's branch copied the case's data before the invitation;
    deciding it afterwards makes it the last task run, yet the case's data
    (and the hearing's own check) is still the main line's."""
    drive = open_case()
    drive.appoint()
    grievance(drive)
    drive.invite()
    drive.step("During_GrievanceDecision", "hr", grievance_handling="together", grievance_reasons="Related: both now.")
    assert case_data(drive.case)["hearing_at"].startswith("2026-03-10")
    drive.companion()
    drive.hear()
    assert waiting(db, drive.case) == ["UserTask_Decide"]

"""Every branch, gateway and timer of bpmn/disciplinary.bpmn, with a moved
clock, and each of the Code's gates refused with a message naming what is
missing (docs/domain.md, "Disciplinary procedure for employees")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from models import Letter
from tests.workflows.helpers import actions, outbox, ready_task, ready_tasks
from workflows.engine import clock
from workflows.engine.errors import InvalidInput
from workflows.engine.queries import case_data
from workflows.engine.timers import fire_due_timers


def letters(db, case) -> list[str]:
    return list(db.scalars(select(Letter.kind).where(Letter.case_id == case.id).order_by(Letter.id)))


def refused(drive, bpmn_id, who, field, message, **data):
    with pytest.raises(InvalidInput) as error:
        drive.step(bpmn_id, who, **data)
    assert any(message in m for m in error.value.errors.get(field, [])), error.value.errors
    return error.value


def test_no_hearing_step_exists_until_the_invitation_letter_is_issued(db, open_case, people):
    drive = open_case()
    assert [t.bpmn_id for t in ready_tasks(db, drive.case)] == ["UserTask_AppointHearingOfficer"]
    drive.appoint()
    assert [t.bpmn_id for t in ready_tasks(db, drive.case)] == ["UserTask_Invite"]
    drive.invite()
    assert letters(db, drive.case) == ["hearing_invitation", "evidence_pack"]
    companion = ready_task(db, drive.case, "UserTask_Companion")
    assert companion.assignee_id == people["employee"].id
    assert {("hearing_invitation", people["employee"].email), ("hearing_invitation", people["officer"].email)} <= set(
        outbox(db, drive.case)
    )
    invitation = db.scalar(select(Letter).where(Letter.case_id == drive.case.id, Letter.kind == "hearing_invitation"))
    assert "Tuesday 10 March 2026 at 10:00" in invitation.body
    assert "include personal information or data about the organisation" in invitation.body  # SMP-5.5 verbatim
    assert "a trade union representative" in invitation.body and "a first or a final written warning" in invitation.body


def test_the_notice_period_skips_a_bank_holiday_weekend(db, open_case, frozen_clock):
    frozen_clock.freeze(datetime(2026, 4, 1, 9, 0, tzinfo=UTC))  # Wednesday before Good Friday
    drive = open_case()
    drive.appoint()
    refusal = refused(
        drive,
        "UserTask_Invite",
        "hr",
        "hearing_at",
        "Friday 10 April 2026 at the earliest",
        hearing_at="2026-04-09T10:00",
        place="Room 2",
    )
    assert "bank holidays" in str(refusal)
    drive.invite(at="2026-04-10T10:00")
    assert ready_task(db, drive.case, "UserTask_Companion")


def test_a_first_new_time_is_granted_and_a_further_one_goes_to_hr(db, open_case, people):
    drive = open_case()
    drive.appoint()
    drive.invite()  # Tuesday 10 March
    refused(
        drive,
        "UserTask_Companion",
        "employee",
        "proposed_at",
        "until Tuesday 17 March 2026",
        companion_choice="union_rep",
        companion_name="Una Union",
        companion_unavailable=True,
        proposed_at="2026-03-18T10:00",
    )
    drive.companion(companion_unavailable=True, proposed_at="2026-03-12T14:00")
    assert case_data(drive.case)["hearing_at"].startswith("2026-03-12T14:00")
    assert letters(db, drive.case)[-1] == "hearing_rescheduled"
    drive.companion(companion_unavailable=True, proposed_at="2026-03-13T14:00")
    decide = ready_task(db, drive.case, "UserTask_DecidePostponement")
    assert decide.assignee_id == people["hr"].id
    told = [to for template, to in outbox(db, drive.case) if template == "another_time_asked"]
    assert told == [people["hr"].email]  # the step that waits on HR says so, once
    drive.step(
        "UserTask_DecidePostponement",
        "hr",
        postponement_granted=False,
        postponement_reasons="The panel is not available that day; the companion can send a substitute.",
    )
    assert ready_task(db, drive.case, "UserTask_Hearing").assignee_id == people["officer"].id


def test_hr_may_grant_a_further_new_time(db, open_case):
    drive = open_case()
    drive.appoint()
    drive.invite()
    drive.companion(companion_unavailable=True, proposed_at="2026-03-12T14:00")
    drive.companion(companion_unavailable=True, proposed_at="2026-03-13T14:00")
    drive.step(
        "UserTask_DecidePostponement",
        "hr",
        postponement_granted=True,
        postponement_reasons="The companion's reason is good and the date is close.",
    )
    assert case_data(drive.case)["postponements"] == 2
    assert ready_task(db, drive.case, "UserTask_Companion")


def test_no_reply_by_the_hearing_time_goes_to_the_hearing(ctx, db, open_case):
    drive = open_case()
    drive.appoint()
    drive.invite()
    clock.advance(timedelta(days=8, hours=1, minutes=1))  # past 10:00 on the 10th
    assert fire_due_timers(ctx) == 1
    assert case_data(drive.case)["companion_choice"] == "no_reply"
    assert ready_task(db, drive.case, "UserTask_Hearing")


def test_a_first_absence_reschedules_then_hr_may_proceed_on_the_evidence(db, open_case, people):
    drive = open_case()
    drive.appoint()
    drive.invite()
    drive.companion(companion_choice="none", companion_name="")
    drive.hear(attendance="absent_no_reason", hearing_notes="", employee_response="")
    assert ready_task(db, drive.case, "UserTask_Invite")  # a first absence: a new date, a new letter
    drive.invite(at="2026-03-18T10:00")
    drive.companion(companion_choice="none", companion_name="")
    drive.hear(attendance="absent_no_reason", hearing_notes="", employee_response="")
    decide = ready_task(db, drive.case, "UserTask_NonAttendance")
    assert decide.assignee_id == people["hr"].id
    assert ("absent_again", people["hr"].email) in outbox(db, drive.case)
    drive.step(
        "UserTask_NonAttendance",
        "hr",
        non_attendance_decision="proceed",
        non_attendance_reasons="Two absences without reason; the evidence is clear.",
    )
    assert case_data(drive.case)["proceeded_on_evidence"] is True
    assert ready_task(db, drive.case, "UserTask_Decide")
    assert letters(db, drive.case).count("hearing_invitation") == 2


def test_an_absence_with_good_reason_reschedules(db, open_case):
    drive = open_case()
    drive.appoint()
    drive.invite()
    drive.companion()
    refused(
        drive,
        "UserTask_Hearing",
        "officer",
        "absence_reason",
        "Record the reason given",
        attendance="absent_good_reason",
    )
    drive.hear(attendance="absent_good_reason", absence_reason="In hospital.", hearing_notes="", employee_response="")
    assert case_data(drive.case)["absences"] == 1
    assert ready_task(db, drive.case, "UserTask_Invite")


def test_new_evidence_adjourns_discloses_it_and_reconvenes(db, open_case):
    drive = open_case()
    drive.appoint()
    drive.invite()
    drive.companion()
    drive.hear(new_evidence=True, new_evidence_summary="A second screenshot, from a colleague.")
    assert letters(db, drive.case)[-1] == "new_evidence"
    assert ready_task(db, drive.case, "UserTask_Invite")
    assert case_data(drive.case)["adjournments"] == 1


def test_a_sanction_needs_a_recorded_proportionality_assessment(db, open_case):
    drive = open_case()
    drive.to_decision()
    error = refused(
        drive,
        "UserTask_Decide",
        "officer",
        "targets_manner",
        "Higgs",
        misconduct_found="misconduct",
        clauses_found=["SMP-5.5"],
        sanction="first_written",
        decision_reasons="The post named a service user without consent.",
    )
    assert {"proportionality_reasons", "mitigation_considered", "consistency_considered"} <= set(error.errors)
    refused(
        drive,
        "UserTask_Decide",
        "officer",
        "sanction",
        "the only outcome is no action",
        misconduct_found="none",
        sanction="final_written",
        decision_reasons="Nothing was shown to be wrong.",
    )


def test_no_action_closes_the_case_with_a_letter_and_no_appeal(db, open_case):
    drive = open_case()
    drive.to_decision()
    drive.decide(misconduct_found="none", sanction="no_action", clauses_found=[])
    assert drive.case.status == "decided" and drive.case.closed_at
    assert letters(db, drive.case)[-1] == "disciplinary_outcome"


def test_a_first_written_warning_is_registered_and_the_employee_may_appeal(db, open_case, people):
    drive = open_case()
    drive.to_decision()
    drive.decide()
    assert letters(db, drive.case)[-2:] == ["hearing_notes", "disciplinary_outcome"]
    from workflows.procedures.disciplinary import warning_register

    [warning] = warning_register.warnings_of(db, people["employee"])
    assert (warning.level, warning.issued_on, warning.expires_on) == (
        "first_written",
        date(2026, 3, 10),  # decided an hour after the hearing
        date(2026, 9, 9),
    )
    data = case_data(drive.case)
    assert data["appeal_deadline_on"] == "2026-03-17"
    outcome = db.scalar(select(Letter).where(Letter.case_id == drive.case.id, Letter.kind == "disciplinary_outcome"))
    assert "until the end of Wednesday 9 September 2026" in outcome.body and "Tuesday 17 March 2026" in outcome.body
    appeal = ready_task(db, drive.case, "UserTask_Appeal")
    assert appeal.assignee_id == people["employee"].id
    # Due when the letter says, not when HR stops accepting late appeals.
    assert appeal.due_at == datetime.fromisoformat(data["appeal_deadline_at"])
    assert appeal.due_at.astimezone(ZoneInfo("Europe/London")).date() == date(2026, 3, 17)


def test_a_final_written_warning_for_a_first_offence_needs_a_reason(db, open_case):
    drive = open_case()
    drive.to_decision()
    refused(
        drive,
        "UserTask_Decide",
        "officer",
        "serious_first_offence_reason",
        "There is no live warning",
        **_decision(sanction="final_written"),
    )
    drive.decide(sanction="final_written", serious_first_offence_reason="A vulnerable child was identifiable.")
    assert case_data(drive.case)["warning_expires_on"] == "2027-03-09"


def _decision(**changes) -> dict:
    answers = {
        "misconduct_found": "misconduct",
        "clauses_found": ["SMP-5.5"],
        "sanction": "first_written",
        "decision_reasons": "The post named a service user without consent.",
        "targets_manner": True,
        "proportionality_reasons": "Proportionate to a serious breach of confidentiality.",
        "mitigation_considered": "Removed within the hour; apologised.",
        "consistency_considered": True,
    }
    return {**answers, **changes}


def test_dismissal_with_notice_needs_a_live_final_warning(db, open_case):
    drive = open_case()
    drive.to_decision()
    refused(
        drive,
        "UserTask_Decide",
        "officer",
        "sanction",
        "needs a live final written warning",
        **_decision(sanction="dismissal_notice", dismissal_on="2026-03-31", notice_weeks=4),
    )


def test_summary_dismissal_needs_the_authority_to_dismiss(db, open_case):
    drive = open_case()  # gross misconduct was not alleged, so any manager could hear it
    drive.to_decision()
    error = refused(
        drive,
        "UserTask_Decide",
        "officer",
        "sanction",
        "does not hold the authority to dismiss",
        **_decision(
            misconduct_found="gross_misconduct",
            sanction="summary_dismissal",
            gross_misconduct_clause="SMP-7.2",
            dismissal_on="2026-03-10",
        ),
    )
    assert "gross_misconduct_clause" not in error.errors


def test_summary_dismissal_needs_gross_misconduct_under_a_clause_that_says_so(db, open_case):
    drive = open_case(gross=True)
    drive.to_decision(officer="hub")
    error = refused(
        drive,
        "UserTask_Decide",
        "hub",
        "misconduct_found",
        "needs a finding of gross misconduct",
        **_decision(sanction="summary_dismissal", dismissal_on="2026-03-10"),
    )
    assert any("SMP-7.2" in m for m in error.errors["gross_misconduct_clause"])


def test_summary_dismissal_is_refused_if_the_hearing_was_skipped(ctx, db, open_case, people, monkeypatch):
    """The diagram allows no way round the hearing; the operation checks too."""
    from workflows.procedures.disciplinary import decision

    drive = open_case(gross=True)
    drive.to_decision(officer="hub")
    skipped = {**case_data(drive.case), "hearing_held_on": None, "proceeded_on_evidence": False}
    monkeypatch.setattr(decision.queries, "case_data", lambda case: skipped)
    with pytest.raises(InvalidInput, match="no hearing was held"):
        decision.check_decision(
            ctx,
            drive.case,
            people["hub"],
            _decision(
                misconduct_found="gross_misconduct",
                sanction="summary_dismissal",
                gross_misconduct_clause="SMP-7.2",
                dismissal_on="2026-03-10",
                notice_weeks=None,
                pay_in_lieu=False,
                serious_first_offence_reason="",
            ),
        )


def test_summary_dismissal_then_an_appeal_varied_to_a_final_written_warning(ctx, db, open_case, people):
    from workflows.procedures.disciplinary import record, warning_register

    drive = open_case(gross=True)
    drive.to_decision(officer="hub")
    drive.decide(
        officer="hub",
        **_decision(
            misconduct_found="gross_misconduct",
            sanction="summary_dismissal",
            gross_misconduct_clause="SMP-7.2",
            dismissal_on="2026-03-10",
        ),
    )
    assert warning_register.warnings_of(db, people["employee"]) == []
    drive.step(
        "UserTask_Appeal",
        "employee",
        appeal_choice="appeal",
        appeal_grounds="Dismissal is too harsh: I removed it at once and apologised.",
    )
    refusal = refused(
        drive,
        "UserTask_AppointAppealOfficer",
        "hr",
        "appeal_officer_id",
        "Grace Okafor is its hearing officer",
        appeal_officer_id=people["hub"].id,
    )
    assert refusal
    refused(
        drive,
        "UserTask_AppointAppealOfficer",
        "hr",
        "appeal_officer_id",
        "did 'Appoint a hearing officer'",
        appeal_officer_id=people["hr"].id,
    )
    assert ("appeal_received", people["hr"].email) in outbox(db, drive.case)
    assert people["employee"].email not in [to for t, to in outbox(db, drive.case) if t == "appeal_received"]
    drive.step("UserTask_AppointAppealOfficer", "hr", appeal_officer_id=people["appeal"].id)
    refused(
        drive,
        "UserTask_AppealInvite",
        "hr",
        "appeal_hearing_at",
        "Tuesday 17 March 2026 at the earliest",
        appeal_hearing_at="2026-03-16T10:00",
        appeal_place="Room 1",
    )
    drive.step("UserTask_AppealInvite", "hr", appeal_hearing_at="2026-03-18T10:00", appeal_place="Room 1")
    assert drive.case.status == "appeal"
    drive.step(
        "UserTask_AppealCompanion",
        "employee",
        appeal_companion_choice="union_official",
        appeal_companion_name="Una Union",
    )
    drive.arrive("appeal_hearing_at")
    refused(
        drive,
        "UserTask_AppealHearing",
        "appeal",
        "varied_sanction",
        "lesser sanction",
        appeal_attendance="attended",
        appeal_notes="Heard the grounds.",
        appeal_outcome="varied",
        varied_sanction="summary_dismissal",
        appeal_reasons="Mitigation outweighs; a final warning suffices.",
    )
    drive.step(
        "UserTask_AppealHearing",
        "appeal",
        appeal_attendance="attended",
        appeal_notes="Heard the grounds.",
        appeal_outcome="varied",
        varied_sanction="final_written",
        appeal_reasons="Mitigation outweighs; a final warning suffices.",
    )
    [warning] = warning_register.warnings_of(db, people["employee"])
    assert (warning.level, warning.issued_on, warning.expires_on) == (
        "final_written",
        date(2026, 3, 10),
        date(2027, 3, 9),
    )
    assert case_data(drive.case)["reinstated"] is True
    assert record.outcome(case_data(drive.case)) == (
        "Summary dismissal for gross misconduct; on appeal: Final written warning"
    )
    assert drive.case.status == "appeal_decided" and drive.case.closed_at
    outcome = db.scalar(select(Letter).where(Letter.case_id == drive.case.id, Letter.kind == "appeal_outcome"))
    assert "reinstated" in outcome.body and "Tuesday 9 March 2027" in outcome.body


def test_an_overturned_appeal_revokes_the_warning(db, open_case, people):
    from workflows.procedures.disciplinary import warning_register

    drive = open_case()
    drive.to_decision()
    drive.decide()
    drive.step("UserTask_Appeal", "employee", appeal_choice="appeal", appeal_grounds="The photo was consented to.")
    drive.step("UserTask_AppointAppealOfficer", "hr", appeal_officer_id=people["appeal"].id)
    drive.step("UserTask_AppealInvite", "hr", appeal_hearing_at="2026-03-18T10:00", appeal_place="Room 1")
    drive.step("UserTask_AppealCompanion", "employee", appeal_companion_choice="none", appeal_companion_name="")
    drive.arrive("appeal_hearing_at")
    drive.step(
        "UserTask_AppealHearing",
        "appeal",
        appeal_attendance="attended",
        appeal_notes="Consent form shown.",
        appeal_outcome="overturned",
        appeal_reasons="The parent's written consent was produced.",
    )
    [warning] = warning_register.warnings_of(db, people["employee"])
    assert warning.revoked_on == date(2026, 3, 18) and not warning.live_on(date(2026, 3, 19))
    assert "warning_revoked" in actions(db, drive.case)


def test_no_companion_named_by_the_appeal_hearing_time_goes_to_the_appeal_hearing(ctx, db, open_case, people):
    drive = open_case()
    drive.to_decision()
    drive.decide()
    drive.step("UserTask_Appeal", "employee", appeal_choice="appeal", appeal_grounds="Too harsh.")
    drive.step("UserTask_AppointAppealOfficer", "hr", appeal_officer_id=people["appeal"].id)
    drive.step("UserTask_AppealInvite", "hr", appeal_hearing_at="2026-03-18T10:00", appeal_place="Room 1")
    assert ready_task(db, drive.case, "UserTask_AppealCompanion")
    drive.arrive("appeal_hearing_at")
    assert fire_due_timers(ctx) == 1
    assert case_data(drive.case)["appeal_companion_choice"] == "no_reply"
    assert ready_task(db, drive.case, "UserTask_AppealHearing").assignee_id == people["appeal"].id
    assert [t.bpmn_id for t in ready_tasks(db, drive.case)] == ["UserTask_AppealHearing"]


def test_a_late_appeal_goes_to_hr_who_may_refuse_it(ctx, db, open_case, people):
    drive = open_case()
    drive.to_decision()
    drive.decide()
    clock.advance(timedelta(days=8))  # past the end of Monday 9 March
    drive.step("UserTask_Appeal", "employee", appeal_choice="appeal", appeal_grounds="I was away.")
    assert [t for t, to in outbox(db, drive.case) if to == people["hr"].email] == ["late_appeal_received"]
    drive.step(
        "UserTask_LateAppeal",
        "hr",
        late_appeal_accepted=False,
        late_appeal_reasons="No reason was given for the delay.",
    )
    assert letters(db, drive.case)[-1] == "late_appeal_refused" and drive.case.closed_at


def test_no_appeal_when_the_window_closes(ctx, db, open_case):
    drive = open_case()
    drive.to_decision()
    drive.decide()
    clock.advance(timedelta(days=45))
    assert fire_due_timers(ctx) == 1
    assert drive.case.closed_at and ready_tasks(db, drive.case) == []


def test_accepting_the_outcome_ends_the_case(db, open_case):
    drive = open_case()
    drive.to_decision()
    drive.decide()
    drive.step("UserTask_Appeal", "employee", appeal_choice="accept")
    assert drive.case.closed_at and drive.case.status == "decided"


def test_a_hearing_is_recorded_only_once_it_has_taken_place(db, open_case):
    drive = open_case()
    drive.appoint()
    drive.invite()
    drive.companion()
    refused(
        drive,
        "UserTask_Hearing",
        "officer",
        "attendance",
        "record it once it has taken place",
        attendance="attended",
        hearing_notes="Notes.",
        employee_response="Sorry.",
    )

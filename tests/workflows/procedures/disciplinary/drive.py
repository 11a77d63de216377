"""Driving a disciplinary case step by step, with sensible answers unless
told otherwise (path tests, and the fuzz test's world of waiting steps)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.workflows.helpers import complete
from workflows.engine import clock, events
from workflows.engine.queries import case_data


class Drive:
    """Steps of one case, with sensible answers unless told otherwise."""

    def __init__(self, ctx, case, people):
        self.ctx, self.case, self.people = ctx, case, people

    def step(self, bpmn_id, who, **data):
        return complete(self.ctx, self.case, bpmn_id, self.people[who], **data)

    def record(self, signal, who="hr", **data):
        """Record what happens to the employee during the procedure (HR, from the case page)."""
        return events.record(self.ctx, self.case, self.people[who], signal, data)

    def appoint(self, who="officer", **extra):
        self.step(
            "UserTask_AppointHearingOfficer",
            "hr",
            hearing_officer_id=self.people[who].id,
            conflict_reason=extra.pop("conflict_reason", ""),
            **extra,
        )

    def invite(self, at="2026-03-10T10:00", **extra):
        self.step("UserTask_Invite", "hr", hearing_at=at, place="Meeting room 2, the Hub", **extra)

    def companion(self, **data):
        answers = {"companion_choice": "fellow_worker", "companion_name": "Sam Wright"}
        self.step("UserTask_Companion", "employee", **{**answers, **data})

    def arrive(self, at_name="hearing_at"):
        """Move the clock to an hour after the hearing (it is recorded once held)."""
        at = datetime.fromisoformat(case_data(self.case)[at_name])
        if clock.now() < at:
            clock.advance(at - clock.now() + timedelta(hours=1))

    def hear(self, officer="officer", **data):
        self.arrive()
        answers = {
            "attendance": "attended",
            "hearing_notes": "Ellie accepted that she posted it.",
            "employee_response": "She apologised and removed the post at once.",
        }
        self.step("UserTask_Hearing", officer, **{**answers, **data})

    def decide(self, officer="officer", **data):
        answers = {
            "misconduct_found": "misconduct",
            "clauses_found": ["SMP-5.5"],
            "sanction": "first_written",
            "decision_reasons": "The post named a service user without consent.",
            "targets_manner": True,
            "proportionality_reasons": "A warning, not dismissal: prompt removal and an apology.",
            "mitigation_considered": "Removed within the hour; apologised; four years' good service.",
            "consistency_considered": True,
        }
        self.step("UserTask_Decide", officer, **{**answers, **data})

    def to_decision(self, officer="officer", at="2026-03-10T10:00"):
        self.appoint(officer)
        self.invite(at=at)
        self.companion()
        self.hear(officer)


def every_step_waiting(ctx, hr, officer, appeal_officer, employee) -> list:
    """Disciplinary cases with each of the diagram's steps waiting for someone
    (the fuzz test submits bad input to every one of them). Moves the clock."""
    from workflows.engine import workdays
    from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary

    people = {"hr": hr, "officer": officer, "appeal": appeal_officer, "employee": employee}

    def opened(gross: bool = False) -> Drive:
        case = open_disciplinary(
            ctx,
            hr,
            DisciplinaryOpening(
                subject=employee,
                clauses=["SMP-5.5"],
                reason="Admitted in writing.",
                allegation="Posted a photo of a service user without consent.",
                alleged_gross_misconduct=gross,
            ),
        )
        return Drive(ctx, case, people)

    def hearing_day(days: int = 6) -> str:
        return f"{workdays.add_working_days(workdays.today(), days).isoformat()}T10:00"

    def appeal(drive: Drive, **data) -> None:
        drive.step("UserTask_Appeal", "employee", appeal_choice="appeal", appeal_grounds="Too harsh.", **data)

    first = hearing_day()
    later = [opened() for _ in range(8)]  # steps after a hearing that has happened
    for drive in later:
        drive.appoint()
        drive.invite(at=first)
        drive.companion(companion_choice="none", companion_name="")
    absent, decision, appealing, late, appoint_ao, invite_ao, companion_ao, hear_ao = later
    reasons = opened(gross=True)  # a summary dismissal, then a request for written reasons
    reasons.appoint(who="appeal")
    reasons.invite(at=first)
    reasons.companion(companion_choice="none", companion_name="")
    absent.hear(attendance="absent_no_reason", hearing_notes="", employee_response="")
    second = hearing_day()
    absent.invite(at=second)
    absent.companion(companion_choice="none", companion_name="")
    decision.hear()
    reasons.hear(officer="appeal")
    reasons.decide(
        officer="appeal",
        misconduct_found="gross_misconduct",
        sanction="summary_dismissal",
        gross_misconduct_clause="SMP-7.2",
        dismissal_on=workdays.today().isoformat(),
    )
    reasons.record("written_reasons_requested", written_reasons_requested_on=workdays.today().isoformat())
    for drive in (appealing, late, appoint_ao, invite_ao, companion_ao, hear_ao):
        drive.hear()
        drive.decide()
    for drive in (appoint_ao, invite_ao, companion_ao, hear_ao):
        appeal(drive)
    for drive in (invite_ao, companion_ao, hear_ao):
        drive.step("UserTask_AppointAppealOfficer", "hr", appeal_officer_id=appeal_officer.id)
    for drive in (companion_ao, hear_ao):
        drive.step("UserTask_AppealInvite", "hr", appeal_hearing_at=hearing_day(15), appeal_place="Room 1")
    hear_ao.step("UserTask_AppealCompanion", "employee", appeal_companion_choice="none", appeal_companion_name="")
    absent.arrive()  # past the second date, and past the appeal deadline
    absent.hear(attendance="absent_no_reason", hearing_notes="", employee_response="")
    appeal(late)
    early = [opened() for _ in range(5)]  # steps before a hearing
    for drive in early[1:]:
        drive.appoint()
    for drive in early[2:]:
        drive.invite(at=hearing_day())
    early[3].companion(companion_unavailable=True, proposed_at=hearing_day(7))
    early[3].companion(companion_unavailable=True, proposed_at=hearing_day(8))
    early[4].companion()
    return later + early + [reasons, events_at_any_step(opened, hearing_day())]


def events_at_any_step(opened, hearing_at: str) -> Drive:
    """HR's decisions about a grievance (and its resumption), a resignation
    and a sickness absence, all waiting on one case."""
    from workflows.engine import workdays

    drive, today = opened(), workdays.today().isoformat()
    drive.appoint()
    drive.invite(at=hearing_at)
    grievance = {"grievance_raised_on": today, "grievance_summary": "About how it was opened."}
    drive.record("grievance_raised", **grievance)
    drive.step("During_GrievanceDecision", "hr", grievance_handling="pause", grievance_reasons="It comes first.")
    drive.record("grievance_raised", **grievance)
    drive.record("resignation_given", resigned_on=today, employment_ends_on=today)
    drive.record("sickness_reported", sick_from=today)
    return drive

"""Opening a disciplinary case (from a referral, or directly; employees only),
who may hear it, and the register of warnings that expire."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from sqlalchemy import select

from models import Case, InterviewNote, Role
from tests.factories import make_breach, make_user
from tests.workflows.helpers import actions, complete, ready_task
from workflows.engine.casefile import add_interview_note
from workflows.engine.errors import InvalidInput
from workflows.engine.queries import case_data, case_evidence
from workflows.procedures.disciplinary import warning_register
from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary


def referred(ctx, db, people, subject="employee", recommendation="potential_gross_misconduct"):
    """A breach investigation of `subject`, taken to "refer to disciplinary"."""
    from workflows.engine import clock

    investigator = make_user(db, "Ivan Investigator", roles=(Role.MANAGER,))
    from workflows.engine.evidence import url_evidence

    hidden = url_evidence("https://facebook.com/posts/1", people["hr"])  # not shared during the investigation
    case = make_breach(ctx, people["hr"], people[subject], reported_by=people["manager"], evidence=[hidden])
    complete(
        ctx,
        case,
        "UserTask_Triage",
        people["hr"],
        severity="serious",
        personal_data_published=False,
        suspension_needed=False,
        investigator_id=investigator.id,
    )
    add_interview_note(ctx, case, investigator, "Sam Wright", clock.now().date(), "Saw the post on Sunday.")
    complete(ctx, case, "UserTask_Investigate", investigator, account_days=7)
    complete(ctx, case, "UserTask_Account", people[subject], account_choice="give", account_statement="I am sorry.")
    complete(
        ctx,
        case,
        "UserTask_Findings",
        investigator,
        facts_found="The photo was posted on a public page.",
        clauses_breached=["SMP-5.5"],
        recommendation=recommendation,
    )
    complete(
        ctx,
        case,
        "UserTask_Outcome",
        people["hr"],
        outcome="refer_to_disciplinary",
        outcome_reasons="Serious: a formal hearing is needed.",
    )
    return case, investigator


def test_a_referral_opens_the_case_linked_with_findings_evidence_and_statements(ctx, db, people):
    breach, investigator = referred(ctx, db, people)
    case = db.scalar(select(Case).where(Case.parent_id == breach.id))
    assert case.kind == "disciplinary" and case.reference.startswith("DP-")
    data = case_data(case)
    assert (
        data["facts_found"] == "The photo was posted on a public page." and data["account_statement"] == "I am sorry."
    )
    assert data["alleged_gross_misconduct"] is True and data["dismissal_possible"] is True
    assert db.scalar(select(InterviewNote.notes).where(InterviewNote.case_id == case.id)) == "Saw the post on Sunday."
    roles = {p.role: p.user_id for p in case.parties}
    assert roles["Investigating officer"] == investigator.id and roles["Reporter"] == people["manager"].id
    assert "case_linked" in actions(db, case) and "case_linked" in actions(db, breach)
    assert ready_task(db, case, "UserTask_AppointHearingOfficer").assignee_id == people["hr"].id


def test_a_volunteer_is_never_put_through_the_disciplinary_procedure(ctx, db, people):
    with pytest.raises(InvalidInput, match="is a volunteer"):  # their referral is to problem-solving
        referred(ctx, db, people, subject="volunteer")
    assert db.scalar(select(Case).where(Case.kind == "disciplinary")) is None
    with pytest.raises(InvalidInput, match="for employees only"):
        open_disciplinary(
            ctx,
            people["hr"],
            DisciplinaryOpening(
                subject=people["volunteer"],
                clauses=["SMP-5.6"],
                allegation="Rude replies to a service user.",
                reason="Complaint with screenshots.",
            ),
        )


def test_the_hearing_officer_is_not_involved_and_may_dismiss_when_dismissal_is_possible(ctx, db, people):
    breach, investigator = referred(ctx, db, people)
    case = db.scalar(select(Case).where(Case.parent_id == breach.id))

    def appoint(who, reason=""):
        complete(
            ctx, case, "UserTask_AppointHearingOfficer", people["hr"], hearing_officer_id=who.id, conflict_reason=reason
        )

    with pytest.raises(InvalidInput, match="Ivan Investigator investigated it"):
        appoint(investigator)
    with pytest.raises(InvalidInput, match="Mark Taylor reported it"):
        appoint(people["manager"])
    with pytest.raises(InvalidInput, match="does not hold the authority to dismiss"):
        appoint(people["officer"])  # gross misconduct is alleged: only a Hub Manager may hear it
    appoint(people["hub"])
    assert {p.role for p in case.parties if p.user_id == people["hub"].id} == {"Hearing officer"}


def test_a_line_manager_hears_it_only_with_a_reason_when_others_could(ctx, db, people, open_case):
    drive = open_case()
    with pytest.raises(InvalidInput, match="Mark Taylor is Ellie Jones's line manager"):
        drive.appoint("manager")
    drive.appoint("manager", conflict_reason="Everyone else is on leave until after the notice period.")
    assert ready_task(db, drive.case, "UserTask_Invite")


def test_a_warning_for_12_months_issued_on_29_january_counts_until_the_end_of_28_january():
    assert warning_register.expiry(date(2026, 1, 29), 12) == date(2027, 1, 28)
    assert warning_register.expiry(date(2026, 8, 31), 6) == date(2027, 2, 27)  # 28 Feb is six months on, less a day


def test_an_expired_warning_no_longer_counts(ctx, db, people, open_case, frozen_clock):
    from datetime import datetime

    frozen_clock.freeze(datetime(2026, 1, 20, 10, 0, tzinfo=UTC))
    drive = open_case()
    drive.to_decision(at="2026-01-29T10:00")  # decided on 29 January
    drive.decide(sanction="final_written", serious_first_offence_reason="A child was identifiable.")
    [warning] = warning_register.warnings_of(db, people["employee"])
    assert warning.live_on(date(2027, 1, 28)) and not warning.live_on(date(2027, 1, 29))
    frozen_clock.freeze(datetime(2027, 1, 28, 23, 0, tzinfo=UTC))
    open_case()
    assert case_data(_latest(db))["has_live_final_warning"] is True
    frozen_clock.freeze(datetime(2027, 1, 29, 9, 0, tzinfo=UTC))
    later = open_case().case
    assert case_data(later)["live_warnings"] == [] and case_data(later)["dismissal_possible"] is False


def _latest(db) -> Case:
    return db.scalar(select(Case).where(Case.kind == "disciplinary").order_by(Case.id.desc()))


def test_the_evidence_of_a_referral_is_disclosed_to_the_employee(ctx, db, people):
    breach, _ = referred(ctx, db, people)
    case = db.scalar(select(Case).where(Case.parent_id == breach.id))
    carried = case_evidence(db, case)
    assert [item.url for item in carried] == ["https://facebook.com/posts/1"]
    assert all(item.shared_with_subject for item in carried)
    assert not case_evidence(db, breach)[0].shared_with_subject

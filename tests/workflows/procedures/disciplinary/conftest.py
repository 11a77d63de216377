"""People and a way through bpmn/disciplinary.bpmn for its path tests."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from models import PersonType, Role
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import complete
from workflows.engine import clock
from workflows.engine.queries import case_data
from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary


@pytest.fixture
def people(db):
    line_manager = make_manager(db, "Mark Taylor")
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "hub": make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,)),
        "manager": line_manager,
        "officer": make_manager(db, "Priya Shah"),
        "appeal": make_user(db, "Anne Appeal", roles=(Role.HUB_MANAGER,)),
        "employee": make_user(db, "Ellie Jones", line_manager=line_manager),
        "volunteer": make_user(db, "Vic Patel", person_type=PersonType.VOLUNTEER),
    }


class Drive:
    """Steps of one case, with sensible answers unless told otherwise."""

    def __init__(self, ctx, case, people):
        self.ctx, self.case, self.people = ctx, case, people

    def step(self, bpmn_id, who, **data):
        return complete(self.ctx, self.case, bpmn_id, self.people[who], **data)

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


@pytest.fixture
def open_case(ctx, people):
    def opening(subject="employee", gross=False, clauses=("SMP-5.5",)):
        case = open_disciplinary(
            ctx,
            people["hr"],
            DisciplinaryOpening(
                subject=people[subject],
                clauses=list(clauses),
                reason="Admitted in writing; facts not in dispute.",
                allegation="Posted a photo of a service user on a public Facebook page without consent.",
                alleged_gross_misconduct=gross,
            ),
        )
        return Drive(ctx, case, people)

    return opening

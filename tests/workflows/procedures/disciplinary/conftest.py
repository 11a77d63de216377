"""People and a way through bpmn/disciplinary.bpmn for its path tests."""

from __future__ import annotations

import pytest

from models import PersonType, Role
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.procedures.disciplinary.drive import Drive
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

"""The diagram contract (workflows/engine/diagram_contract.py): every diagram
fits its procedure, and a misspelt lane, form, notice, status or data name is
an error naming the diagram and the element."""

from __future__ import annotations

import dataclasses

import pytest

from workflows.engine import diagram_contract, registry
from workflows.engine.errors import ProcedureError
from workflows.engine.specs import ProcessLibrary
from workflows.procedures import BPMN_DIR


def test_every_diagram_fits_its_procedure(library):
    assert diagram_contract.check(registry.procedures(), library) == []


def test_every_diagram_in_bpmn_belongs_to_a_procedure():
    claimed = {p.diagram.resolve() for p in registry.procedures()}
    assert set(BPMN_DIR.resolve().glob("*.bpmn")) == claimed


def problems_after(tmp_path, kind: str, old: str, new: str) -> list[str]:
    """Check a copy of `kind`'s diagram with `old` replaced by `new`."""
    procedure = registry.get(kind)
    text = procedure.diagram.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {procedure.diagram.name}"
    copy = tmp_path / procedure.diagram.name
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    changed = dataclasses.replace(procedure, diagram=copy)
    return [str(p) for p in diagram_contract.check([changed], ProcessLibrary([copy]))]


@pytest.mark.parametrize(
    "kind, old, new, expected",
    [
        (
            "takedown_request",
            'name="Subject"',
            'name="Subjet"',
            "takedown_request.bpmn, Lane_Subject: lane 'Subjet' is not a case role of takedown_request",
        ),
        (
            "breach_investigation",
            'name="Hub Manager"',
            'name="Appeal officer"',
            "breach_investigation.bpmn, Lane_HubManager: lane 'Appeal officer' is not a case role",
        ),
        (
            "takedown_request",
            'value="takedown_verification"',
            'value="takedown_verify"',
            "takedown_request.bpmn, UserTask_Verify: form 'takedown_verify' is not a step of takedown_request",
        ),
        (
            "takedown_request",
            'value="takedown_reminder"',
            'value="takedown_remind"',
            "takedown_request.bpmn, Event_ReminderSent: notice 'takedown_remind' has no template",
        ),
        (
            "breach_investigation",
            'value="outcome_no_case"',
            'value="outcome_none"',
            "breach_investigation.bpmn, EndEvent_NoCase: letter 'outcome_none' has no template",
        ),
        (
            "breach_investigation",
            'name="case_status" value="referred"',
            'name="case_status" value="refered"',
            "breach_investigation.bpmn, EndEvent_Referred: status 'refered' is not a status",
        ),
        (
            "breach_investigation",
            'name="notify_to" value="Hub Manager"',
            'name="notify_to" value="Hub manager"',
            "breach_investigation.bpmn, Event_IcoOverdue: notify_to names 'Hub manager', not a case role",
        ),
        (
            "takedown_request",
            'name="notify_to" value="Subject"',
            'name="notify_too" value="Subject"',
            "takedown_request.bpmn, Event_NoticeSent: unknown property 'notify_too'",
        ),
        (
            "disciplinary",
            'value="appeal_received"',
            'value="appeal_recieved"',
            "disciplinary.bpmn, UserTask_AppointAppealOfficer: notice 'appeal_recieved' has no template",
        ),
        (
            "disciplinary",
            'name="due_at" value="appeal_deadline_at"',
            'name="due_at" value="appeal_deadline"',
            "disciplinary.bpmn, UserTask_Appeal: due_at reads 'appeal_deadline', which nothing before it produces",
        ),
        (
            "breach_investigation",
            "personal_data_published == True",
            "personal_data_publish == True",
            "breach_investigation.bpmn, Gateway_PersonalData: the condition on "
            "Flow_PersonalData_AssessDataBreach reads 'personal_data_publish', which nothing before it produces",
        ),
        (
            "takedown_request",
            "deadline_at = deadline_from_now(deadline_hours)",
            "deadline_at = deadline_from_now(deadline_hour)",
            "takedown_request.bpmn, ScriptTask_SetDeadline: the script reads 'deadline_hour'",
        ),
        (
            "breach_investigation",
            ">account_deadline_at</bpmn:timeDate>",
            ">account_deadline</bpmn:timeDate>",
            "breach_investigation.bpmn, Timer_AccountDeadline: the timer reads 'account_deadline'",
        ),
    ],
)
def test_a_misspelling_is_named_with_its_element(tmp_path, kind, old, new, expected):
    found = problems_after(tmp_path, kind, old, new)
    assert any(p.startswith(expected) for p in found), found


def test_a_user_task_outside_every_lane_is_refused(tmp_path):
    found = problems_after(tmp_path, "takedown_request", "<bpmn:flowNodeRef>UserTask_Verify</bpmn:flowNodeRef>", "")
    assert "takedown_request.bpmn, UserTask_Verify: the user task is in no lane" in found[0]


def test_the_app_will_not_start_with_a_diagram_that_does_not_fit(db, settings, tmp_path):
    from webapp import create_app

    procedure = registry.get("takedown_request")
    broken = tmp_path / procedure.diagram.name
    broken.write_text(procedure.diagram.read_text().replace('name="Subject"', 'name="Subjet"'))
    library = ProcessLibrary([broken, registry.get("breach_investigation").diagram])
    with pytest.raises(ProcedureError, match="Lane_Subject: lane 'Subjet'"):
        create_app(
            {
                "SECRET_KEY": "x",
                "DATABASE_URL": "sqlite://",
                "PROCESS_LIBRARY": library,
                "INSTANCE_PATH": str(tmp_path / "instance"),
            }
        )

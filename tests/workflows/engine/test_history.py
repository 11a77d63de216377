"""Finished tasks are forgotten before each save (workflows/engine/history.py):
the state stays the size of the case's present, and the case goes on
exactly as if nothing had been forgotten."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from SpiffWorkflow.util.task import TaskState

from models import Role
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import ready_tasks
from tests.workflows.procedures.disciplinary.drive import Drive
from workflows.engine import history
from workflows.engine.queries import case_data, step_states
from workflows.engine.specs import ProcessLibrary
from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary

JOIN = Path(__file__).with_name("three_way_join.bpmn")


def saved_and_restored(library, workflow, forget: bool):
    if forget:
        history.forget_finished(workflow)
    return library.serializer.from_dict(library.serializer.to_dict(workflow))


def answer(library, workflow, bpmn_id: str, forget: bool, **data):
    (task,) = [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.name == bpmn_id]
    task.data.update(data)
    task.run()
    workflow.do_engine_steps()
    return saved_and_restored(library, workflow, forget)


def test_a_join_with_three_inputs_still_fires_when_each_arrival_is_saved_apart():
    """The first arrival's join instance is cancelled when the second
    arrives; forgetting it would leave the join waiting for ever."""
    library = ProcessLibrary([JOIN])
    outcomes = {}
    for forget in (False, True):
        workflow = library.start("three_way_join")
        workflow.do_engine_steps()
        workflow = saved_and_restored(library, workflow, forget)
        for bpmn_id, data in (("UserTask_B", {"b": 2}), ("UserTask_A", {"a": 1}), ("UserTask_C", {"c": 3})):
            workflow = answer(library, workflow, bpmn_id, forget, **data)
        ready = workflow.get_tasks(state=TaskState.READY)
        outcomes[forget] = ([t.task_spec.name for t in ready], ready[0].data if ready else None, len(workflow.tasks))
    assert outcomes[True][:2] == outcomes[False][:2] == (["UserTask_Summary"], {"a": 1, "b": 2, "c": 3})
    assert outcomes[True][2] < outcomes[False][2]


def hearing_case(ctx, db):
    line_manager = make_manager(db, "Mark Taylor")
    people = {
        "hr": make_hr(db, "Hana Hussain"),
        "officer": make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,)),
        "employee": make_user(db, "Ellie Jones", line_manager=line_manager),
    }
    opening = DisciplinaryOpening(
        subject=people["employee"],
        clauses=["SMP-5.5"],
        reason="Admitted in writing.",
        allegation="Posted a photo of a service user without consent.",
    )
    drive = Drive(ctx, open_disciplinary(ctx, people["hr"], opening), people)
    drive.appoint()
    drive.invite()
    return drive


def postpone(drive, turns: int) -> None:
    """The companion cannot come; the first request is granted by the
    procedure, each later one by HR."""
    for _ in range(turns):
        later = datetime.fromisoformat(case_data(drive.case)["hearing_at"]) + timedelta(days=1)
        first = case_data(drive.case).get("postponements", 0) == 0
        drive.companion(companion_unavailable=True, proposed_at=later.isoformat(timespec="minutes"))
        if not first:
            drive.step(
                "UserTask_DecidePostponement",
                "hr",
                postponement_granted=True,
                postponement_reasons="The companion's reason is good and the date is close.",
            )


def test_a_hearing_postponed_again_and_again_keeps_a_constant_state_and_goes_on(ctx, db):
    drive = hearing_case(ctx, db)
    postpone(drive, 2)
    after_two = len(drive.case.state["tasks"])
    postpone(drive, 10)
    assert len(drive.case.state["tasks"]) == after_two
    assert case_data(drive.case)["postponements"] == 12
    steps = step_states(drive.case)
    assert {"UserTask_Invite", "UserTask_DecidePostponement", "ScriptTask_Postpone"} <= set(steps["completed"])
    assert "UserTask_Companion" in steps["current"] and "UserTask_Companion" not in steps["completed"]
    drive.companion()
    drive.hear()
    drive.decide()
    assert [t.bpmn_id for t in ready_tasks(db, drive.case)] == ["UserTask_Appeal"]
    assert case_data(drive.case)["sanction"] == "first_written"

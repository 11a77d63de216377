"""What HR records at any point of an investigation, not only at triage
(docs/domain.md, "Breach investigation"): a precautionary suspension that
has become necessary, and others' personal data found published, which
starts the 72-hour ICO assessment then. The diagram takes each on a branch
of its own beside the main line (the elements named `During_...`)."""

from __future__ import annotations

from SpiffWorkflow.util.task import TaskState as SpiffState

from models import Role
from workflows.engine import queries
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.registry import Derived, Recording
from workflows.engine.stepdata import StepData, text

SIDE = "During_"
# The review loop of a suspension given at triage runs beside the main line too.
REVIEW_LOOP = (
    "Event_SuspensionNotice",
    "Gateway_ReviewMerge",
    "ScriptTask_ScheduleReview",
    "Timer_ReviewDue",
    "UserTask_ReviewSuspension",
    "Gateway_Lift",
    "Event_SuspensionLifted",
    "EndEvent_SuspensionEnded",
)
DATA_ASSESSMENTS = (
    "UserTask_AssessDataBreach",
    "UserTask_HubManagerIco",
    "During_AssessDataBreach",
    "During_HubManagerIco",
)


class SuspensionStart(StepData):
    suspension_reason = text(2000, required="Give the reason for suspension.", min_length=10)


class PersonalDataFound(StepData):
    personal_data_found = text(4000, required="Say what personal data was found, and where.", min_length=10)


def suspension_live(ctx: Context, case) -> bool:
    """Told in writing they are suspended, and not told since that it ended."""
    letters = [letter for letter in queries.letters(ctx.db, case) if letter.kind.startswith("suspension_")]
    return bool(letters) and max(letters, key=lambda item: (item.issued_at, item.id)).kind == "suspension_notice"


def check_suspension(ctx: Context, case, user, data: dict) -> Derived:
    if suspension_live(ctx, case):
        raise InvalidInput(
            f"{case.subject.name} is suspended already: its review decides whether it continues.", "suspension_reason"
        )
    return Derived(data={"suspension_needed": True})


def check_personal_data(ctx: Context, case, user, data: dict) -> Derived:
    """Once is enough: the assessment decides about all of it."""
    if queries.case_data(case).get("personal_data_published") or _assessing(case):
        raise InvalidInput(
            "Published personal data is already recorded on this case: its ICO assessment covers it "
            "(add what you found to the case file).",
            "personal_data_found",
        )
    return Derived(data={"personal_data_published": True})


def _assessing(case) -> bool:
    return any(row.bpmn_id in DATA_ASSESSMENTS for row in case.ready_tasks)


RECORDINGS = {
    "suspension_started": Recording(
        "a precautionary suspension", SuspensionStart, (Role.HR,), check_suspension, derives=("suspension_needed",)
    ),
    "personal_data_found": Recording(
        "personal data found", PersonalDataFound, (Role.HR,), check_personal_data, derives=("personal_data_published",)
    ),
}


def assessment_waiting(case) -> str | None:
    """An ICO assessment still to decide: the outcome waits for it."""
    return next((row.title for row in case.ready_tasks if row.bpmn_id in DATA_ASSESSMENTS), None)


_SETTLED = (SpiffState.COMPLETED, SpiffState.READY)


def live_suspension_reason(case) -> str | None:
    """The reason given for the suspension now under review: the review
    loop's waiting tasks carry the data of the notice that started it."""
    tasks = case.state.get("tasks", {})
    waiting = [
        (task.get("last_state_change", 0), key)
        for key, task in tasks.items()
        if task.get("task_spec") in REVIEW_LOOP
        and task.get("state") not in (SpiffState.COMPLETED, SpiffState.CANCELLED)
    ]
    return queries.replay(case, max(waiting)[1]).get("suspension_reason") if waiting else None


def current_data(case) -> dict:
    """The main line's data: that of its latest step done or waiting (a side
    branch carries a copy of the case's data as it was when it was recorded)."""
    tasks = case.state.get("tasks", {})
    latest, when = None, -1.0
    for key, task in tasks.items():
        spec = task.get("task_spec", "")
        main_line = not spec.startswith(SIDE) and spec not in REVIEW_LOOP
        if main_line and task.get("state") in _SETTLED and task.get("last_state_change", 0) >= when:
            latest, when = key, task.get("last_state_change", 0)
    return queries.replay(case, latest or case.state.get("last_task"))

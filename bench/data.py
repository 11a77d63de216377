"""Real cases through the operations layer, and paths through the diagram."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, CaseTask, Role, TaskState, User
from workflows import procedures
from workflows.demo import DEMO_PNG
from workflows.engine import clock
from workflows.engine.context import Context, Settings
from workflows.engine.evidence import store_upload
from workflows.engine.specs import ProcessLibrary
from workflows.engine.tasks import complete_task, open_task
from workflows.procedures.takedown.opening import TakedownRequest, request_takedown

from .common import add_person

# Form data exactly as the web forms hand it over (TaskForm.to_data).
RESPOND_REMOVED = {"response": "removed", "confirmation": "Deleted the post", "dispute_grounds": ""}
VERIFY_REMOVED = {"verification": "removed", "verification_notes": ""}

# Steps after opening, for each end state: (task, who does it, form data).
PATHS: dict[str, list[tuple[str, str, dict]]] = {
    "respond": [],
    "verify": [("UserTask_Respond", "subject", RESPOND_REMOVED)],
    "decide": [
        (
            "UserTask_Respond",
            "subject",
            {"response": "refuse", "confirmation": "", "dispute_grounds": "It is my own account"},
        )
    ],
    "closed": [("UserTask_Respond", "subject", RESPOND_REMOVED), ("UserTask_Verify", "requester", VERIFY_REMOVED)],
    "withdrawn": [
        (
            "UserTask_Respond",
            "subject",
            {"response": "dispute", "confirmation": "", "dispute_grounds": "It expresses my belief"},
        ),
        (
            "UserTask_ReviewDispute",
            "hr",
            {
                "review_decision": "withdraw",
                "review_reasons": "Protected belief, moderately put.",
                "proportionality_considered": True,
            },
        ),
    ],
    "no_action": [
        ("UserTask_Respond", "subject", {"response": "refuse", "confirmation": "", "dispute_grounds": "No"}),
        (
            "UserTask_DecideEscalation",
            "hr",
            {"escalation_decision": "no_further_action", "escalation_reasons": "Removed since, first time."},
        ),
    ],
}


@lru_cache(maxsize=1)
def library() -> ProcessLibrary:
    procedures.load()
    return ProcessLibrary()


def context(db: Session, workdir: str) -> Context:
    return Context(db, library(), Settings(evidence_dir=Path(workdir) / "evidence", base_url="http://casework.bench"))


def open_takedown(ctx: Context, requester: User, subject: User, deadline_hours: float = 24) -> Case:
    return request_takedown(
        ctx,
        requester,
        TakedownRequest(
            subject=subject,
            platform="Facebook",
            urls=["https://facebook.com/posts/123"],
            clauses=["SMP-5.6"],
            reasons="Derogatory comments about a service user.",
            deadline_hours=deadline_hours,
            evidence=[store_upload(ctx.settings, BytesIO(DEMO_PNG), "post.png", requester, "Captured", clock.now())],
            captured_at=clock.now(),
        ),
    )


def ready_task(db: Session, case_id: int, bpmn_id: str) -> CaseTask:
    return db.scalar(
        select(CaseTask).where(
            CaseTask.case_id == case_id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )


def drive(ctx: Context, case: Case, path: str, people: dict[str, User]) -> Case:
    """Take an open case along one of PATHS, committing each step."""
    for bpmn_id, who, data in PATHS[path]:
        task = open_task(ctx.db, people[who], ready_task(ctx.db, case.id, bpmn_id).id)
        complete_task(ctx, task, dict(data))
        ctx.db.commit()
    return case


def trio(db: Session, tag: str) -> dict[str, User]:
    """A requester (manager), a subject (their report) and an HR officer."""
    manager = add_person(db, f"Mo Manager {tag}", f"manager.{tag}@bcwhub.test", (Role.MANAGER,))
    return {
        "requester": manager,
        "subject": add_person(db, f"Eve Employee {tag}", f"eve.{tag}@bcwhub.test", line_manager=manager),
        "hr": add_person(db, f"Hana HR {tag}", f"hr.{tag}@bcwhub.test", (Role.HR,)),
    }

"""Two browsers submit the same step: it is completed once, and the other
person gets a page naming who completed it. These tests commit for real."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from models import CaseTask, TaskState
from workflows.engine.context import Context
from workflows.engine.tasks import complete_task, explain_conflict, open_task

from ..factories import PASSWORD, make_manager, make_takedown, make_user
from .browserless import Web


@pytest.fixture
def respond_task(committed, library, settings):
    db = committed()
    employee = make_user(db, "Ellie Jones")
    case = make_takedown(Context(db, library, settings), make_manager(db), employee)
    db.commit()
    task = db.scalar(select(CaseTask).where(CaseTask.case_id == case.id, CaseTask.bpmn_id == "UserTask_Respond"))
    db.close()
    return task.id, employee


def test_two_browsers_submitting_at_once_complete_the_step_once(committed, library, settings, tmp_path, respond_task):
    from webapp import create_app

    task_id, employee = respond_task
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "INSTANCE_PATH": str(tmp_path),
            "SESSION_FACTORY": committed,
            "PROCESS_LIBRARY": library,
            "EVIDENCE_DIR": str(settings.evidence_dir),
            "DATABASE_URL": "sqlite://",
        }
    )
    browsers = [Web(app.test_client()), Web(app.test_client())]
    tokens = []
    for web in browsers:
        web.login(employee, PASSWORD)
        tokens.append(web.token(f"/tasks/{task_id}"))
    start, results = threading.Barrier(2), []

    def submit(web, token):
        start.wait()
        results.append(web.client.post(f"/tasks/{task_id}", data={"response": "removed", "csrf_token": token}))

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(browsers, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(r.status_code for r in results) == [302, 409]
    loser = next(r for r in results if r.status_code == 409).get_data(as_text=True)
    assert "already completed by <strong>Ellie Jones</strong>" in loser
    db = committed()
    row = db.get(CaseTask, task_id)
    assert row.state == TaskState.COMPLETED and row.completed_by_id == employee.id
    verify_tasks = db.scalars(select(CaseTask).where(CaseTask.bpmn_id == "UserTask_Verify")).all()
    assert len(verify_tasks) == 1  # the step ran on once, not twice
    db.close()


def test_the_slower_save_loses_on_the_version_check(committed, library, settings, respond_task):
    """Both read the case before either saves; the version check stops the second."""
    task_id, employee = respond_task
    slow, fast = committed(), committed()
    if slow.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE, so the second reader waits instead")
    seen = slow.get(CaseTask, task_id)  # the slow request has read the step and its case
    assert seen.state == TaskState.READY and seen.case.state
    fast_user = fast.merge(employee)
    complete_task(Context(fast, library, settings), open_task(fast, fast_user, task_id), {"response": "removed"})
    fast.commit()
    with pytest.raises(StaleDataError):
        slow_user = slow.merge(employee)
        complete_task(
            Context(slow, library, settings),
            open_task(slow, slow_user, task_id),
            {"response": "dispute", "dispute_grounds": "No"},
        )
    slow.rollback()
    conflict = explain_conflict(slow, task_id)
    assert conflict.by == "Ellie Jones" and conflict.outcome == "completed"

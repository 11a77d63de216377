"""A save made from stale objects loses to the save that came first: the
case's version column (models/cases.py) makes every save "UPDATE ... WHERE
version = <the one I read>". Runs on SQLite and PostgreSQL; commits for real."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm.exc import StaleDataError

from models import Base, Case, CaseTask, TaskState, make_session_factory
from tests.factories import make_manager, make_takedown, make_user
from workflows.engine import queries
from workflows.engine.context import Context
from workflows.engine.tasks import complete_task, explain_conflict, open_task


@pytest.fixture
def committed(engine):
    """Sessions that really commit; every table is emptied afterwards
    (as in tests/webapp/test_concurrent_submits.py)."""
    factory, opened = make_session_factory(engine), []

    def sessions():
        opened.append(factory())
        return opened[-1]

    yield sessions
    for session in opened:  # a failed test must not leave a lock behind
        session.close()
    with engine.begin() as connection:
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        if connection.dialect.name == "postgresql":
            # Past the audit trail's triggers, which refuse TRUNCATE (migration 0008).
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


def test_completing_a_step_from_stale_objects_fails_and_the_first_completion_stands(committed, library, settings):
    setup = committed()
    employee = make_user(setup, "Ellie Jones")
    case = make_takedown(Context(setup, library, settings), make_manager(setup), employee)
    setup.commit()
    case_id = case.id
    task_id = setup.scalar(
        select(CaseTask.id).where(CaseTask.case_id == case_id, CaseTask.bpmn_id == "UserTask_Respond")
    )
    setup.close()

    slow, fast = committed(), committed()
    stale = open_task(slow, slow.merge(employee), task_id)  # the task, its case and its state
    seen = stale.case.version
    assert stale.row.state == TaskState.READY
    # End the read transaction (on SQLite it holds the write lock: BEGIN
    # IMMEDIATE) but keep its objects: expire_on_commit=False.
    slow.commit()

    winner = open_task(fast, fast.merge(employee), task_id)
    complete_task(Context(fast, library, settings), winner, {"response": "removed"})
    fast.commit()

    assert stale.row.state == TaskState.READY and stale.case.version == seen  # still what it saw
    with pytest.raises(StaleDataError):
        complete_task(
            Context(slow, library, settings), stale, {"response": "dispute", "dispute_grounds": "It was not me."}
        )
    slow.rollback()
    conflict = explain_conflict(slow, task_id)
    assert conflict.by == "Ellie Jones" and conflict.outcome == "completed"
    slow.rollback()  # end its read (SQLite's write lock) before the next session reads

    check = committed()
    saved = check.get(Case, case_id)
    assert saved.version == seen + 1  # one save since the slow read: the winner's
    assert queries.case_data(saved)["response"] == "removed"
    ready = check.scalars(
        select(CaseTask.bpmn_id).where(CaseTask.case_id == case_id, CaseTask.state == TaskState.READY)
    ).all()
    assert ready == ["UserTask_Verify"]  # the dispute never reached HR
    respond = check.get(CaseTask, task_id)
    assert respond.state == TaskState.COMPLETED and respond.completed_by_id == employee.id

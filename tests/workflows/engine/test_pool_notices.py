"""A step waiting in a pool tells every member of the pool, once, through the
outbox: never the person who just acted, and never someone the same operation
has already emailed about the case."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from models import OutboxMessage
from tests.factories import make_hr, make_inaccuracy_report, make_user
from tests.workflows.helpers import outbox, ready_task, ready_tasks
from tests.workflows.procedures.monitoring import make_finding
from workflows.engine.running import STEP_WAITING


def test_a_pool_step_tells_each_other_member_of_the_pool_once(ctx, db):
    recorder, colleague, another = make_hr(db, "Hana HR"), make_hr(db, "Omar HR"), make_hr(db, "Priya HR")
    case = make_finding(ctx, recorder, make_user(db, "Ellie Employee"))
    decide = ready_task(db, case, "UserTask_Decide")
    assert decide.assignee_id is None and decide.pool_role == "hr"
    told = Counter(to for template, to in outbox(db, case) if template == STEP_WAITING)
    assert told == {colleague.email: 1, another.email: 1}  # not the recorder: it is in front of them
    message = db.scalar(select(OutboxMessage).where(OutboxMessage.to_email == colleague.email))
    assert decide.title in message.subject and case.reference in message.subject
    assert f"/cases/{case.reference}" in message.body


def test_a_pool_member_already_told_in_the_same_operation_gets_no_second_email(ctx, db):
    hr, other_hr = make_hr(db, "Hana HR"), make_hr(db, "Omar HR")
    reporter = make_user(db, "Sam Nomanager")  # no line manager: the report goes to HR's pool
    case = make_inaccuracy_report(ctx, reporter)
    [step] = ready_tasks(db, case)
    assert step.assignee_id is None and step.pool_role == "hr"
    emails = Counter(to for _template, to in outbox(db, case))
    assert emails[hr.email] == 1 and emails[other_hr.email] == 1, outbox(db, case)
    assert STEP_WAITING not in {template for template, _to in outbox(db, case)}

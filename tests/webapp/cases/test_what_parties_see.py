"""What the parties who do not work a case are shown of it, in every procedure:
its subject sees a plain status in their own words and their own steps, never
HR's step names; a reporter sees nothing of it and is told only that it was
opened and when it closed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import OutboxMessage, Role
from tests.factories import make_breach, make_hr, make_inaccuracy_report, make_manager, make_takedown, make_user
from tests.workflows.helpers import complete, outbox, ready_tasks
from tests.workflows.procedures.breach.test_paths import investigate, triage
from tests.workflows.procedures.monitoring import make_finding, restriction
from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary


@pytest.fixture
def people(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "manager": manager,
        "investigator": make_manager(db, "Ivan Investigator"),
        "hub": make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,)),
        "employee": make_user(db, "Ellie Jones", line_manager=manager),
    }


def breach(ctx, people):
    return make_breach(ctx, people["hr"], people["employee"], reported_by=people["manager"])


def disciplinary(ctx, people):
    opening = DisciplinaryOpening(
        subject=people["employee"],
        clauses=["SMP-5.5"],
        allegation="Posted a photo of a service user on a public page without consent.",
        reason="She admitted it in writing; the facts are not in dispute.",
    )
    return open_disciplinary(ctx, people["hr"], opening)


def takedown_escalated(ctx, people):
    case = make_takedown(ctx, people["manager"], people["employee"])
    complete(ctx, case, "UserTask_Respond", people["employee"], response="refuse", dispute_grounds="It is my account.")
    return case


def inaccuracy(ctx, people):
    return make_inaccuracy_report(ctx, people["employee"])


# Each procedure's case as it waits on someone else, and what its subject is told instead.
WAITING_ON_OTHERS = [
    (breach, "HR is looking into a report"),
    (disciplinary, "HR is looking into a report"),
    (takedown_escalated, "HR is looking into this request"),
    (inaccuracy, "Your report is with your line manager"),
]


@pytest.mark.parametrize(("open_case", "plain"), WAITING_ON_OTHERS, ids=lambda v: getattr(v, "__name__", ""))
def test_the_subject_sees_a_plain_status_and_none_of_hr_s_step_names(ctx, db, web, people, open_case, plain):
    case = open_case(ctx, people)
    waiting = [t.title for t in ready_tasks(db, case) if t.assignee_id != people["employee"].id]
    assert waiting, "the case waits on someone else"
    web.login(people["employee"])
    for page in (web.text(f"/cases/{case.reference}"), web.text("/cases/")):
        assert plain in page
        for title in waiting:
            assert title not in page, title
        assert case.current_step not in page
    web.logout()
    web.login(people["hr"])
    staff = web.text(f"/cases/{case.reference}")  # HR still sees where the case is
    assert plain not in staff and all(title in staff for title in waiting)


def test_a_monitoring_finding_s_subject_once_told_sees_their_restriction_in_plain_words(ctx, db, web, people):
    case = make_finding(ctx, people["hr"], people["employee"])
    web.login(people["employee"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 403  # not told of it yet
    complete(ctx, case, "UserTask_Decide", people["hr"], **restriction())
    page = web.text(f"/cases/{case.reference}")
    assert "Your access to social media sites is restricted (see your letters)" in page
    assert "Access restricted" not in page  # HR's name for the status


def test_the_subject_is_shown_their_own_step(ctx, db, web, people):
    case = make_takedown(ctx, people["manager"], people["employee"])
    web.login(people["employee"])
    page = web.text(f"/cases/{case.reference}")
    assert "BCW Hub has asked you to remove content" in page
    assert "Your step:" in page and "Respond to takedown notice" in page and "Open this step" in page


def test_a_reporter_sees_nothing_and_is_told_only_of_opening_and_closing(ctx, db, web, people):
    case = breach(ctx, people)
    reporter = people["manager"]
    told = [template for template, to in outbox(db, case) if to == reporter.email]
    assert told == ["reporter_case_opened"]
    triage(ctx, case, people)
    investigate(ctx, db, case, people)
    assert [template for template, to in outbox(db, case) if to == reporter.email] == told  # not its steps
    complete(
        ctx,
        case,
        "UserTask_Outcome",
        people["hr"],
        outcome="informal_action",
        outcome_reasons="Removed within the hour.",
        informal_action="Read the policy again with your manager.",
    )
    assert case.closed_at
    assert [template for template, to in outbox(db, case) if to == reporter.email] == [*told, "reporter_case_closed"]
    web.login(reporter)
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert case.reference not in web.text("/cases/")


def test_the_reporter_s_notice_names_the_case_and_nothing_of_its_working(ctx, db, people):
    case = breach(ctx, people)
    [opened] = db.scalars(
        select(OutboxMessage).where(OutboxMessage.case_id == case.id, OutboxMessage.template == "reporter_case_opened")
    )
    assert opened.to_email == people["manager"].email
    assert case.reference in opened.subject and case.reference in opened.body
    for hidden in (people["employee"].name, "SMP-5.5", "/cases/", "Triage"):
        assert hidden not in opened.body, hidden

"""Who sees a report of inaccurate information [SMP-5.12], from both sides:
the person reporting and their line manager do; colleagues and other staff
do not; the Hub Manager does once it is passed to them, and not before.
Every refusal is a 403, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, CaseTask, Role, TaskState
from tests.factories import make_hr, make_inaccuracy_report, make_manager, make_user
from tests.workflows.helpers import complete


@pytest.fixture
def staff(db):
    manager = make_manager(db, "Mark Taylor")
    return {
        "manager": manager,
        "other_manager": make_manager(db, "Priya Shah"),
        "hub": make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,)),
        "hr": make_hr(db, "Hana Hussain"),
        "reporter": make_user(db, "Sam Wright", line_manager=manager),
        "colleague": make_user(db, "Tom Baker", line_manager=manager),  # same line manager
        "stranger": make_user(db, "Olly Outsider"),
    }


@pytest.fixture
def case(ctx, staff):
    return make_inaccuracy_report(ctx, staff["reporter"])


def step(db, case) -> CaseTask:
    return db.scalar(select(CaseTask).where(CaseTask.case_id == case.id, CaseTask.state == TaskState.READY))


def pass_on(ctx, case, staff):
    complete(ctx, case, "UserTask_Decide", staff["manager"], decision="pass_to_hub_manager", reasons="For the Hub.")


def status(web, user, url) -> int:
    web.login(user)
    code = web.client.get(url).status_code
    web.logout()
    return code


def test_the_reporter_and_the_line_manager_see_it(db, web, case, staff):
    task = f"/tasks/{step(db, case).id}"
    assert status(web, staff["reporter"], f"/cases/{case.reference}") == 200
    assert status(web, staff["reporter"], task) == 403  # theirs to report, not to decide
    assert status(web, staff["manager"], f"/cases/{case.reference}") == 200
    assert status(web, staff["manager"], task) == 200
    web.login(staff["reporter"])
    assert case.reference in web.text("/cases/")
    web.logout()
    web.login(staff["manager"])
    assert case.reference in web.text("/cases/") and "Decide what to do about the report" in web.text("/")


@pytest.mark.parametrize("who", ["colleague", "stranger", "other_manager", "hub"])
def test_colleagues_and_other_staff_do_not(db, web, case, staff, who):
    task = f"/tasks/{step(db, case).id}"
    web.login(staff[who])
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert web.client.get(task).status_code == 403
    posted = {"decision": "no_action", "reasons": "Nothing to do here.", "csrf_token": web.token("/")}
    assert web.client.post(task, data=posted).status_code == 403
    assert case.reference not in web.text("/cases/")
    assert "Decide what to do about the report" not in web.text("/")
    denied = db.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "access_denied")
    ).all()
    assert len(denied) == 3 and all(e.actor_id == staff[who].id for e in denied)
    assert step(db, case).state == TaskState.READY


def test_the_hub_manager_sees_it_once_passed_to_them(ctx, db, web, case, staff):
    assert status(web, staff["hub"], f"/cases/{case.reference}") == 403
    pass_on(ctx, case, staff)
    web.login(staff["hub"])
    assert "Decide on the passed-on report" in web.text("/")
    page = web.text(f"/cases/{case.reference}")
    assert "Sam Wright" in page and 'id="case-diagram"' not in page  # a pool's member: the summary and the step
    assert web.client.get(f"/tasks/{step(db, case).id}").status_code == 200
    web.submit(f"/tasks/{step(db, case).id}", {"hub_decision": "no_action", "hub_reasons": "It was fixed today."})
    assert case.reference in web.text("/cases/")  # named on the case now: it stays theirs to see
    assert web.client.get(f"/cases/{case.reference}").status_code == 200
    web.logout()
    for who in ("colleague", "other_manager"):  # passing it on shows it to nobody else
        assert status(web, staff[who], f"/cases/{case.reference}") == 403


def test_hr_sees_reports_as_hr_does_every_case(db, web, case, staff):
    assert status(web, staff["hr"], f"/cases/{case.reference}") == 200


def test_a_reporter_whose_report_goes_to_hr_is_not_offered_it_as_hr(ctx, db, web, staff):
    reporter = make_hr(db, "Helen Reporting")  # HR, with no line manager: her report goes to HR's pool
    case = make_inaccuracy_report(ctx, reporter)
    web.login(reporter)
    assert "Decide what to do about the report" not in web.text("/")
    assert web.client.get(f"/tasks/{step(db, case).id}").status_code == 403
    page = web.text(f"/cases/{case.reference}")
    assert "Notices sent to you" in page and 'id="case-diagram"' not in page
    web.logout()
    web.login(staff["hr"])
    assert "Decide what to do about the report" in web.text("/")

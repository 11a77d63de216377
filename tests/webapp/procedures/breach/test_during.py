"""Recording a suspension or personal data found at any step: HR's pages,
their bad input, and who may not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Letter
from tests.conftest import START
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import complete, ready_task
from workflows.engine import clock, events
from workflows.procedures.breach.opening import BreachReport, open_breach


@pytest.fixture
def people(db):
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "investigator": make_manager(db, "Ivan Investigator"),
        "employee": make_user(db, "Ellie Jones"),
    }


@pytest.fixture
def case(ctx, db, people):
    report = BreachReport(people["employee"], "monitoring", ["SMP-5.6"], "Derogatory comments found in monitoring.")
    case = open_breach(ctx, people["hr"], report)
    complete(
        ctx, case, "UserTask_Triage", people["hr"], severity="low", personal_data_published=False,
        suspension_needed=False, suspension_reason="", investigator_id=people["investigator"].id,
        manager_conflict_reason="",
    )  # fmt: skip
    db.commit()
    return case


def test_hr_suspends_from_the_case_page_and_bad_input_is_kept_beside_the_field(db, web, people, case):
    web.login(people["hr"])
    page = f"/cases/{case.reference}"
    url = f"/breach/{case.reference}/record/suspension"
    assert url in web.text(page)
    short = web.submit(url, {"suspension_reason": "Short"})
    html = short.get_data(as_text=True)
    assert short.status_code == 200 and "between 10 and 2000 characters" in html and "Short</textarea>" in html
    assert db.scalar(select(Letter.id).where(Letter.case_id == case.id)) is None
    done = web.submit(url, {"suspension_reason": "Two colleagues reported new posts about them."})
    assert done.status_code == 302
    assert db.scalar(select(Letter.kind).where(Letter.case_id == case.id)) == "suspension_notice"
    again = web.submit(url, {"suspension_reason": "And again, while the first is in force."})
    assert "suspended already" in again.get_data(as_text=True)


def test_hr_records_personal_data_found_and_the_assessment_is_theirs(db, web, people, case):
    web.login(people["hr"])
    url = f"/breach/{case.reference}/record/personal-data"
    done = web.submit(url, {"personal_data_found": "A colleague's phone number in a screenshot."})
    assert done.status_code == 302
    assert ready_task(db, case, "During_AssessDataBreach")


@pytest.mark.parametrize("who", ["employee", "investigator"])
def test_the_subject_and_the_investigator_may_not_record_and_the_attempt_is_audited(db, web, people, case, who):
    web.login(people[who])
    assert f"/breach/{case.reference}/record/suspension" not in web.text(f"/cases/{case.reference}")
    assert web.client.get(f"/breach/{case.reference}/record/suspension").status_code == 403
    refused = select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "access_denied")
    assert db.scalar(refused).actor_id == people[who].id


def test_the_case_page_shows_each_wait_with_its_deadline_and_the_subject_sees_none(ctx, db, web, people, case):
    events.record(ctx, case, people["hr"], "suspension_started", {"suspension_reason": "To protect the colleague."})
    events.record(ctx, case, people["hr"], "personal_data_found", {"personal_data_found": "A phone number shown."})
    complete(ctx, case, "UserTask_Investigate", people["investigator"], account_days=7, invitation_message="")
    db.commit()
    web.login(people["hr"])
    html = web.text(f"/cases/{case.reference}")
    for name, at in (
        ("72 hours passed", START + timedelta(hours=72)),
        ("Account deadline passed", START + timedelta(days=7)),  # Monday 9 March
        ("Suspension review due", START + timedelta(days=14)),
    ):
        assert f"{name} — {clock.london(at).strftime('%a %-d %b %Y, %H:%M')}" in html
    web.logout()
    web.login(people["employee"])
    assert "Suspension review due" not in web.text(f"/cases/{case.reference}")

"""A colleague interviewed is a Witness on the case: named by their account,
told once by email where to read their statement, never seeing the case
through any role they hold (an HR officer included), while the case's HR and
investigator go on seeing it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, CaseParty, InterviewNote, OutboxMessage
from tests.factories import make_hr, make_manager, make_user
from tests.workflows.helpers import complete, ready_task
from workflows.procedures.breach.opening import BreachReport, open_breach


@pytest.fixture
def people(db):
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "hr_witness": make_hr(db, "Harriet Hill"),
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


def interview(web, case, **fields):
    page = f"/cases/{case.reference}"
    form = {"witness_id": "0", "witness": "", "interviewed_on": "2026-03-02", "notes": "Saw the post on Sunday."}
    return web.submit(f"{page}/interviews", {**form, **fields}, form_page=page)


def test_an_hr_officer_interviewed_is_a_witness_and_sees_nothing_of_the_case(db, web, people, case):
    web.login(people["investigator"])
    witness = people["hr_witness"]
    assert interview(web, case, witness_id=str(witness.id)).status_code == 302
    note = db.scalar(select(InterviewNote).where(InterviewNote.case_id == case.id))
    assert (note.witness_id, note.witness) == (witness.id, "Harriet Hill")
    roles = db.scalars(select(CaseParty.role).where(CaseParty.case_id == case.id, CaseParty.user_id == witness.id))
    assert list(roles) == ["Witness"]
    web.logout()
    web.login(witness)
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert web.client.get(f"/tasks/{ready_task(db, case, 'UserTask_Investigate').id}").status_code == 403
    assert case.reference not in web.text("/cases/")  # nor in the case list
    refused = select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "access_denied")
    assert db.scalar(refused).actor_id == witness.id
    web.logout()
    web.login(people["hr"])  # the other side: HR not involved still sees it, with the witness named
    assert "Harriet Hill" in web.text(f"/cases/{case.reference}")


def test_someone_acting_on_the_case_or_its_subject_is_refused_as_witness_beside_the_field(db, web, people, case):
    web.login(people["investigator"])
    for person, said in ((people["investigator"], "on this case as Investigator"), (people["employee"], "about")):
        html = interview(web, case, witness_id=str(person.id)).get_data(as_text=True)
        assert said in html and "Saw the post on Sunday.</textarea>" in html
    assert db.scalar(select(InterviewNote.id)) is None


def test_someone_outside_bcw_hub_is_still_a_name(db, web, people, case):
    web.login(people["investigator"])
    assert interview(web, case, witness="Pat Public").status_code == 302
    note = db.scalar(select(InterviewNote).where(InterviewNote.case_id == case.id))
    assert (note.witness_id, note.witness) == (None, "Pat Public")


def test_the_witness_is_told_once_and_sees_their_own_statement_and_nobody_else_does(db, web, people, case):
    web.login(people["investigator"])
    interview(web, case, witness_id=str(people["hr_witness"].id), notes="Harriet saw the post at 9pm.")
    interview(web, case, witness="Pat Public", notes="Pat saw it shared on Monday.")
    again = interview(web, case, witness_id=str(people["hr_witness"].id), notes="Harriet added that it was shared.")
    assert again.status_code == 302
    told = [(to, body) for template, to, body in emails(db, case) if template == "witness_statement"]
    assert [to for to, _ in told] == [people["hr_witness"].email]  # once, however often interviewed
    assert f"/cases/{case.reference}/statement" in told[0][1] and "Saw the post" not in told[0][1]
    web.logout()
    web.login(people["hr_witness"])
    html = web.text(f"/cases/{case.reference}/statement")
    assert "Harriet saw the post at 9pm." in html
    assert "Pat saw it shared on Monday." not in html and "Ellie Jones" not in html  # nothing else of the case
    viewed = select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "statement_viewed")
    assert db.scalar(viewed).actor_id == people["hr_witness"].id
    for other in (people["hr"], people["investigator"], people["employee"]):
        web.logout()
        web.login(other)
        assert web.client.get(f"/cases/{case.reference}/statement").status_code == 403


def emails(db, case) -> list[tuple[str, str, str]]:
    rows = db.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id).order_by(OutboxMessage.id))
    return [(m.template, m.to_email, m.body) for m in rows]

"""The Chair's form refuses bad input beside the field, keeping what was
typed; and who sees a trustee's referral, from both sides: the Chair (by the
chair role), HR and the trustee do; another trustee, the reporter and other
staff do not, and each refusal is a 403, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent
from tests.factories import make_user
from tests.workflows.helpers import ready_task
from tests.workflows.procedures.breach.drive import investigated, refer, staff
from workflows.engine import clock


@pytest.fixture
def people(db):
    return {**staff(db), "stranger": make_user(db, "Olly Outsider")}


@pytest.fixture
def case(ctx, people):
    return refer(ctx, investigated(ctx, people, people["trustee"], step_back=True), people)


def decision_url(db, case) -> str:
    return f"/tasks/{ready_task(db, case, 'UserTask_BoardDecision').id}"


def test_a_removal_without_the_provision_or_a_date_to_come_is_refused_beside_the_field(db, web, case, people):
    web.login(people["chair"])
    url = decision_url(db, case)
    form = web.text(url)
    assert "Removal under the governing document&#39;s procedure" in form and "Stepped back" in form
    typed = {
        "board_met_on": clock.now().date().isoformat(),
        "board_decision": "removal",
        "decision_reasons": "It happened twice.",
    }
    html = web.submit(url, typed).get_data(as_text=True)
    assert "Name the provision of the governing document the removal is made under." in html
    assert "It happened twice.</textarea>" in html
    tomorrow = (clock.now().date() + timedelta(days=1)).isoformat()
    html = web.submit(url, {**typed, "board_met_on": tomorrow, "governing_document_provision": "Art. 22"})
    html = html.get_data(as_text=True)
    assert "when the case was referred, to today" in html and 'value="Art. 22"' in html
    html = web.submit(url, {"board_decision": "sack"}).get_data(as_text=True)
    assert "Choose what the board decided." in html and "Give the date the board decided" in html
    assert (
        db.scalar(select(AuditEvent.id).where(AuditEvent.case_id == case.id, AuditEvent.action == "task_completed"))
        is None
    )


def test_the_chair_decides_and_the_trustee_reads_the_letter(db, web, case, people):
    web.login(people["chair"])
    assert "Record the board&#39;s decision" in web.text("/")
    sent = web.submit(
        decision_url(db, case),
        {
            "board_met_on": clock.now().date().isoformat(),
            "board_decision": "informal_resolution",
            "decision_reasons": "The trustee apologised at once.",
        },
    )
    assert sent.status_code == 302
    web.logout()
    web.login(people["trustee"])
    page = web.text(f"/cases/{case.reference}")
    assert "The board&#39;s decision: informal resolution" in page
    assert "Your case has been referred to the Chair of the board" in page


def test_the_trustee_sees_the_case_but_not_the_chairs_step(db, web, case, people):
    web.login(people["trustee"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 200
    assert web.client.get(decision_url(db, case)).status_code == 403


def test_hr_sees_the_case(db, web, case, people):
    web.login(people["hr"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 200


@pytest.mark.parametrize("who", ["other_trustee", "manager", "stranger", "hub"])
def test_others_do_not_see_it_and_the_refusal_is_audited(db, web, case, people, who):
    web.login(people[who])  # the manager reported it; another trustee has no chair role
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert web.client.get(decision_url(db, case)).status_code == 403
    refused = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "access_denied", AuditEvent.case_id == case.id)
    ).all()
    assert refused and all(e.actor_id == people[who].id for e in refused)


def chairs_own_case(ctx, people, reporter=None):
    """Ruth, the only Chair, is the trustee an investigation referred."""
    involved = {**people, "manager": reporter or people["manager"]}
    return refer(ctx, investigated(ctx, involved, people["chair"]), involved)


def test_the_chair_concerned_never_sees_or_takes_the_step_and_another_trustee_does(ctx, db, web, people):
    case = chairs_own_case(ctx, people)
    url = decision_url(db, case)
    web.login(people["chair"])
    assert "Record the board&#39;s decision" not in web.text("/")
    page = web.text(f"/cases/{case.reference}")  # her own case, as its subject: no step of the Chair's
    assert "Record the board&#39;s decision" not in page and url not in page
    assert web.client.get(url).status_code == 403
    decision = {"board_met_on": clock.now().date().isoformat(), "board_decision": "no_action"}
    assert web.submit(url, {**decision, "decision_reasons": "Nothing to answer."}, form_page="/").status_code == 403
    refused = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "access_denied", AuditEvent.case_id == case.id)
    ).all()
    assert len(refused) == 2 and all(e.actor_id == people["chair"].id for e in refused)
    web.logout()
    web.login(people["other_trustee"])
    assert url in web.text("/") and "any trustee not involved" in web.text("/")
    assert f'href="{url}"' in web.text(f"/cases/{case.reference}")
    sent = web.submit(url, {**decision, "decision_reasons": "The board found nothing to answer."})
    assert sent.status_code == 302
    assert "No action (Olu Bello, acting Chair)" in web.text(f"/cases/{case.reference}")


def test_hr_is_told_on_the_case_page_why_nobody_can_take_the_chairs_step(ctx, db, web, people):
    people["other_trustee"].active = False
    case = chairs_own_case(ctx, people, reporter=people["trustee"])  # Tariq, the other trustee, reported it
    web.login(people["hr"])
    page = web.text(f"/cases/{case.reference}")
    assert "Nobody can take &#39;Record the board&#39;s decision&#39;" in page
    assert "Ruth Adeyemi, who it is about" in page and "Add a trustee who is not, with the chair role" in page

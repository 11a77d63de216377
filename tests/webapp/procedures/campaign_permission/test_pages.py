"""Campaign permission pages [SMP-4]: the request (refused on an account the
person is not authorised on, with dates in the past or an end before the
start, each beside its field with what was typed kept), the Hub Manager's
answer, the revision, the register of approved campaigns, and the register
of authorisations (granted and ended by the Hub Manager or an admin only)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import AccountAuthorisation, AuditEvent, Case, CaseTask, Role, TaskState
from tests.factories import make_user
from tests.workflows.procedures.campaign_permission import authorise, make_campaign
from workflows.procedures.campaign_permission import authorisations

NEW, REGISTER, AUTHORISATIONS = "/campaigns/new", "/campaigns/register", "/campaigns/authorisations"
SMP_4_3 = "obtain permission from the Hub Manager before embarking on a public campaign using social media"
SMP_4_4 = "follow any additional guidelines given by the organisation from time to time"


@pytest.fixture
def staff(ctx, db):
    hub = make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,))
    sam = make_user(db, "Sam Wright")
    authorise(ctx, hub, sam, "instagram")
    return {"hub": hub, "sam": sam, "hr": make_user(db, "Hana Hussain", roles=(Role.HR,)), "tom": make_user(db, "Tom")}


def request_form(**overrides) -> dict:
    return {
        "campaign_name": "Spring volunteer drive",
        "purpose": "Recruit ten befriending volunteers.",
        "benefit": "More older people get a weekly visit.",
        "accounts": ["instagram"],
        "starts_on": "2026-03-09",
        "ends_on": "2026-03-31",
        "audience": "Adults in Buckinghamshire.",
        "content_plan": "Two posts a week.",
        "safeguards": "No service user is named or pictured.",
        **overrides,
    }


def task_of(db, case, bpmn_id) -> CaseTask:
    return db.scalar(
        select(CaseTask).where(
            CaseTask.case_id == case.id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )


def no_case(db) -> bool:
    return db.scalar(select(func.count(Case.id))) == 0


def test_someone_authorised_asks_and_the_request_goes_to_the_hub_manager(db, web, staff):
    web.login(staff["sam"])
    assert f'href="{NEW}"' in web.text("/")
    form = web.text(NEW)
    assert SMP_4_3 in form and SMP_4_4 in form and "[SMP-4.1]" in form and "[SMP-4.2]" in form
    assert "You are authorised to contribute to: Instagram: @bcwhub (until Thursday 31 December 2026)." in form
    assert "between Monday 2 March 2026 and Tuesday 2 March 2027" in form
    response = web.submit(NEW, request_form())
    assert response.status_code == 302
    case = db.scalar(select(Case))
    assert response.headers["Location"] == f"/cases/{case.reference}" and case.kind == "campaign_permission"
    page = web.text(response.headers["Location"])
    assert "has gone to the Hub Manager" in page and "Monday 9 March 2026 to Tuesday 31 March 2026" in page
    assert task_of(db, case, "UserTask_Decide").pool_role == Role.HUB_MANAGER


def test_an_account_the_person_is_not_authorised_on_is_refused_naming_who_can_authorise(db, web, staff):
    web.login(staff["sam"])
    html = web.submit(NEW, request_form(accounts=["instagram", "tiktok"])).get_data(as_text=True)
    assert (
        "You are not authorised to contribute to TikTok: @bcwhub. Ask Grace Okafor (Hub Manager) to authorise you."
        in html
    )
    assert 'value="Spring volunteer drive"' in html and "Two posts a week.</textarea>" in html
    assert (
        'checked class="form-check-input" id="accounts-4"' in html
        or 'id="accounts-4" name="accounts" type="checkbox" value="tiktok" checked' in html
        or "tiktok" in html
    )
    assert no_case(db)


def test_an_authorisation_that_has_ended_is_refused_too(ctx, db, web, staff):
    [row] = db.scalars(select(AccountAuthorisation))
    authorisations.end(ctx, staff["hub"], row, "Sam moved to the finance team.")
    web.login(staff["sam"])
    html = web.submit(NEW, request_form()).get_data(as_text=True)
    assert "You are not authorised to contribute to Instagram: @bcwhub." in html
    assert "You are not authorised on any of BCW Hub's accounts yet." in html
    assert no_case(db)


def test_dates_in_the_past_and_an_end_before_the_start_are_refused_beside_each_field(db, web, staff):
    web.login(staff["sam"])
    html = web.submit(NEW, request_form(starts_on="2026-02-20", ends_on="2026-03-01")).get_data(as_text=True)
    assert (
        "The start date is in the past: a campaign may start between Monday 2 March 2026 and Tuesday 2 March 2027."
        in html
    )
    assert "The end date is in the past: it must be Monday 2 March 2026 or later." in html
    assert 'value="2026-02-20"' in html
    html = web.submit(NEW, request_form(ends_on="2026-03-08")).get_data(as_text=True)
    assert "The campaign cannot end before it starts." in html and 'value="2026-03-08"' in html
    html = web.submit(NEW, request_form(starts_on="", safeguards="")).get_data(as_text=True)
    assert "Give the day the campaign starts, between Monday 2 March 2026 and Tuesday 2 March 2027." in html
    assert "Say how service users&#39; information is kept safe [SMP-4.1]." in html
    assert "Not a valid date value." in web.submit(NEW, request_form(ends_on="someday")).get_data(as_text=True)
    assert no_case(db)


def test_the_hub_manager_asks_for_changes_the_requester_revises_and_it_is_approved(ctx, db, web, staff):
    case = make_campaign(ctx, staff["sam"], accounts=["instagram"])
    web.login(staff["hub"])
    url = f"/tasks/{task_of(db, case, 'UserTask_Decide').id}"
    form = web.text(url)
    assert "Spring volunteer drive" in form and SMP_4_3 in form
    html = web.submit(url, {"campaign_decision": "changes", "decision_reasons": "Short"}).get_data(as_text=True)
    assert "Field must be between 10 and 4000 characters long." in html and "Short</textarea>" in html
    html = web.submit(url, {"decision_reasons": "Say how consent is given."}).get_data(as_text=True)
    assert "Choose whether to approve, decline or ask for changes." in html
    assert (
        web.submit(url, {"campaign_decision": "changes", "decision_reasons": "Say how consent is given."}).status_code
        == 302
    )
    web.logout()

    web.login(staff["sam"])
    revise = f"/tasks/{task_of(db, case, 'UserTask_Revise').id}"
    form = web.text(revise)
    assert 'value="Spring volunteer drive"' in form and 'value="2026-03-09"' in form  # the request as it stands
    assert "Say how consent is given." in form
    revised = {**request_form(), "revision": "resubmit", "what_changed": "Consent forms."}
    html = web.submit(revise, {**revised, "ends_on": "2026-03-01"}).get_data(as_text=True)
    assert "The end date is in the past: it must be Monday 2 March 2026 or later." in html
    assert "Consent forms.</textarea>" in html and task_of(db, case, "UserTask_Revise") is not None
    assert web.submit(revise, {**revised, "safeguards": "Signed consent forms first."}).status_code == 302
    web.logout()

    web.login(staff["hub"])
    url = f"/tasks/{task_of(db, case, 'UserTask_Decide').id}"
    assert "Consent forms." in web.text(url)
    done = web.submit(
        url, {"campaign_decision": "approve", "decision_reasons": "Now it is safe.", "guidelines": "Tag #BCW."}
    )
    assert done.status_code == 302
    db.refresh(case)
    assert case.status == "approved"
    web.logout()
    web.login(staff["tom"])  # anyone signed in sees what is running on BCW Hub's accounts
    register = web.text(REGISTER)
    assert case.reference in register and "Spring volunteer drive" in register and "Tuesday 31 March 2026" in register
    web.logout()
    web.login(staff["sam"])
    page = web.text(f"/cases/{case.reference}")
    assert "Your campaign has been approved" in page and "Now it is safe." in page and "Tag #BCW." in page


def test_the_authorisations_register_is_the_hub_managers_and_admins_only(db, web, staff):
    for person in (staff["sam"], staff["hr"]):
        web.login(person)
        web.text(AUTHORISATIONS, status=403)
        assert web.client.post(AUTHORISATIONS, data={}).status_code in (400, 403)
        web.logout()
    refused = db.scalars(select(AuditEvent).where(AuditEvent.action == "access_denied")).all()
    assert {e.actor_id for e in refused} == {staff["sam"].id, staff["hr"].id}
    admin = make_user(db, "Ada Admin", roles=(Role.ADMIN,))
    web.login(admin)
    page = web.text(AUTHORISATIONS)
    assert "Sam Wright" in page and "Instagram: @bcwhub" in page and "Grace Okafor" in page


def test_granting_refuses_bad_input_then_grants_and_ending_needs_a_reason(db, web, staff):
    web.login(staff["hub"])
    html = web.submit(AUTHORISATIONS, {"person": "0", "account": "myspace", "until": "2026-02-01"}).get_data(
        as_text=True
    )
    assert "Choose who is authorised." in html and "Choose one of BCW Hub&#39;s accounts." in html
    html = web.submit(
        AUTHORISATIONS, {"person": str(staff["tom"].id), "account": "tiktok", "until": "2026-02-01"}
    ).get_data(as_text=True)
    assert "The last day must be today (Monday 2 March 2026) or later." in html and 'value="2026-02-01"' in html
    assert (
        web.submit(AUTHORISATIONS, {"person": str(staff["tom"].id), "account": "tiktok", "until": ""}).status_code
        == 200
    )
    done = web.submit(AUTHORISATIONS, {"person": str(staff["tom"].id), "account": "tiktok", "until": "2026-09-30"})
    assert done.status_code == 302
    row = db.scalar(select(AccountAuthorisation).where(AccountAuthorisation.person_id == staff["tom"].id))
    assert row.account == "tiktok" and row.granted_by_id == staff["hub"].id
    end = f"/campaigns/authorisations/{row.id}/end"
    html = web.submit(end, {"reason": "no"}, form_page=AUTHORISATIONS).get_data(as_text=True)
    assert "Say why it ends (10 to 4,000 characters)." in html and ">no</textarea>" in html
    assert web.submit(end, {"reason": "Tom has left the comms group."}, form_page=AUTHORISATIONS).status_code == 302
    again = web.submit(end, {"reason": "Tom has left the comms group."}, form_page=AUTHORISATIONS)
    assert "This authorisation has already ended: Grace Okafor ended it on Monday 2 March 2026." in again.get_data(
        as_text=True
    )
    assert (
        web.submit("/campaigns/authorisations/999999/end", {"reason": "x" * 20}, form_page=AUTHORISATIONS).status_code
        == 404
    )
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("authorisation_%"))).all()
    assert actions.count("authorisation_granted") == 2 and actions.count("authorisation_ended") == 1

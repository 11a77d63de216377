"""Every monitoring finding page: each form's bad input refused beside the
field, what was typed kept and nothing recorded; and who sees what: HR sees
and decides, the person monitored sees only what they are told in writing
(nothing while "not told" is recorded), other people see nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Case, CaseTask, Letter, TaskState
from tests.factories import make_hr, make_manager, make_user
from tests.webapp.procedures.disciplinary.test_later_forms import kept, refused
from tests.workflows.helpers import complete
from tests.workflows.procedures.monitoring import FOUND, keeping, lifting, make_finding, restriction
from workflows.engine import clock
from workflows.engine.timers import fire_due_timers

WITHHELD = "A leak investigation is under way and must not be tipped off."


@pytest.fixture
def people(db):
    return {
        "hr": make_hr(db, "Hana Hussain"),
        "person": make_user(db, "Ellie Jones"),
        "colleague": make_user(db, "Sam Wright"),
        "manager": make_manager(db, "Mark Taylor"),
    }


@pytest.fixture
def case(ctx, people):
    return make_finding(ctx, people["hr"], people["person"])


def task_url(db, case, bpmn_id: str) -> str:
    task_id = db.scalar(
        select(CaseTask.id).where(
            CaseTask.case_id == case.id, CaseTask.bpmn_id == bpmn_id, CaseTask.state == TaskState.READY
        )
    )
    assert task_id, f"{bpmn_id} is not waiting"
    return f"/tasks/{task_id}"


def recorded(db, case) -> tuple[int, int, int]:
    """What a refused form must not have added: steps done, letters, trail events."""
    done = select(func.count()).where(CaseTask.case_id == case.id, CaseTask.state == TaskState.COMPLETED)
    written = select(func.count()).where(Letter.case_id == case.id)
    trail = select(func.count()).where(AuditEvent.case_id == case.id, AuditEvent.action != "case_viewed")
    return db.scalar(done), db.scalar(written), db.scalar(trail)


def form(data: dict) -> dict:
    """A step's data as a browser posts it: blanks for what is not given."""
    return {k: ("" if v is None else v) for k, v in data.items()}


def to_review(ctx, case):
    clock.advance(case.next_timer_at - clock.now() + timedelta(minutes=1))
    assert fire_due_timers(ctx) == 1


# --- recording a finding ---------------------------------------------------------


def test_hr_records_a_finding_and_is_taken_to_it(db, web, people):
    web.login(people["hr"])
    response = web.submit(
        "/monitoring/new",
        {
            "subject": str(people["person"].id),
            "occasion": "specific_suspicion",
            "purposes": ["SMP-6.4"],
            "found": FOUND,
        },
    )
    case = db.scalar(select(Case).where(Case.kind == "monitoring_finding"))
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{case.reference}"
    page = web.text(response.headers["Location"])
    assert "Decide on the finding" in page and FOUND in page
    assert "ensure that inappropriate, restricted, or blocked websites are not being accessed" in page


def test_a_bad_finding_is_refused_beside_its_fields_and_kept(db, web, people):
    web.login(people["hr"])
    data = {"subject": "0", "occasion": "", "purposes": [], "found": "TikTok"}
    page = refused(
        web,
        "/monitoring/new",
        data,
        subject="Choose the person whose use was monitored.",
        occasion="Say whether this was a routine audit or a specific suspicion.",
        found="Field must be between 10 and 8000 characters long.",
    )
    kept(page, found="TikTok")
    assert db.scalar(select(func.count()).where(Case.kind == "monitoring_finding")) == 0


def test_a_purpose_must_be_chosen_and_one_not_in_the_list_is_refused(db, web, people):
    web.login(people["hr"])
    base = {"subject": str(people["person"].id), "occasion": "routine_audit", "found": FOUND}
    for purposes, message in (([], "Choose at least one purpose."), (["SMP-3.2"], "is not a valid choice")):
        html = web.submit("/monitoring/new", {**base, "purposes": purposes}).get_data(as_text=True)
        assert message in html
        assert f"{FOUND}</textarea>" in html
    assert db.scalar(select(func.count()).where(Case.kind == "monitoring_finding")) == 0


def test_only_hr_may_record_a_finding_or_read_the_register(web, people):
    web.login(people["manager"])
    assert web.client.get("/monitoring/new").status_code == 403
    assert web.client.get("/monitoring/restrictions").status_code == 403
    assert "Record a monitoring finding" not in web.text("/")


# --- HR's decision ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "messages"),
    [
        ({"review_on": None}, {"review_on": "A restriction needs a review date."}),
        ({"ends_on": "2026-03-01"}, {"ends_on": "The restriction cannot end before it starts."}),
        ({"review_on": "2026-03-01"}, {"review_on": "The review date must be after today."}),
        ({"review_on": "16/03/2026"}, {"review_on": "Not a valid date value."}),
        ({"telling": "not_told"}, {"withholding_reason": "Record why telling them would prejudice an investigation."}),
        ({"sites": "", "decision_reasons": "no"}, {"sites": "Say which sites", "decision_reasons": "between 10"}),
    ],
)
def test_a_bad_restriction_is_refused_beside_its_field_and_kept(db, web, case, people, change, messages):
    web.login(people["hr"])
    url, before = task_url(db, case, "UserTask_Decide"), recorded(db, case)
    data = form(restriction(**change))
    page = refused(web, url, data, **messages)
    kept(page, decision="restrict", telling=data["telling"], decision_reasons=data["decision_reasons"])
    kept(page, **{name: data[name] for name in ("sites", "review_on", "ends_on") if name not in messages})
    assert recorded(db, case) == before


def test_an_investigation_needs_a_rule_and_never_the_right_to_restrict(db, web, case, people):
    web.login(people["hr"])
    url, before = task_url(db, case, "UserTask_Decide"), recorded(db, case)
    data = {"decision": "investigate", "decision_reasons": "Posting in working hours."}
    html = web.submit(url, data).get_data(as_text=True)
    assert "Choose the rules the finding may have broken." in html
    assert 'value="SMP-3.1"' in html and 'value="SMP-3.2"' not in html  # only rules are offered
    assert "is not a valid choice" in web.submit(url, {**data, "breach_clauses": ["SMP-3.2"]}).get_data(as_text=True)
    assert recorded(db, case) == before
    assert web.submit(url, {**data, "breach_clauses": ["SMP-3.1"]}).status_code == 302
    db.expire_all()
    assert db.get(Case, case.id).status == "referred"
    assert db.scalar(select(Case.parent_id).where(Case.kind == "breach_investigation")) == case.id


def test_a_good_restriction_is_written_to_the_person(db, web, case, people):
    web.login(people["hr"])
    assert web.submit(task_url(db, case, "UserTask_Decide"), form(restriction())).status_code == 302
    db.expire_all()
    assert db.get(Case, case.id).status == "restricted"
    assert db.scalars(select(Letter.kind).where(Letter.case_id == case.id)).all() == ["restriction"]
    register = web.text("/monitoring/restrictions")
    assert case.reference in register and "TikTok and Instagram" in register and "2026-03-16" in register


# --- the review ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "messages"),
    [
        ({"review_on": None}, {"review_on": "A restriction needs a review date."}),
        ({"ends_on": "2026-02-27"}, {"ends_on": "The restriction cannot end before it starts."}),
        ({"telling": "not_told"}, {"withholding_reason": "Record why telling them would prejudice"}),
        (
            {"review_decision": "", "review_reasons": ""},
            {"review_decision": "Choose a decision.", "review_reasons": "required"},
        ),
    ],
)
def test_a_bad_review_is_refused_beside_its_field_and_kept(ctx, db, web, case, people, change, messages):
    complete(ctx, case, "UserTask_Decide", people["hr"], **restriction(telling="not_told", withholding_reason=WITHHELD))
    to_review(ctx, case)
    web.login(people["hr"])
    url, before = task_url(db, case, "UserTask_Review"), recorded(db, case)
    data = form(keeping(**change))
    page = refused(web, url, data, **messages)
    kept(page, sites=data["sites"], telling=data["telling"])
    assert recorded(db, case) == before


def test_the_review_shows_what_is_in_force_and_once_told_offers_only_telling(ctx, db, web, case, people):
    complete(ctx, case, "UserTask_Decide", people["hr"], **restriction(ends_on="2026-04-30"))
    to_review(ctx, case)
    web.login(people["hr"])
    html = web.text(task_url(db, case, "UserTask_Review"))
    assert "TikTok and Instagram</textarea>" in html and 'value="2026-04-30"' in html
    assert 'value="told"' in html and 'value="not_told"' not in html


# --- who sees what ---------------------------------------------------------------


def test_while_not_told_the_person_sees_nothing_and_hr_sees_why(ctx, db, web, case, people):
    complete(ctx, case, "UserTask_Decide", people["hr"], **restriction(telling="not_told", withholding_reason=WITHHELD))
    web.login(people["hr"])
    page = web.text(f"/cases/{case.reference}")
    assert WITHHELD in page and FOUND in page
    assert WITHHELD in web.text("/monitoring/restrictions")
    web.logout()
    for who in ("person", "colleague"):
        web.login(people[who])
        assert web.client.get(f"/cases/{case.reference}").status_code == 403
        assert case.reference not in web.text("/cases/") and case.reference not in web.text("/")
        web.logout()


def test_once_told_the_person_sees_their_letter_and_the_restriction_only(ctx, db, web, case, people):
    hr = people["hr"]
    complete(ctx, case, "UserTask_Decide", hr, **restriction(telling="not_told", withholding_reason=WITHHELD))
    to_review(ctx, case)
    complete(ctx, case, "UserTask_Review", hr, **keeping())  # the investigation is over: now they are told
    [letter] = db.scalars(select(Letter).where(Letter.case_id == case.id)).all()
    web.login(people["person"])
    page = web.text(f"/cases/{case.reference}")
    assert "BCW Hub has restricted your access" in page and "TikTok" in page and letter.title in page
    assert WITHHELD not in page and "Review the restriction" not in page
    assert case.reference in web.text("/cases/")
    assert FOUND in web.text(f"/cases/letters/{letter.id}")
    web.logout()
    web.login(people["colleague"])
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert web.client.get(f"/cases/letters/{letter.id}").status_code == 403


def test_the_person_told_sees_when_their_restriction_is_lifted(ctx, db, web, case, people):
    complete(ctx, case, "UserTask_Decide", people["hr"], **restriction())
    to_review(ctx, case)
    complete(ctx, case, "UserTask_Review", people["hr"], **lifting())
    web.login(people["person"])
    page = web.text(f"/cases/{case.reference}")
    assert "has lifted the restriction" in page and "Your access restriction has been lifted" in page


def test_hr_never_sees_their_own_restriction(ctx, db, web, people):
    other_hr = make_hr(db, "Harriet Other")
    own = make_finding(ctx, other_hr, people["hr"])
    complete(ctx, own, "UserTask_Decide", other_hr, **restriction(telling="not_told", withholding_reason=WITHHELD))
    web.login(people["hr"])
    assert web.client.get(f"/cases/{own.reference}").status_code == 403
    assert own.reference not in web.text("/monitoring/restrictions")

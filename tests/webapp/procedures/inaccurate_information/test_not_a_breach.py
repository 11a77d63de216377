"""SMP-5.12 is a duty the policy gives people (report inaccurate information),
never a rule someone breached: no form offers it as breached or alleged, and
no step's contract takes it (docs/domain.md, "What each clause is")."""

from __future__ import annotations

from io import BytesIO

import pytest
from marshmallow import fields, validate
from sqlalchemy import func, select

from models import Case, Role
from tests.factories import make_hr, make_user
from workflows import policy
from workflows.demo import DEMO_PNG
from workflows.engine import registry

DUTY = "SMP-5.12"


def offered(field) -> set[str]:
    """The answers a contract field takes, if it is a choice (or a list of them)."""
    inner = field.inner if isinstance(field, fields.List) else field
    return {c for v in inner.validators if isinstance(v, validate.OneOf) for c in v.choices}


def test_the_policy_offers_rules_as_breachable_and_never_the_duty():
    ids = {cid for cid, _label in policy.rule_choices()}
    assert DUTY not in ids
    assert DUTY in policy.DUTIES
    assert {"SMP-5.8", "SMP-5.10"} <= ids  # its neighbours that are rules are still there


def test_no_step_of_any_procedure_takes_it_as_an_answer():
    clause_fields = 0
    for procedure in registry.procedures():
        for name, step in procedure.steps.items():
            for field_name, field in step.contract().fields.items():
                answers = offered(field)
                clause_fields += any(a.startswith("SMP-") for a in answers)
                assert DUTY not in answers, f"{procedure.kind} {name}.{field_name} offers {DUTY}"
    assert clause_fields >= 2  # the breach findings and the disciplinary decision, at least


@pytest.mark.parametrize(
    "page, role",
    [("/takedown/new", Role.MANAGER), ("/breach/new", Role.HR), ("/disciplinary/new", Role.HR)],
)
def test_no_opening_form_offers_it(db, web, page, role):
    web.login(make_user(db, "Opening Person", roles=(role,)))
    html = web.text(page)
    assert 'value="SMP-5.8"' in html or 'value="SMP-5.6"' in html  # the form does list clauses
    assert f'value="{DUTY}"' not in html


def test_a_takedown_citing_it_is_refused_and_nothing_is_recorded(db, web):
    manager = make_user(db, "Mark Taylor", roles=(Role.MANAGER,))
    poster = make_user(db, "Ellie Jones")
    web.login(manager)
    form = {
        "subject": str(poster.id),
        "platform": "Facebook",
        "urls": "https://facebook.com/posts/1",
        "clauses": [DUTY],
        "reasons": "Did not report inaccurate information.",
        "deadline_hours": "24",
        "evidence": (BytesIO(DEMO_PNG), "screenshot.png"),
    }
    page = web.submit("/takedown/new", form, content_type="multipart/form-data")
    assert page.status_code == 200 and "is not a valid choice" in page.get_data(as_text=True)
    assert db.scalar(select(func.count(Case.id))) == 0


def test_a_breach_case_alleging_it_is_refused(db, web):
    web.login(make_hr(db))
    subject = make_user(db, "Ellie Jones")
    form = {"subject": str(subject.id), "source": "manager_report", "clauses": [DUTY], "description": "x" * 30}
    page = web.submit("/breach/new", form)
    assert page.status_code == 200 and "is not a valid choice" in page.get_data(as_text=True)
    assert db.scalar(select(func.count(Case.id))) == 0

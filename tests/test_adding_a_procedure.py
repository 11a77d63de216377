"""The README's claim, shown: a procedure declared in one folder of its own
(tests/scratch_procedure/) passes the contracts and runs end to end, through
the operations and the pages, without a line of any shared file changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Case, OutboxMessage, Role
from webapp import procedures as web
from workflows.engine import diagram_contract, queries
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.specs import ProcessLibrary

from . import scratch_procedure as scratch
from .conftest import make_app
from .factories import make_hr, make_manager
from .webapp.browserless import Web
from .workflows.helpers import actions, complete, ready_task


@pytest.fixture
def library():
    web.load()  # the installed procedures' pages, as create_app loads them
    scratch.install()
    yield ProcessLibrary()  # every registered diagram, the scratch one included
    scratch.uninstall()


def test_it_passes_the_diagram_and_page_contracts(library):
    assert diagram_contract.check([scratch.PROCEDURE], library) == []
    assert web.check() == []


def test_it_runs_through_the_operations(db, library, settings):
    ctx = Context(db, library, settings)
    asker, hr = make_manager(db, "Asha Asker"), make_hr(db, "Hana HR")
    case = scratch.ask(ctx, asker, "May I share our event poster on my own account?")
    assert case.reference.startswith("PQ-") and case.kind == "policy_question"
    answer = ready_task(db, case, "UserTask_Answer")
    assert answer.pool_role == Role.HR and answer.assignee_id is None
    with pytest.raises(InvalidInput, match=r"This field is required\."):
        complete(ctx, case, "UserTask_Answer", hr, answer="  ")
    complete(ctx, case, "UserTask_Answer", hr, answer="Yes: share it as it is, without comment.")
    waiting, notice = db.scalars(
        select(OutboxMessage).where(OutboxMessage.case_id == case.id).order_by(OutboxMessage.id)
    ).all()
    assert (waiting.template, waiting.to_email) == ("step_waiting", hr.email)  # the pool was told, once
    assert notice.to_email == asker.email and "without comment" in notice.body
    assert ready_task(db, case, "UserTask_Acknowledge").assignee_id == asker.id
    complete(ctx, case, "UserTask_Acknowledge", asker, resolved="no")
    assert case.status == "unresolved" and case.closed_at is not None
    assert actions(db, case)[-1] == "case_closed"


def test_it_runs_through_the_pages(db, library, settings, tmp_path):
    web_client = Web(make_app(db, library, settings, tmp_path / "instance").test_client())
    asker, hr = make_manager(db, "Asha Asker"), make_hr(db, "Hana HR")
    web_client.login(asker)
    assert 'href="/policy-question/new">Ask HR</a>' in web_client.text("/")
    response = web_client.submit("/policy-question/new", {"question": "May I post about our fun run?"})
    case = db.scalar(select(Case).where(Case.kind == "policy_question"))
    assert response.headers["Location"] == f"/cases/{case.reference}"
    web_client.logout()
    web_client.login(hr)
    url = f"/tasks/{ready_task(db, case, 'UserTask_Answer').id}"
    assert "This field is required." in web_client.submit(url, {"answer": ""}).get_data(as_text=True)
    assert web_client.submit(url, {"answer": "Yes, from your own account."}).status_code == 302
    page = web_client.text(f"/cases/{case.reference}")
    assert "The question" in page and "May I post about our fun run?" in page
    assert "Policy question" in web_client.text("/cases/")  # the kind filter comes from the registry
    web_client.logout()
    web_client.login(asker)
    url = f"/tasks/{ready_task(db, case, 'UserTask_Acknowledge').id}"
    assert "Say whether the answer resolves" in web_client.submit(url, {}).get_data(as_text=True)
    assert web_client.submit(url, {"resolved": "yes"}).status_code == 302
    db.refresh(case)
    assert case.status == "closed"
    assert case in queries.list_cases(db, asker).cases

"""The dashboard counts only what its viewer may open, names no one they could
not, links each number to the cases it counts, and is audited; a manager
cannot open it."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import AuditEvent, Role
from tests.factories import make_breach, make_hr, make_manager, make_takedown, make_user


def _world(ctx, db):
    manager, ellie = make_manager(db, "Mo Manager"), make_user(db, "Ellie Jones")
    hr_subject = make_hr(db, "Harriet Subject")
    cases = [make_takedown(ctx, manager, ellie), make_takedown(ctx, manager, ellie)]
    cases += [make_takedown(ctx, manager, hr_subject), make_takedown(ctx, manager, hr_subject)]
    return manager, ellie, hr_subject, cases


def _link(page: str, label: str) -> str:
    """The count link in the row labelled `label`."""
    match = re.search(rf"<td>{re.escape(label)}</td><td class=\"text-end\"><a href=\"([^\"]+)\">(\d+)</a>", page)
    assert match, f"no count for {label}"
    return match.group(1).replace("&amp;", "&"), int(match.group(2))


def test_hr_sees_the_open_work_and_each_count_opens_the_cases_it_counts(web, ctx, db):
    _manager, _ellie, _hr_subject, cases = _world(ctx, db)
    web.login(make_hr(db))
    page = web.text("/dashboard/")
    url, count = _link(page, "Takedown request")
    assert count == 4 and "kind=takedown" in url and "state=open" in url
    listed = web.text(url)
    assert all(case.reference in listed for case in cases) and "4 cases." in listed
    assert "Ellie Jones" in page and "Harriet Subject" in page  # repeat subjects
    url, count = _link(page, "Ellie Jones")
    assert count == 2 and sum(case.reference in web.text(url) for case in cases) == 2
    viewed = db.scalar(select(AuditEvent).where(AuditEvent.action == "dashboard_viewed"))
    assert viewed.data["what"] == "page"


def test_an_hr_officer_never_counts_a_case_they_reported(web, ctx, db):
    _world(ctx, db)
    reporter = make_hr(db, "Rita Reporter")
    hr = make_hr(db, "Hana HR")
    for _ in range(2):
        make_breach(ctx, hr, make_user(db, "Sam Subject"), reported_by=reporter)
    web.login(reporter)
    page = web.text("/dashboard/")
    assert "<td>Breach investigation</td>" not in page and _link(page, "Takedown request")[1] == 4
    web.logout()
    web.login(hr)
    assert _link(web.text("/dashboard/"), "Breach investigation")[1] == 2


def test_the_hub_manager_counts_only_cases_they_are_on_and_a_manager_is_refused(web, ctx, db):
    manager, _ellie, _hr_subject, _cases = _world(ctx, db)
    web.login(make_user(db, "Hu Manager", roles=(Role.HUB_MANAGER,)))
    page = web.text("/dashboard/")
    assert "<td>Takedown request</td>" not in page and "Ellie Jones" not in page
    web.logout()
    web.login(manager)
    assert web.client.get("/dashboard/").status_code == 403
    assert web.client.get("/dashboard/open_by_procedure.csv").status_code == 403
    denied = db.scalars(select(AuditEvent).where(AuditEvent.action == "access_denied")).all()
    assert [e.actor_id for e in denied] == [manager.id, manager.id]


def test_each_table_downloads_as_csv_with_the_same_numbers(web, ctx, db):
    _world(ctx, db)
    web.login(make_hr(db))
    csv_text = web.text("/dashboard/open_by_procedure.csv")
    assert csv_text.splitlines() == ["Procedure,Open cases", "Takedown request,4"]
    assert web.client.get("/dashboard/nonsense.csv").status_code == 404


def test_a_range_that_ends_before_it_starts_is_refused_beside_the_field(web, db):
    web.login(make_hr(db))
    page = web.text("/dashboard/?opened_from=2026-06-01&opened_to=2026-05-01")
    assert "The end of the range is before its start." in page and 'value="2026-05-01"' in page

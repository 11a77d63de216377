"""The dashboard counts only what its viewer may open, names no one they could
not, links each number to the cases it counts, and is audited; a manager
cannot open it."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta

from sqlalchemy import select

from models import AuditEvent, Case, CaseTask, Role, WrittenWarning
from tests.factories import make_breach, make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import complete
from tests.workflows.procedures.subject_access import make_request, releasing
from webapp.dashboard.routes import TABLES
from workflows.engine import clock, holds


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


# --- how cases ended, how long they took, takedown compliance -------------------


def _in_row(page: str, *cells: str) -> list[tuple[str, int]]:
    """The count links, (case-list URL, number), in the one table row holding all `cells`."""
    rows = [
        r
        for r in re.findall(r"<tr>(.*?)</tr>", page, re.S)
        if "<th" not in r and all(f">{c}<" in html.unescape(r) for c in cells)
    ]
    assert len(rows) == 1, f"{len(rows)} rows hold {cells}"
    return [(html.unescape(url), int(n)) for url, n in re.findall(r'<a href="(/cases/\?[^"]+)">(\d+)</a>', rows[0])]


def _listed(web, url: str) -> set[str]:
    """The references on a case list (one page: these lists are short)."""
    page = web.text(url)
    found = set(re.findall(r">([A-Z]{2}-\d{4}-\d+)<", page))
    assert f"{len(found)} case{'' if len(found) == 1 else 's'}." in page, url
    return found


def _counted(web, page: str, *cells: str, expect: set[str]) -> None:
    """The row's count is the number of the cases `expect`, and its link lists exactly them."""
    [(url, count)] = _in_row(page, *cells)
    assert (count, _listed(web, url)) == (len(expect), expect)


def _takedowns(ctx, db) -> dict:
    """Requests along each compliance path, all opened now: removed in time
    (closed after a day), withdrawn after a dispute (2 days), removed after a
    final notice (5 days), refused (escalated, waiting on HR), and one the Hub
    Manager asked for, about an HR officer, removed in time (a day)."""
    manager, ellie, hana = make_manager(db), make_user(db, "Ellie Jones"), make_hr(db, "Hana HR")
    hub, harriet = make_user(db, "Hu Manager", roles=(Role.HUB_MANAGER,)), make_hr(db, "Harriet Subject")
    cases = {name: make_takedown(ctx, manager, ellie) for name in ("disputed", "late", "refused")}
    cases["in_time"] = make_takedown(ctx, manager, ellie, clauses=["SMP-5.2"])
    cases["hubs"] = make_takedown(ctx, hub, harriet)
    for name in ("in_time", "late"):
        complete(ctx, cases[name], "UserTask_Respond", ellie, response="removed", confirmation="Deleted")
    complete(ctx, cases["hubs"], "UserTask_Respond", harriet, response="removed", confirmation="Gone")
    complete(ctx, cases["disputed"], "UserTask_Respond", ellie, response="dispute", dispute_grounds="My belief")
    complete(ctx, cases["refused"], "UserTask_Respond", ellie, response="refuse", dispute_grounds="It is mine")
    clock.advance(timedelta(days=1))
    complete(ctx, cases["in_time"], "UserTask_Verify", manager, verification="removed")
    complete(ctx, cases["hubs"], "UserTask_Verify", hub, verification="removed")
    complete(ctx, cases["late"], "UserTask_Verify", manager, verification="still_visible", verification_notes="Up")
    complete(ctx, cases["late"], "UserTask_Respond", ellie, response="removed", confirmation="Now deleted")
    clock.advance(timedelta(days=1))
    review = {"review_decision": "withdraw", "review_reasons": "A protected belief, fairly put."}
    complete(ctx, cases["disputed"], "UserTask_ReviewDispute", hana, **review, proportionality_considered=True)
    clock.advance(timedelta(days=3))
    complete(ctx, cases["late"], "UserTask_Verify", manager, verification="removed")
    return {"cases": {name: case.reference for name, case in cases.items()}, "hana": hana, "hub": hub}


def test_outcomes_by_clause_times_against_targets_and_takedown_compliance_count_what_they_link_to(web, ctx, db):
    world = _takedowns(ctx, db)
    ref = world["cases"]
    db.execute(  # a purpose and a duty beside the rule: never counted as breached
        Case.__table__.update().where(Case.reference == ref["late"]).values(clauses=["SMP-5.6", "SMP-6.1", "SMP-5.12"])
    )
    web.login(world["hana"])
    page = web.text("/dashboard/")
    _counted(web, page, "SMP-5.6", "Takedown request: Closed", expect={ref["late"], ref["hubs"]})
    _counted(web, page, "SMP-5.2", "Takedown request: Closed", expect={ref["in_time"]})
    _counted(web, page, "SMP-5.6", "Takedown request: Withdrawn", expect={ref["disputed"]})
    assert ">SMP-6.1<" not in page and ">SMP-5.12<" not in page
    # Ended after 1, 1, 2 and 5 days: a median of 1.5 days against the takedown's 3.
    assert "Met: a median of 1.5 days against 3 days" in page
    ended, longer = _in_row(page, "Takedown request", "Met: a median of 1.5 days against 3 days")
    assert ended[1] == 4 and len(_listed(web, ended[0])) == 4
    assert (longer[1], _listed(web, longer[0])) == (1, {ref["late"]})
    for label, expect in {
        "Removed within the deadline": {ref["in_time"], ref["hubs"]},
        "Removed late, after a final notice": {ref["late"]},
        "Disputed": {ref["disputed"]},
        "Escalated to HR": {ref["refused"]},
        "Escalated, still waiting on HR's decision": {ref["refused"]},
    }.items():
        _counted(web, page, label, expect=expect)
    assert web.text("/dashboard/measures.csv").splitlines()[1:3] == [
        "Takedown compliance,Removed within the deadline,2",
        'Takedown compliance,"Removed late, after a final notice",1',
    ]
    assert web.text("/dashboard/times.csv").splitlines()[1] == (
        "Takedown request,4,1.5,3,Met: a median of 1.5 days against 3 days,1"
    )
    assert web.text("/dashboard/clause_outcomes.csv").splitlines() == [
        "Rule,What followed,Cases",
        "SMP-5.2,Takedown request: Closed,1",
        "SMP-5.6,Takedown request: Closed,2",
        "SMP-5.6,Takedown request: Withdrawn,1",
    ]


def test_the_hub_manager_counts_only_the_request_they_asked_for(web, ctx, db):
    """Not HR: they see the cases they are on, and the figures count those alone."""
    world = _takedowns(ctx, db)
    ref = world["cases"]
    web.login(world["hub"])
    page = web.text("/dashboard/")
    _counted(web, page, "SMP-5.6", "Takedown request: Closed", expect={ref["hubs"]})
    _counted(web, page, "Removed within the deadline", expect={ref["hubs"]})
    assert "Met: a median of 1 day against 3 days" in page
    assert _in_row(page, "Disputed") == [] and "Takedown request: Withdrawn" not in page


def test_the_procedure_and_date_range_filter_narrow_every_figure_of_history(web, ctx, db):
    world = _takedowns(ctx, db)
    web.login(world["hana"])
    today = clock.now().date().isoformat()
    page = web.text(f"/dashboard/?opened_from={today}")  # every request was opened five days ago
    assert "No case citing a rule has ended." in page and "No case has ended." in page
    assert _in_row(page, "Removed within the deadline") == []
    opened = (clock.now().date() - timedelta(days=5)).isoformat()
    page = web.text(f"/dashboard/?opened_from={opened}&opened_to={opened}")
    [(url, count)] = _in_row(page, "Removed within the deadline")
    assert f"opened_from={opened}" in url and f"opened_to={opened}" in url and count == len(_listed(web, url)) == 2
    page = web.text("/dashboard/?kind=breach_investigation")
    assert "Takedown compliance" not in page and "No case citing a rule has ended." in page


# --- subject access deadlines and legal holds ------------------------------------


def test_subject_access_deadlines_are_hrs_and_never_ones_own(web, ctx, db):
    hana, harriet, ellie = make_hr(db, "Hana HR"), make_hr(db, "Harriet HR"), make_user(db, "Ellie Jones")
    today = clock.now().date()
    requests = {
        "overdue": make_request(ctx, hana, ellie, received_on=today - timedelta(days=40)),
        "week": make_request(ctx, hana, ellie, received_on=today - timedelta(days=25)),
        "later": make_request(ctx, hana, ellie),
        "harriets": make_request(ctx, hana, harriet, received_on=today - timedelta(days=40)),
    }
    released = make_request(ctx, hana, harriet, received_on=today - timedelta(days=3))
    clock.advance(timedelta(days=1))  # answered on the fourth day, well within the month
    complete(ctx, released, "UserTask_Review", hana, **releasing())
    ref = {name: case.reference for name, case in requests.items()}
    web.login(hana)
    page = web.text("/dashboard/")
    [ended] = _in_row(page, "Subject access request", "Met: a median of 1 day against 30 days")  # none longer
    assert (ended[1], _listed(web, ended[0])) == (1, {released.reference})
    _counted(web, page, "Overdue", expect={ref["overdue"], ref["harriets"]})
    _counted(web, page, "Due within 7 days", expect={ref["week"]})
    _counted(web, page, "Due later", expect={ref["later"]})
    deadlines = page.split("Subject access requests and their deadlines")[1].split("Legal holds")[0]
    assert ref["harriets"] in deadlines and "Harriet" not in deadlines and "Ellie" not in deadlines  # whose: never
    web.logout()
    web.login(harriet)
    page = web.text("/dashboard/")
    _counted(web, page, "Overdue", expect={ref["overdue"]})
    assert ref["harriets"] not in page and "No case has ended." in page  # nor the one released about her
    web.logout()
    web.login(make_user(db, "Hu Manager", roles=(Role.HUB_MANAGER,)))
    page = web.text("/dashboard/")
    assert _in_row(page, "Overdue") == [] and ref["overdue"] not in page


def test_legal_holds_count_the_cases_they_keep_and_people_only_for_hr(web, ctx, db):
    manager, hana, harriet = make_manager(db), make_hr(db, "Hana HR"), make_hr(db, "Harriet HR")
    ellie, sam = make_user(db, "Ellie Jones"), make_user(db, "Sam Smith")
    held, ellies, free = (
        make_takedown(ctx, manager, sam),
        make_takedown(ctx, manager, ellie),
        make_takedown(ctx, manager, sam),
    )
    harriets = make_request(ctx, hana, harriet)  # about her, so hidden from her (she is on it as no party)
    holds.set_on_case(ctx, hana, held, "A tribunal claim")
    holds.set_on_person(ctx, hana, ellie, "A grievance")
    holds.set_on_person(ctx, hana, harriet, "Her own claim")
    holds.set_on_case(ctx, hana, harriets, "The same claim")
    web.login(hana)
    page = web.text("/dashboard/")
    _counted(web, page, "Cases under a legal hold", expect={held.reference, ellies.reference, harriets.reference})
    assert free.reference not in _listed(web, _in_row(page, "Cases under a legal hold")[0][0])
    assert re.search(r"People under a legal hold \(all their cases\)</td>\s*<td[^>]*><a[^>]*>2</a>", page)
    web.logout()
    web.login(harriet)  # neither her own case nor the hold on her
    page = web.text("/dashboard/")
    _counted(web, page, "Cases under a legal hold", expect={held.reference, ellies.reference})
    assert re.search(r"People under a legal hold \(all their cases\)</td>\s*<td[^>]*><a[^>]*>1</a>", page)
    web.logout()
    web.login(make_user(db, "Hu Manager", roles=(Role.HUB_MANAGER,)))
    page = web.text("/dashboard/")
    assert "People under a legal hold" not in page and _in_row(page, "Cases under a legal hold") == []


def test_a_manager_is_refused_every_table(web, db):
    manager = make_manager(db)
    web.login(manager)
    for table in TABLES:
        assert web.client.get(f"/dashboard/{table}.csv").status_code == 403, table
    assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "access_denied")).all()) == len(TABLES)


def test_a_count_filter_it_cannot_apply_lists_nothing_and_says_why(web, ctx, db):
    make_takedown(ctx, make_manager(db), make_user(db, "Ellie Jones"))
    web.login(make_hr(db))
    for query in ("clause=SMP-x", "opened_from=2026-13-45", "longer_than=-1", "measure=nonsense:x", "held=no"):
        page = web.text(f"/cases/?{query}")
        assert "0 cases." in page and 'class="text-danger"' in page, query


def test_live_warnings_count_the_register_as_it_stands_today(web, ctx, db):
    manager, ellie, hana = make_manager(db), make_user(db, "Ellie Jones"), make_hr(db)
    cases = [make_takedown(ctx, manager, ellie) for _ in range(3)]
    today = clock.now().date()
    for case, issued, expires, revoked in (
        (cases[0], today, today + timedelta(days=180), None),  # live
        (cases[1], today - timedelta(days=200), today - timedelta(days=20), None),  # expired
        (cases[2], today, today + timedelta(days=365), today),  # revoked on appeal
    ):
        db.add(
            WrittenWarning(
                person_id=ellie.id,
                case_id=case.id,
                level="first_written",
                issued_on=issued,
                expires_on=expires,
                revoked_on=revoked,
                recorded_at=clock.now(),
            )
        )
    db.flush()
    web.login(hana)
    _counted(web, web.text("/dashboard/"), "First written warnings", expect={cases[0].reference})


def test_due_by_owner_and_live_warnings_count_the_cases_their_lists_list(web, ctx, db):
    """A case, once: however many of its steps wait on the owner or are
    late, and however many live warnings it holds."""
    manager, ellie, bob = make_manager(db), make_user(db, "Ellie Jones"), make_user(db, "Bob Brown")
    cases = [make_takedown(ctx, manager, ellie), make_takedown(ctx, manager, ellie), make_takedown(ctx, manager, bob)]
    today = clock.now().date()
    for level in ("first_written", "first_written", "final_written"):
        db.add(
            WrittenWarning(
                person_id=ellie.id,
                case_id=cases[0].id,
                level=level,
                issued_on=today,
                expires_on=today + timedelta(days=180),
                recorded_at=clock.now(),
            )
        )
    # More steps waiting on Ellie: two more late ones on her first case, and
    # one with no deadline on Bob's (whose own response is late).
    for case, due_at in ((cases[0], clock.now()), (cases[0], clock.now()), (cases[2], None)):
        db.add(
            CaseTask(
                case_id=case.id,
                spiff_task_id=str(uuid.uuid4()),
                bpmn_id="UserTask_Extra",
                title="Also waiting",
                lane="Subject",
                assignee_id=ellie.id,
                form_name="extra",
                due_at=due_at,
                created_at=clock.now(),
            )
        )
    db.flush()
    clock.advance(timedelta(days=30))  # every response is late
    web.login(make_hr(db))
    page = web.text("/dashboard/")
    _counted(web, page, "First written warnings", expect={cases[0].reference})
    section = page[page.index("Waiting on") : page.index("months-heading")]
    rows = re.findall(r"<tr><td>([^<]+)</td>", section)
    assert _in_row(section, "Ellie Jones")[0][1] == 3  # her two cases and Bob's
    for owner in rows:
        for url, count in _in_row(section, owner):
            assert count == len(_listed(web, url)), (owner, url)

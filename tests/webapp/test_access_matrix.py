"""Every URL rule × every role × every relation to a case: who gets a page,
who a 403 (always audited), who a 404, with no leaks.

The rules are enumerated from `app.url_map`: a route added without a target
in access_rules.py fails `test_every_url_rule_is_in_the_matrix` until it is
classified. The people and cases are access_world.py's; the expected statuses
come from access_rules.py, written from the need-to-know rules.

The places item 10 of the hardening issue closed (a pool step, a completed
step's address, a linked case) are named in tests of their own at the end.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, or_, select

from models import AuditEvent, Case, CaseParty

from . import access_rules as rules
from . import access_world
from .browserless import Web


@pytest.fixture
def world(ctx, db):
    return access_world.build(ctx, db)


def signed_in(app, persona: access_world.Persona) -> Web:
    web = Web(app.test_client())
    if persona.user is not None:
        with web.client.session_transaction() as session:
            session["_user_id"] = persona.user.get_id()
            session["_fresh"] = True
    return web


def cases_of(db, world, persona) -> dict[str, Case]:
    """Their own cases (a party or the subject) and the strangers' set."""
    if persona.user is None:
        return {name: world.cases[name] for name in world.strangers}
    mine = set(
        db.scalars(
            select(Case.id).where(
                or_(
                    Case.subject_id == persona.user.id,
                    Case.id.in_(select(CaseParty.case_id).where(CaseParty.user_id == persona.user.id)),
                )
            )
        )
    )
    return {name: case for name, case in world.cases.items() if case.id in mine or name in world.strangers}


def targets_for(db, world, persona) -> list[tuple[str, rules.Target]]:
    found = []
    for name, case in cases_of(db, world, persona).items():
        f = rules.facts(db, persona.user, case) if persona.user else None
        found += [(name, t) for t in rules.case_targets(db, f, case, name)]
    return found + [("", t) for t in rules.global_targets(persona.user)]


def last_event(db) -> int:
    return db.scalar(select(func.max(AuditEvent.id))) or 0


def refused_since(db, user, event_id: int) -> bool:
    """An access_denied by `user` after `event_id`: the few events one request
    wrote, read in key order (never a scan of the whole, ever-growing trail)."""
    since = db.execute(
        select(AuditEvent.action, AuditEvent.actor_id)
        .where(AuditEvent.id > event_id)
        .order_by(AuditEvent.id)
        .limit(100)
    ).all()
    return ("access_denied", user.id) in {tuple(row) for row in since}


def request(web: Web, target: rules.Target, token: str):
    if target.method == "GET":
        return web.client.get(target.url)
    return web.client.open(target.url, method=target.method, data={**(target.data or {}), "csrf_token": token})


def check(db, web: Web, persona, target: rules.Target, token: str) -> str | None:
    before = last_event(db)
    status = request(web, target, token).status_code
    if status != target.expected:
        return f"{persona.key} {target.method} {target.what} ({target.url}): {status}, expected {target.expected}"
    if status == rules.REFUSED and not refused_since(db, persona.user, before):
        return f"{persona.key} {target.method} {target.what}: a 403 with no access_denied event"
    return None


def run_matrix(app, db, world, cells=None, share=(0, 1)) -> tuple[list[str], set[tuple[str, str]]]:
    """`share` (k, n): only every n-th persona from the k-th."""
    problems, covered = [], set()
    first, step = share
    for persona in world.personas[first::step]:
        web = signed_in(app, persona)
        token = web.token("/" if persona.user else "/login")
        for name, target in targets_for(db, world, persona):
            if cells is not None and (persona.key, name, target.what) not in cells:
                continue
            covered.add((target.endpoint, target.method))
            problems.append(check(db, web, persona, target, token))
    return [p for p in problems if p], covered


def test_every_url_rule_is_in_the_matrix(app, db, world):
    planned = {(t.endpoint, t.method) for persona in world.personas for _name, t in targets_for(db, world, persona)}
    rules_here = {(r.endpoint, m) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}}
    assert rules_here - planned == set(), "URL rules with no access target: classify them in access_rules.py"


# The personas run in shares, each test in its own transaction: on PostgreSQL
# every request moves the same few audit-chain rows, and a row updated
# thousands of times in one transaction costs more to find at each update.
SHARES = 5


@pytest.mark.parametrize("share", range(SHARES))
def test_nobody_reaches_what_the_rules_keep_from_them(app, db, world, share):
    problems, _covered = run_matrix(app, db, world, share=(share, SHARES))
    assert problems == [], "\n".join(problems)


def test_the_case_list_shows_a_case_to_exactly_those_who_may_see_it(app, db, world):
    problems = []
    for persona in world.personas[1:]:
        web = signed_in(app, persona)
        for name, case in cases_of(db, world, persona).items():
            listed = f'href="/cases/{case.reference}"' in web.text(f"/cases/?q={case.reference}")
            if listed != rules.facts(db, persona.user, case).listed:
                problems.append(f"{persona.key} {'sees' if listed else 'misses'} {name} on the case list")
    assert problems == [], "\n".join(problems)


# --- item 10: where it leaked ---------------------------------------------------


def _cells(db, world, persona_key: str, case_name: str, endpoint: str) -> set[tuple[str, str, str]]:
    persona = next(p for p in world.personas if p.key == persona_key)
    return {
        (persona.key, name, t.what)
        for name, t in targets_for(db, world, persona)
        if name == case_name and t.endpoint == endpoint and "(completed)" in t.what
    }


def test_a_reporter_holding_the_hub_manager_role_cannot_open_the_case_through_the_pool(app, db, world):
    reporter = next(p for p in world.personas if p.relation == "reporter holding the waiting step's pool role")
    case = world.cases["BI-ico"]
    assert rules.facts(db, reporter.user, case).waiting_pools == {"hub_manager"}
    web = signed_in(app, reporter)
    assert web.client.get(f"/cases/{case.reference}").status_code == 403
    assert case.reference not in web.text("/") and case.reference not in web.text("/cases/")


def test_the_subject_learns_nothing_of_hr_s_completed_steps_from_their_urls(app, db, world):
    cells = _cells(db, world, "employee/subject", "BI-employee", "tasks.task")
    problems, _ = run_matrix(app, db, world, cells)
    assert cells and problems == [], "\n".join(problems)


def test_the_requester_does_not_see_the_linked_investigation_on_the_takedown_page(app, db, world):
    requester = next(p for p in world.personas if p.key == "manager/requester")
    investigation = world.cases["BI-linked"]
    page = signed_in(app, requester).text(f"/cases/{world.cases['TD-linked'].reference}")
    assert investigation.reference not in page and investigation.title not in page

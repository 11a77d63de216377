"""The case list asks the database the same question access.can_view_case answers."""

from __future__ import annotations

from tests.factories import make_breach, make_hr, make_manager, make_takedown, make_user
from workflows.engine import access, queries
from workflows.engine.audit import SYSTEM
from workflows.engine.running import add_party


def _case_with(ctx, db, opener, subject, *extra_parties):
    case = make_breach(ctx, opener, subject)
    for user, role in extra_parties:
        add_party(case, user, role, SYSTEM)
    db.flush()
    return case


def test_the_case_list_shows_exactly_the_cases_a_person_may_open(ctx, db):
    hr, other_hr, opener = make_hr(db, "Hana HR"), make_hr(db, "Omar Other-HR"), make_hr(db, "Olga Opener")
    manager = make_manager(db)
    employee = make_user(db, "Eve Employee", line_manager=manager)
    cases = [
        _case_with(ctx, db, opener, employee),  # HR sees it
        _case_with(ctx, db, opener, hr),  # HR is the subject
        _case_with(ctx, db, opener, employee, (hr, "Reporter")),  # HR only reported it
        _case_with(ctx, db, opener, employee, (hr, "Reporter"), (hr, "Hub Manager")),
        _case_with(ctx, db, other_hr, employee, (hr, "Investigator"), (manager, "Investigator")),
        _case_with(ctx, db, opener, other_hr, (employee, "Reporter")),
        make_takedown(ctx, manager, employee),  # the manager requested it
    ]
    for person in (hr, other_hr, manager, employee):
        listed = set(queries.list_cases(db, person, per_page=50).cases)
        assert listed == {c for c in cases if access.can_view_case(person, c)}, person.name
    assert cases[1] in queries.list_cases(db, hr).cases  # the subject sees their own case as a party
    assert cases[2] not in queries.list_cases(db, hr).cases
    assert set(queries.list_cases(db, manager).cases) == {cases[4], cases[6]}


def test_search_finds_by_title_or_subject_name_and_keeps_visibility(ctx, db):
    hr, opener, manager = make_hr(db), make_hr(db, "Olga Opener"), make_manager(db)
    zoe = make_user(db, "Zoë Smithson", line_manager=manager)
    other = make_user(db, "Ann Other", line_manager=manager)
    by_name = _case_with(ctx, db, opener, zoe)
    by_title = _case_with(ctx, db, opener, other)
    by_title.title = "Posts by a Smithsonian fan"
    hidden = _case_with(ctx, db, opener, zoe, (hr, "Reporter"))
    db.flush()
    found = queries.list_cases(db, hr, search="smithson").cases
    assert set(found) == {by_name, by_title}
    assert hidden not in found


def test_pages_are_newest_first_and_counts_stop_at_the_cap(ctx, db, monkeypatch):
    hr, manager = make_hr(db), make_manager(db)
    cases = [make_takedown(ctx, manager, make_user(db, line_manager=manager)) for _ in range(5)]
    newest_first = cases[::-1]
    second = queries.list_cases(db, hr, page=2, per_page=2)
    assert second.cases == newest_first[2:4] and (second.total, second.pages) == (5, 3)
    monkeypatch.setattr(queries, "COUNT_LIMIT", 3)
    capped = queries.list_cases(db, hr, page=1, per_page=2)
    assert capped.more_than_counted and capped.total == 4 and capped.pages == 2
    assert capped.cases == newest_first[:2]

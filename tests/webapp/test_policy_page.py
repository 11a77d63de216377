"""The policy page: each clause with what it is and what acts on it."""

from __future__ import annotations

from tests.factories import make_user


def test_the_policy_page_says_what_each_clause_is_and_what_acts_on_it(web, db):
    web.login(make_user(db, "Ellie Jones"))
    page = web.text("/policy")
    assert "Duty" in page and "Inaccurate information report: the report itself" in page
    assert "Monitoring finding: restricts a person&#39;s access to social media sites" in page
    assert "Disciplinary procedure: summary dismissal only with gross misconduct found and this clause cited" in page
    assert "Advice, shown here; nothing to enforce." in page

"""`flask demo load` (what `make run` does): demo people, two demo cases, a clean trail."""

from sqlalchemy import func, select

from models import Case
from workflows import demo
from workflows.engine import audit


def test_demo_loads_twice_with_new_passwords_and_one_set_of_cases(ctx, db):
    first = demo.load(ctx)
    second = demo.load(ctx)
    assert {login.email for login in first} == {login.email for login in second}
    assert all(a.password != b.password for a, b in zip(first, second))
    kinds = dict(db.execute(select(Case.kind, func.count()).group_by(Case.kind)).all())
    assert kinds == {"takedown_request": 1, "breach_investigation": 1}
    checked, problems = audit.verify(db)
    assert checked > 10 and problems == []

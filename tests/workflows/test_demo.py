"""`flask demo load` (what `make run` does): demo people, their cases, a clean trail."""

from sqlalchemy import func, select

from models import Case, User
from workflows import demo
from workflows.engine import audit, workdays
from workflows.procedures.campaign_permission import authorisations
from workflows.procedures.disciplinary import warning_register
from workflows.procedures.monitoring import restrictions


def test_demo_loads_twice_with_new_passwords_and_one_set_of_cases(ctx, db):
    first = demo.load(ctx)
    second = demo.load(ctx)
    assert {login.email for login in first} == {login.email for login in second}
    assert all(a.password != b.password for a, b in zip(first, second))
    kinds = dict(db.execute(select(Case.kind, func.count()).group_by(Case.kind)).all())
    assert kinds == {
        "takedown_request": 1,
        "breach_investigation": 3,
        "disciplinary": 2,
        "inaccurate_information_report": 1,
        "monitoring_finding": 1,
        "campaign_permission": 1,
        "volunteer_problem_solving": 1,
        "trustee_referral": 1,
    }
    tom = db.scalar(select(User).where(User.email == "tom.baker@bcwhub.test"))
    [warning] = warning_register.live_warnings(db, tom, workdays.today())
    assert warning.level == "final_written"
    waiting = db.scalar(select(Case).where(Case.kind == "disciplinary", Case.status == "open"))
    assert waiting.current_step == "Appoint a hearing officer"
    report = db.scalar(select(Case).where(Case.kind == "inaccurate_information_report"))
    mark = db.scalar(select(User).where(User.email == "mark.taylor@bcwhub.test"))
    assert report.subject.email == "sam.wright@bcwhub.test"
    assert [(t.title, t.assignee_id) for t in report.ready_tasks] == [("Decide what to do about the report", mark.id)]
    [due] = restrictions.in_force(db)
    assert due.review_due and due.case.subject.email == "sam.wright@bcwhub.test" and due.told
    assert due.case.current_step == "Review the restriction"
    campaign = db.scalar(select(Case).where(Case.kind == "campaign_permission"))
    assert campaign.subject.email == "priya.shah@bcwhub.test" and campaign.status == "open"
    [waiting] = campaign.ready_tasks
    assert waiting.title == "Decide on the campaign" and waiting.pool_role == "hub_manager"
    ellie = db.scalar(select(User).where(User.email == "ellie.jones@bcwhub.test"))
    assert list(authorisations.of(db, ellie)) == ["instagram"]
    vic = db.scalar(select(Case).where(Case.kind == "volunteer_problem_solving"))
    assert vic.subject.email == "vic.patel@bcwhub.test" and vic.current_step == "Choose the volunteer coordinator"
    tariq = db.scalar(select(Case).where(Case.kind == "trustee_referral"))
    assert tariq.subject.email == "tariq.khan@bcwhub.test" and tariq.current_step == "Record the board's decision"
    checked, problems = audit.verify(db)
    assert checked > 10 and problems == []

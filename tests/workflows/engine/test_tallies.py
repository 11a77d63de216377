"""The dashboard's tallies, kept by the operations, say what the cases say:
along every takedown path, after a rebuild, over a person's rolling year,
and never for work that rolled back."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models import Case, CaseTally, DashboardTally, SubjectTally, TallyChange, make_session_factory
from tests.factories import make_manager, make_takedown, make_user
from tests.webapp.test_dashboard import _takedowns
from workflows.engine import clock, registry, tallies
from workflows.engine.context import Context
from workflows.engine.outbox import MailSettings
from workflows.engine.tallies import reading
from workflows.engine.worker import Worker
from workflows.procedures.takedown.opening import KIND


def _kept(db) -> dict:
    return {
        "days": sorted(
            (r.figure, r.kind, r.day, r.key, r.cases) for r in db.scalars(select(DashboardTally)) if r.cases
        ),
        "cases": sorted((r.case_id, str(r.facts)) for r in db.scalars(select(CaseTally))),
        "people": sorted((r.person_id, r.kind, r.cases) for r in db.scalars(select(SubjectTally))),
    }


def test_along_every_takedown_path_each_measure_tallies_what_its_own_query_counts(ctx, db):
    _takedowns(ctx, db)
    tallies.settle(db)
    assert tallies.check(db) == []
    tallied = reading.measured(db, KIND, None, None)
    for measure in registry.find(KIND).measures:  # each path meets at least one
        counted = db.scalar(select(func.count()).select_from(measure.cases().subquery()))
        assert (measure.name, tallied.get(measure.name, 0)) == (measure.name, counted)
    assert sum(tallied.values()) >= 5
    ended = reading.ended(db, KIND, None, None)
    assert sum(n for (n,) in ended.values()) == 4  # closed three ways, withdrawn once; one still waits on HR


def test_a_rebuild_from_the_cases_makes_what_the_operations_kept(ctx, db):
    _takedowns(ctx, db)
    tallies.settle(db)
    kept = _kept(db)
    assert kept["days"] and kept["cases"] and kept["people"]
    assert tallies.rebuild(db) == len(kept["cases"])
    assert _kept(db) == kept


def test_a_persons_year_holds_until_its_oldest_case_leaves_it_and_is_then_recounted(ctx, db):
    manager, ellie = make_manager(db), make_user(db, "Ellie Jones")
    make_takedown(ctx, manager, ellie)
    clock.advance(timedelta(days=30))
    make_takedown(ctx, manager, ellie)
    tallies.settle(db)
    assert tallies.repeats(db, "", clock.now().date(), 50) == {ellie.id: 2}
    assert tallies.repeats(db, KIND, clock.now().date(), 50) == {ellie.id: 2}
    clock.advance(timedelta(days=340))  # the first is 370 days old, the second 340
    # Not yet recounted: read straight from her cases, she has one this year.
    assert tallies.repeats(db, "", clock.now().date(), 50) == {}
    assert db.get(SubjectTally, (ellie.id, "")).cases == 2
    assert tallies.refresh_due(db) == 1
    assert db.get(SubjectTally, (ellie.id, "")).cases == 1 and tallies.check(db) == []
    assert tallies.refresh_due(db) == 0  # true again until the second leaves the year


def test_an_operation_records_its_change_once_in_its_own_transaction_and_the_worker_folds_it(
    committed, library, settings, engine
):
    db = committed()
    ctx = Context(db=db, library=library, settings=settings)
    manager, ellie = make_manager(db), make_user(db, "Ellie Jones")
    db.commit()
    make_takedown(ctx, manager, ellie)
    db.rollback()  # work that rolled back records nothing
    assert db.scalar(select(func.count()).select_from(TallyChange)) == 0
    case = make_takedown(ctx, manager, ellie)
    db.commit()
    db.commit()  # nothing more to record
    changes = db.execute(select(TallyChange.case_id, TallyChange.person_id)).all()
    assert sorted(changes, key=str) == sorted([(case.id, None), (None, ellie.id)], key=str)
    assert _kept(db)["days"] == []  # an operation writes no tally itself
    db.rollback()  # (SQLite: its one writer's lock goes with the transaction)
    worker = Worker(make_session_factory(engine), library, settings, MailSettings())
    [folding] = [job for job in worker.upkeep if job.name == "tally changes folded"]
    with worker.sessions() as round_db:
        folding.maybe(Context(round_db, library, settings))
    assert [(figure, n) for figure, _kind, _day, _key, n in _kept(db)["days"]] == [("opened", 1)]
    assert db.scalar(select(func.count()).select_from(TallyChange)) == 0
    assert db.get(SubjectTally, (ellie.id, "")).cases == 1 and tallies.check(db) == []


def test_flask_tallies_check_names_a_case_changed_around_the_operations_and_rebuild_mends_it(ctx, db, app):
    world = _takedowns(ctx, db)
    tallies.settle(db)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["tallies", "check"])
    assert ok.exit_code == 0 and "agree with the cases" in ok.output
    case = db.scalar(select(Case).where(Case.reference == world["cases"]["in_time"]))
    db.execute(Case.__table__.update().where(Case.id == case.id).values(status="withdrawn"))  # no operation
    failed = runner.invoke(args=["tallies", "check"])
    assert failed.exit_code == 1 and f"case {case.id} added" in failed.output
    rebuilt = runner.invoke(args=["tallies", "rebuild"])
    assert rebuilt.exit_code == 0 and runner.invoke(args=["tallies", "check"]).exit_code == 0

"""Figure: a disciplinary step against the bare SpiffWorkflow cycle for the
same step, and how step cost grows with a case's history.

The loop is the hearing postponed again and again (the employee's companion
cannot come; HR grants another time). The step timed is the employee's
"Name your companion" asking for another time, at turn 1-10 (a fresh case),
50-59 and 200-209. The bare library runs the same steps with the same data
on the same case, interleaved turn by turn, keeping every task as the
library does; the app forgets finished tasks before each save
(workflows/engine/history.py).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Case, Role, User, make_engine
from workflows.engine import workdays
from workflows.engine.queries import case_data
from workflows.engine.tasks import complete_task, open_task
from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary

from .common import Figure, add_person, backends, fresh_database, summarize
from .data import context, library, ready_task

STEP_TARGETS = {"sqlite": 3.0, "postgresql": 5.0}  # as the takedown step (step_cost)
GROWTH_TARGET = 1.5
WINDOWS = {"fresh": 1, "50": 50, "200": 200}  # first turn of each window of measured turns
SAMPLES = 10
REASONS = "The companion's reason is good and the date is close."


def run(opts) -> Figure:
    fig = Figure("history", "a disciplinary step vs the bare library, and step cost after 50 and 200 postponements")
    for backend in backends(opts):
        measure_backend(fig, backend, opts)
    fig.notes.append(
        "timed: the employee's 'Name your companion' asking for another time (open_task + complete_task + "
        "commit, a fresh Session each step); baseline: the bare library cycle for the same step with the "
        "same data (deserialize_json + run + do_engine_steps + serialize_json), keeping every task. "
        f"{SAMPLES} turns per window, interleaved turn by turn. Python's recursion limit is raised to "
        "20,000 for the bare library: with the default 1,000 it fails with RecursionError after about 90 turns. "
        "The bare library runs the first 60 turns only: on this diagram, after about 110 turns a completed "
        "'Another time asked?' gateway leaves no next task in the bare library's tree (the app, whose tree "
        "stays small, goes on), so it has no figure at 200."
    )
    return fig


def measure_backend(fig: Figure, backend: str, opts) -> None:
    # Spiff's Task.is_descendant_of recurses once per ancestor, and each turn
    # adds ~10 ancestors: past ~90 turns the bare library needs more than
    # Python's default 1,000 frames. The app's tree stays a few tasks deep.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    engine = make_engine(fresh_database(backend, opts, "history"))
    samples = SAMPLES if not opts.quick else 3
    last = max(WINDOWS.values()) + samples if not opts.quick else 20 + samples
    windows = WINDOWS if not opts.quick else {"fresh": 1, "50": 10, "200": 20}
    case_id, people = seed(engine, opts)
    bare = Bare(engine, case_id)
    app_ms, bare_ms = {}, {}
    bare_until = windows["50"] + samples  # past ~110 turns the bare library loses the main line (below)
    for turn in range(1, last):
        data, ms = app_turn(engine, opts, case_id, people, first=turn == 1)
        app_ms[turn] = ms
        if turn < bare_until:
            bare_ms[turn] = bare.turn(data, first=turn == 1)
    stats = {
        name: (
            summarize([app_ms[t] for t in range(start, start + samples)]),
            summarize([bare_ms[t] for t in range(start, start + samples) if t in bare_ms]),
        )
        for name, start in windows.items()
    }
    report(fig, backend, stats, windows)
    with Session(engine) as db:
        fig.counts[f"{backend}_app_tasks_after_{last - 1}_turns"] = len(db.get(Case, case_id).state["tasks"])
    fig.counts[f"{backend}_bare_tasks_after_{bare_until - 1}_turns"] = bare.tasks
    engine.dispose()


def seed(engine, opts) -> tuple[int, dict[str, int]]:
    """A case whose hearing letter has gone out, waiting on the employee."""
    with Session(engine, expire_on_commit=False) as db:
        manager = add_person(db, "Mo Manager", "manager.history@bcwhub.test", (Role.MANAGER,))
        people = {
            "hr": add_person(db, "Hana HR", "hr.history@bcwhub.test", (Role.HR,)),
            "officer": add_person(db, "Grace Hub", "hub.history@bcwhub.test", (Role.HUB_MANAGER,)),
            "employee": add_person(db, "Eve Employee", "eve.history@bcwhub.test", line_manager=manager),
        }
        ctx = context(db, opts.workdir)
        opening = DisciplinaryOpening(
            subject=people["employee"],
            clauses=["SMP-5.5"],
            reason="Admitted in writing.",
            allegation="Posted a photo of a service user without consent.",
        )
        case = open_disciplinary(ctx, people["hr"], opening)
        db.commit()
        ids = {k: v.id for k, v in people.items()}
    hearing = f"{workdays.add_working_days(workdays.today(), 6).isoformat()}T10:00"
    step(
        engine,
        opts,
        case.id,
        "UserTask_AppointHearingOfficer",
        ids["hr"],
        {"hearing_officer_id": ids["officer"], "conflict_reason": ""},
    )
    step(engine, opts, case.id, "UserTask_Invite", ids["hr"], {"hearing_at": hearing, "place": "Room 2"})
    return case.id, ids


def step(engine, opts, case_id: int, bpmn_id: str, user_id: int, data: dict) -> tuple[dict, float]:
    """One step as a request makes it; returns the data the step handed the
    engine (as audited: submitted and derived) and the milliseconds it took
    (the user is loaded before the clock starts)."""
    with Session(engine, expire_on_commit=False) as db:
        user = db.get(User, user_id)
        start = time.perf_counter()
        ctx = context(db, opts.workdir)
        complete_task(ctx, open_task(db, user, ready_task(db, case_id, bpmn_id).id), dict(data))
        db.commit()
        elapsed = (time.perf_counter() - start) * 1000
        completed = select(AuditEvent.data).where(AuditEvent.case_id == case_id, AuditEvent.action == "task_completed")
        return db.scalar(completed.order_by(AuditEvent.id.desc()).limit(1))["data"], elapsed


def app_turn(engine, opts, case_id: int, people: dict[str, int], first: bool) -> tuple[list[dict], float]:
    """The companion cannot come; another time is asked for and granted
    (by the procedure the first time, by HR after). Returns each step's data."""
    with Session(engine) as db:
        later = datetime.fromisoformat(case_data(db.get(Case, case_id))["hearing_at"]) + timedelta(days=1)
    ask = {
        "companion_unavailable": True,
        "proposed_at": later.isoformat(timespec="minutes"),
        "companion_choice": "fellow_worker",
        "companion_name": "Sam Wright",
    }
    after_ask, ms = step(engine, opts, case_id, "UserTask_Companion", people["employee"], ask)
    data = [("UserTask_Companion", after_ask)]
    if not first:
        grant = {"postponement_granted": True, "postponement_reasons": REASONS}
        after_grant, _ = step(engine, opts, case_id, "UserTask_DecidePostponement", people["hr"], grant)
        data.append(("UserTask_DecidePostponement", after_grant))
    return data, ms


class Bare:
    """The same case in the bare library: every task kept, as Spiff does."""

    def __init__(self, engine, case_id: int):
        lib = library()
        with Session(engine) as db:
            case = db.get(Case, case_id)
            self.blob = lib.serializer.serialize_json(lib.restore(db, case.spec_hash, case.state))
        self.tasks = 0

    def turn(self, steps: list[tuple[str, dict]], first: bool) -> float:
        timed = [self._step(bpmn_id, data) for bpmn_id, data in steps]
        return timed[0]  # the companion step, as timed in the app

    def _step(self, bpmn_id: str, data: dict) -> float:
        lib = library()
        start = time.perf_counter()
        workflow = lib.serializer.deserialize_json(self.blob)
        workflow.script_engine = lib.script_engine
        (task,) = [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.name == bpmn_id]
        task.data.update(data)
        task.run()
        workflow.do_engine_steps()
        self.blob = lib.serializer.serialize_json(workflow)
        elapsed = (time.perf_counter() - start) * 1000
        self.tasks = len(workflow.tasks)
        return elapsed


def report(fig: Figure, backend: str, stats: dict, windows: dict) -> None:
    app_fresh, bare_fresh = stats["fresh"]
    fig.compare(
        f"companion step, fresh case p50 ({backend})", app_fresh["p50"], bare_fresh["p50"], STEP_TARGETS[backend]
    )
    for name in ("50", "200"):
        (app, bare), turns = stats[name], windows[name]
        fig.compare(
            f"after {turns} postponements: app vs fresh p50 ({backend})", app["p50"], app_fresh["p50"], GROWTH_TARGET
        )
        if bare["n"]:
            fig.compare(
                f"after {turns} postponements: bare library vs fresh p50 ({backend})",
                bare["p50"],
                bare_fresh["p50"],
                None,
            )

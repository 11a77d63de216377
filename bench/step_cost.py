"""Figure 1: one takedown step through the operations layer, against the bare
SpiffWorkflow cycle for the same diagram and step, interleaved so both see
the same machine noise."""

from __future__ import annotations

import time
from uuid import UUID

from sqlalchemy.orm import Session

from models import Case, User, make_engine
from workflows.engine.tasks import complete_task, open_task

from . import sqlprobe
from .common import Figure, backends, fresh_database, profile, summarize
from .data import RESPOND_REMOVED, VERIFY_REMOVED, context, library, open_takedown, ready_task, trio

TARGETS = {"sqlite": 3.0, "postgresql": 5.0}
STEPS = (
    ("Respond", "UserTask_Respond", "subject", RESPOND_REMOVED),
    ("Verify", "UserTask_Verify", "requester", VERIFY_REMOVED),
)
WARMUP = 5


def run(opts) -> Figure:
    fig = Figure("step_cost", "one takedown step: complete_task + commit vs bare SpiffWorkflow cycle")
    for backend in backends(opts):
        measure_backend(fig, backend, opts)
    fig.notes.append(
        "app: a fresh Session per step (as a request), user loaded before the clock; "
        "timed = open_task + complete_task + commit. baseline: serializer.deserialize_json "
        "(spec included) + set data + task.run + do_engine_steps + serialize_json, same "
        "ProcessLibrary serializer and script engine, interleaved step by step."
    )
    return fig


def measure_backend(fig: Figure, backend: str, opts) -> None:
    url = fresh_database(backend, opts, "step_cost")
    engine = make_engine(url)
    count = opts.steps + WARMUP
    case_ids, people = seed(engine, opts, count + opts.profile_steps)
    to_profile = []
    for label, bpmn_id, who, data in STEPS:
        app, bare = [], []
        for index, case_id in enumerate(case_ids[:count]):
            blob, spiff_id, row_id = bare_input(engine, case_id, bpmn_id)
            app_ms = app_step(engine, opts, row_id, people[who], data)
            bare_ms = bare_step(blob, spiff_id, data)
            if index >= WARMUP:
                app.append(app_ms)
                bare.append(bare_ms)
        if not report(fig, backend, label, summarize(app), summarize(bare)) or opts.profile:
            to_profile.append(label)
    spare = case_ids[count:]
    for label, bpmn_id, who, data in STEPS:  # in order: spare cases move on step by step
        rows = [bare_input(engine, c, bpmn_id)[2] for c in spare]
        first, rest = rows[:1], rows[1:]
        fig.counts[f"{backend}_{label.lower()}_sql_statements"] = sqlprobe.count(
            engine, lambda: [app_step(engine, opts, r, people[who], data) for r in first]
        )
        work = lambda: [app_step(engine, opts, r, people[who], data) for r in rest]
        if label in to_profile:
            fig.profiles[f"{backend} {label} step x{len(rest)}"] = profile(work)
        else:
            work()
    engine.dispose()


def seed(engine, opts, count: int) -> tuple[list[int], dict[str, int]]:
    with Session(engine, expire_on_commit=False) as db:
        people = trio(db, "step")
        db.commit()
        ctx = context(db, opts.workdir)
        ids = []
        for _ in range(count):
            ids.append(open_takedown(ctx, people["requester"], people["subject"]).id)
            db.commit()
        return ids, {k: v.id for k, v in people.items()}


def app_step(engine, opts, task_row_id: int, user_id: int, data: dict) -> float:
    with Session(engine, expire_on_commit=False) as db:
        user = db.get(User, user_id)  # the request's user loader: not part of the step
        start = time.perf_counter()
        ctx = context(db, opts.workdir)
        complete_task(ctx, open_task(db, user, task_row_id), dict(data))
        db.commit()
        return (time.perf_counter() - start) * 1000


def bare_input(engine, case_id: int, bpmn_id: str) -> tuple[str, UUID, int]:
    """The library's own JSON (spec included) of this case, the step's spiff
    task id and its case_tasks row id."""
    with Session(engine) as db:
        case = db.get(Case, case_id)
        workflow = library().restore(db, case.spec_hash, case.state)
        row = ready_task(db, case_id, bpmn_id)
        return library().serializer.serialize_json(workflow), UUID(row.spiff_task_id), row.id


def bare_step(blob: str, task_id: UUID, data: dict) -> float:
    lib = library()
    start = time.perf_counter()
    workflow = lib.serializer.deserialize_json(blob)
    workflow.script_engine = lib.script_engine
    task = workflow.get_task_from_id(task_id)
    task.data.update(data)
    task.run()
    workflow.do_engine_steps()
    lib.serializer.serialize_json(workflow)
    return (time.perf_counter() - start) * 1000


def report(fig: Figure, backend: str, label: str, app: dict, bare: dict) -> bool:
    rows = [
        fig.compare(f"{label} step {stat} ({backend})", app[stat], bare[stat], TARGETS[backend])
        for stat in ("p50", "p95")
    ]
    fig.counts[f"{backend}_{label.lower()}_steps"] = app["n"]
    return all(row.met for row in rows)

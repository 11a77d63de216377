"""Figure: what an idle `flask worker` costs. Asleep with nothing due, and
while another worker holds the only due case (it used to retry that case in
a busy loop: 70% of a core). CPU is read from /proc for the worker process."""

from __future__ import annotations

import os
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, make_engine
from workflows.engine import clock

from .common import Figure, fresh_database, log, main_backend
from .data import context, open_takedown, trio
from .timer_delay import start_worker

TARGET = 2.0  # % of one core


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def measure_cpu(pid: int, seconds: float) -> float:
    """% of one core the process used over `seconds`."""
    before, start = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (cpu_seconds(pid) - before) / (time.monotonic() - start)


def run(opts) -> Figure:
    fig = Figure("idle", "an idle worker's CPU")
    backend = main_backend(opts)
    url = fresh_database(backend, opts, "idle")
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as db:
        people = trio(db, "idle")
        db.commit()
    worker = start_worker(url, opts)
    try:
        time.sleep(3)  # started and asleep
        asleep = measure_cpu(worker.pid, opts.idle_seconds)
        fig.add(
            f"asleep, nothing due ({backend})",
            round(asleep, 2),
            "% of a core",
            target=f"<= {TARGET}",
            met=asleep <= TARGET,
        )
        if backend == "postgresql":
            held = _while_a_due_case_is_held(engine, people, worker.pid, opts)
            fig.add(
                "a due case held by another worker (PostgreSQL)",
                round(held, 2),
                "% of a core",
                baseline=round(asleep, 2),
                ratio=round(held / asleep, 2) if asleep else None,
                target=f"<= {TARGET}",
                met=held <= TARGET,
            )
    finally:
        worker.terminate()
        worker.wait(10)
        engine.dispose()
    fig.notes.append(
        f"CPU of the `flask worker` process over {opts.idle_seconds:g} s (utime + stime from "
        "/proc); the held case is claimed FOR NO KEY UPDATE by another session, as a busy worker "
        "would, and stays due"
    )
    return fig


def _while_a_due_case_is_held(engine, people, pid: int, opts) -> float:
    with Session(engine, expire_on_commit=False) as db:
        case = open_takedown(
            context(db, opts.workdir), people["requester"], people["subject"], deadline_hours=4 / 3600
        )  # its reminder falls due in 2 s
        db.commit()
    with Session(engine) as holder:
        holder.scalars(select(Case).where(Case.id == case.id).with_for_update(key_share=True)).all()
        time.sleep(2.5)  # now due, and not claimable
        held = measure_cpu(pid, opts.idle_seconds)
        still_due = holder.scalar(select(Case.next_timer_at).where(Case.id == case.id)) <= clock.now()
        holder.rollback()
    if not still_due:
        raise RuntimeError("the held case was fired: the measurement is not of a held case")
    log(f"idle: worker at {held:.2f}% of a core while a due case was held")
    return held

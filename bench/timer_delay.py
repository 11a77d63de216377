"""How late timers fire under the real worker: `flask --app wsgi worker` at
its default settings runs while real cases' reminders and deadlines fall due."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Case, Role, make_engine

from .common import ROOT, add_person, fresh_database, log, summarize
from .data import context, open_takedown, trio

LEAD_SECONDS = 3.0  # the first deadline falls this long after the cases start opening


def measure_delay(backend: str, opts, errors: list[str]) -> dict:
    """A fresh database, so the worker sees a quiet system, not the backlog
    (and dead outbox rows) the throughput runs leave behind."""
    url = fresh_database(backend, opts, "timer_delay")
    engine = make_engine(url)
    worker = start_worker(url, opts)
    try:
        time.sleep(2.0)  # started and idle, polling
        case_ids = open_spread(engine, opts)
        wait_fired(engine, case_ids, worker, timeout=opts.delay_window + LEAD_SECONDS + 30)
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(30)
        else:
            log_tail = (Path(opts.workdir) / "worker.log").read_text(errors="replace").strip()
            errors.append(f"flask worker exited ({worker.returncode}): {log_tail.splitlines()[-1:]}")
    delays = timer_delays(engine, case_ids)
    engine.dispose()
    return {**summarize(delays), "timers": len(delays), "cases": len(case_ids)}


def start_worker(url: str, opts) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-secret",
        "EVIDENCE_DIR": str(Path(opts.workdir) / "evidence"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("MAIL_SERVER", None)
    log_file = open(Path(opts.workdir) / "worker.log", "wb")
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )


def open_spread(engine, opts) -> list[int]:
    """Real cases whose deadlines fall due at random moments over the window
    (their reminders halfway to each), opened through the operations layer."""
    rng, ids = random.Random(7), []
    moments = sorted(rng.uniform(0, opts.delay_window) for _ in range(opts.delay_cases))
    with Session(engine, expire_on_commit=False) as db:
        people = trio(db, "delay")
        add_person(db, "Hana HR two", "hr2.delay@bcwhub.test", (Role.HR,))
        db.commit()
        ctx, first = context(db, opts.workdir), time.time() + LEAD_SECONDS
        for moment in moments:
            hours = max(0.2, first + moment - time.time()) / 3600
            ids.append(open_takedown(ctx, people["requester"], people["subject"], deadline_hours=hours).id)
            db.commit()
    log(f"    {len(ids)} cases opened; deadlines over the next {opts.delay_window:g} s")
    return ids


def wait_fired(engine, case_ids: list[int], worker: subprocess.Popen, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and worker.poll() is None:
        with Session(engine) as db:
            waiting = db.scalar(
                select(func.count()).select_from(Case).where(Case.id.in_(case_ids), Case.next_timer_at.is_not(None))
            )
        if not waiting:
            return
        time.sleep(0.5)
    log(f"    {waiting} cases still waiting")


def timer_delays(engine, case_ids: list[int]) -> list[float]:
    """Seconds from each timer's due time to the audit event of its firing."""
    with Session(engine) as db:
        events = db.scalars(
            select(AuditEvent).where(AuditEvent.case_id.in_(case_ids), AuditEvent.action == "timer_fired")
        )
        return [(e.occurred_at - _due(e.data["due"])).total_seconds() for e in events]


def _due(value: str) -> datetime:
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

    return TimerEventDefinition.get_datetime(value)

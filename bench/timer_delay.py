"""How late timers fire under the real worker: `flask --app wsgi worker` at
its default settings runs while real cases' reminders and deadlines fall due."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models import AuditEvent, Case, OutboxMessage, Role
from workflows import clock

from .common import ROOT, add_person, log, summarize
from .data import context, open_takedown

LEAD_SECONDS = 3.0  # the first deadline falls this long after the cases start opening


def measure_delay(url: str, engine, opts, errors: list[str]) -> dict:
    mark_outbox_sent(engine)  # an idle worker: nothing queued from earlier figures
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
    return {**summarize(delays), "timers": len(delays), "cases": len(case_ids)}


def mark_outbox_sent(engine) -> None:
    with Session(engine) as db:
        db.execute(update(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).values(sent_at=clock.now()))
        db.commit()


def start_worker(url: str, opts) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-only-secret",
           "EVIDENCE_DIR": str(Path(opts.workdir) / "evidence"), "PYTHONPATH": str(ROOT)}
    env.pop("MAIL_SERVER", None)
    log_file = open(Path(opts.workdir) / "worker.log", "wb")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT,
                            env=env, stdout=log_file, stderr=subprocess.STDOUT)


def open_spread(engine, opts) -> list[int]:
    """Real cases whose deadlines fall due evenly over the window (and their
    reminders halfway to each), opened through the operations layer."""
    ids = []
    with Session(engine, expire_on_commit=False) as db:
        requester = add_person(db, "Del Manager", "delay.manager@bcwhub.test", (Role.MANAGER,))
        subject = add_person(db, "Del Employee", "delay.employee@bcwhub.test", line_manager=requester)
        db.commit()
        ctx, first = context(db, opts.workdir), time.time() + LEAD_SECONDS
        step = opts.delay_window / max(1, opts.delay_cases - 1)
        for n in range(opts.delay_cases):
            hours = max(0.2, first + n * step - time.time()) / 3600
            ids.append(open_takedown(ctx, requester, subject, deadline_hours=hours).id)
            db.commit()
    log(f"    {len(ids)} cases opened; deadlines over the next {opts.delay_window:g} s")
    return ids


def wait_fired(engine, case_ids: list[int], worker: subprocess.Popen, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and worker.poll() is None:
        with Session(engine) as db:
            waiting = db.scalar(select(func.count()).select_from(Case).where(
                Case.id.in_(case_ids), Case.next_timer_at.is_not(None)))
        if not waiting:
            return
        time.sleep(0.5)
    log(f"    {waiting} cases still waiting")


def timer_delays(engine, case_ids: list[int]) -> list[float]:
    """Seconds from each timer's due time to the audit event of its firing."""
    with Session(engine) as db:
        events = db.scalars(select(AuditEvent).where(
            AuditEvent.case_id.in_(case_ids), AuditEvent.action == "timer_fired"))
        return [(e.occurred_at - _due(e.data["due"])).total_seconds() for e in events]


def _due(value: str) -> datetime:
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
    return TimerEventDefinition.get_datetime(value)

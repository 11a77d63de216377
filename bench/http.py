"""Figure 2: completed takedown steps per second through the real forms,
under gunicorn, against a trivial page of the same app."""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from models import Role, make_engine

from . import cpu, sqlprobe
from .browser import AppBrowser, Browser, HttpError, make_app
from .common import ROOT, Figure, add_person, log, main_backend, profile, ratio, recreate_pg, summarize
from .data import context, open_takedown

CASES_PER_SECOND_SEEDED = 150  # more cases than the clients can finish in the time


@dataclass
class Tally:
    steps: list[float] = field(default_factory=list)  # POST /tasks/<id> ms
    forms: list[float] = field(default_factory=list)  # GET /tasks/<id> ms
    inbox: list[float] = field(default_factory=list)  # GET / ms
    errors: list[str] = field(default_factory=list)
    finished: float = 0.0
    ran_out: bool = False


def run(opts) -> Figure:
    fig = Figure("http", "takedown steps/s through the forms under gunicorn -w 2")
    backend = main_backend(opts)
    url, env = prepare(opts, backend)
    per_client = max(3, math.ceil(opts.http_seconds * CASES_PER_SECOND_SEEDED / opts.http_clients))
    clients = seed(url, opts, [per_client] * opts.http_clients)
    profiled = seed(url, opts, [opts.profile_steps + 1], first=opts.http_clients)[0]  # kept apart
    server = Server(env, Path(opts.workdir) / "gunicorn.log")
    try:
        server.start()
        pairs = [(server.browser(), server.browser()) for _ in clients]
        for (subject, requester), (subject_email, requester_email) in zip(pairs, clients):
            subject.login(subject_email)
            requester.login(requester_email)
        base = drive(pairs, opts.http_baseline_seconds, baseline_client)
        before = cpu.sample(server.process.pid)
        work = drive(pairs, opts.http_seconds, takedown_client)
        fig.notes.append(cpu.share(before, cpu.sample(server.process.pid), work[1]))
    finally:
        server.stop()
    report(fig, work, base, opts, backend)
    if opts.profile or not fig.rows[0].met:
        title = f"in-process (Flask test client), {opts.profile_steps} cases x 2 steps: GET form + POST"
        fig.profiles[title] = profile_requests(url, opts, profiled, fig)
    return fig


def profile_requests(url: str, opts, emails: tuple[str, str], fig: Figure) -> list[str]:
    """The same client flow on the app in this process: SQL statements for
    one case, then cProfile over `profile_steps` more."""
    app = make_app(url, opts.workdir)
    subject, requester = AppBrowser(app), AppBrowser(app)
    subject.login(emails[0])
    requester.login(emails[1])
    pair, tally = (subject, requester), Tally()
    respond_ids = subject.task_ids()[0][: opts.profile_steps + 1]
    engine = app.extensions["casework"].sessions.kw["bind"]
    subject.task_ids = lambda: (respond_ids[:1], 0.0)
    fig.counts["sql_statements_per_case_flow"] = sqlprobe.count(
        engine, lambda: takedown_client(pair, tally, 0.0, float("inf"))
    )
    subject.task_ids = lambda: (respond_ids[1:], 0.0)
    lines = profile(lambda: takedown_client(pair, tally, 0.0, float("inf")))
    if tally.errors:
        lines.insert(0, f"errors while profiling: {tally.errors[:3]}")
    return lines


def prepare(opts, backend: str) -> tuple[str, dict]:
    if backend == "postgresql":
        recreate_pg(opts.pg_url)
        url = opts.pg_url
    else:
        url = f"sqlite:///{Path(opts.workdir) / 'http.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-secret",
        "EVIDENCE_DIR": str(Path(opts.workdir) / "evidence"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("MAIL_SERVER", None)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return url, env


def seed(url: str, opts, cases: list[int], first: int = 0) -> list[tuple[str, str]]:
    """Per client a subject and a requester, and `cases[n]` open requests."""
    log(f"    seeding {sum(cases)} takedown requests via the operations layer")
    engine = make_engine(url)
    emails = []
    with Session(engine, expire_on_commit=False) as db:
        ctx = context(db, opts.workdir)
        if not first:
            add_person(db, "Hana HR", "hr@bcwhub.test", (Role.HR,))
        for n, per_client in enumerate(cases, first):
            requester = add_person(db, f"Mo Manager {n}", f"manager.{n}@bcwhub.test", (Role.MANAGER,))
            subject = add_person(db, f"Eve Employee {n}", f"eve.{n}@bcwhub.test", line_manager=requester)
            db.commit()
            for _ in range(per_client):
                open_takedown(ctx, requester, subject)
                db.commit()
            emails.append((subject.email, requester.email))
    engine.dispose()
    return emails


class Server:
    def __init__(self, env: dict, log_path: Path):
        self.env, self.log_path, self.process = env, log_path, None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    def start(self, timeout: float = 60.0) -> None:
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            try:
                if self.browser().request("GET", "/login")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def browser(self) -> Browser:
        return Browser("127.0.0.1", self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log_file.close()


def drive(pairs: list[tuple[Browser, Browser]], seconds: float, client) -> tuple[list[Tally], float]:
    """Run one thread per client from a common start until `seconds` pass."""
    tallies = [Tally() for _ in pairs]
    start = time.perf_counter() + 0.2
    threads = [
        threading.Thread(target=client, args=(pair, tally, start, start + seconds))
        for pair, tally in zip(pairs, tallies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tallies, max(t.finished for t in tallies) - start


def takedown_client(pair: tuple[Browser, Browser], tally: Tally, start: float, until: float) -> None:
    """The subject answers 'removed'; the requester finds the verification in
    'My tasks' and records 'removed': two steps per case."""
    subject, requester = pair
    respond_ids, _ms = subject.task_ids()
    _wait(start)
    for respond_id in respond_ids:
        if time.perf_counter() >= until:
            break
        try:
            get_ms, post_ms = subject.submit(f"/tasks/{respond_id}", {"response": "removed"})
            tally.forms.append(get_ms), tally.steps.append(post_ms)
            verify_ids, inbox_ms = requester.task_ids()
            tally.inbox.append(inbox_ms)
            if len(verify_ids) != 1:
                raise HttpError(f"requester's tasks: {verify_ids}, expected one verification")
            get_ms, post_ms = requester.submit(f"/tasks/{verify_ids[0]}", {"verification": "removed"})
            tally.forms.append(get_ms), tally.steps.append(post_ms)
        except (HttpError, OSError) as error:
            tally.errors.append(str(error))
    else:
        tally.ran_out = True
    tally.finished = time.perf_counter()


def baseline_client(pair: tuple[Browser, Browser], tally: Tally, start: float, until: float) -> None:
    """Signed-in GET /login: the user loader's query, then a redirect."""
    browser = pair[0]
    _wait(start)
    while time.perf_counter() < until:
        try:
            tally.steps.append(browser.expect("GET", "/login", 302)[1])
        except (HttpError, OSError) as error:
            tally.errors.append(str(error))
    tally.finished = time.perf_counter()


def _wait(start: float) -> None:
    time.sleep(max(0.0, start - time.perf_counter()))


def report(fig: Figure, work, base, opts, backend: str) -> None:
    (tallies, seconds), (base_tallies, base_seconds) = work, base
    steps = [ms for t in tallies for ms in t.steps]
    base_ms = [ms for t in base_tallies for ms in t.steps]
    rate, base_rate = len(steps) / seconds, len(base_ms) / base_seconds
    lat, base_lat = summarize(steps), summarize(base_ms)
    errors = [e for t in tallies + base_tallies for e in t.errors]
    fig.add(
        "completed steps/s",
        rate,
        "steps/s",
        baseline=base_rate,
        ratio=ratio(rate, base_rate),
        target=">= 200 steps/s",
        met=rate >= 200,
    )
    for stat in ("p50", "p95"):
        fig.add(
            f"step POST latency {stat}",
            lat[stat],
            "ms",
            baseline=base_lat[stat],
            ratio=ratio(lat[stat], base_lat[stat]),
        )
    forms = summarize([ms for t in tallies for ms in t.forms + t.inbox])
    fig.add("form/inbox GET latency p50", forms["p50"], "ms")
    fig.add("errors", float(len(errors)), "", target="0", met=not errors)
    fig.counts.update(errors=len(errors), steps=len(steps), baseline_requests=len(base_ms), clients=opts.http_clients)
    fig.notes.append(
        f"{backend}; {opts.http_clients} client threads (stdlib http.client, new connection "
        f"per request), {seconds:.1f} s; a step = GET the form + POST it with its CSRF token "
        f"(302, redirect not followed); the requester also GETs 'My tasks' per case. "
        "baseline = signed-in GET /login (the user loader's query + roles, then a 302), "
        "same clients: anonymous GET /login runs no query."
    )
    if any(t.ran_out for t in tallies):
        fig.notes.append("some clients ran out of seeded cases before the time was up")
    fig.notes.extend(f"error: {e}" for e in errors[:5])

"""Figure 7: queued emails drained by 2 worker processes into a local SMTP
server, beside raw smtplib sending the same messages from one process; and
the cost of one claim with a queue and a history, beside one with neither."""

from __future__ import annotations

import multiprocessing
import queue
import smtplib
import time
from collections import Counter

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from models import AuditEvent, OutboxMessage, Role, make_engine
from models.audit import new_message_id
from workflows.engine import clock
from workflows.engine.outbox import BATCH, MailSettings, compose, lease_statement, send_pending

from . import mailserver
from .common import Figure, fresh_database, log, main_backend, profile, ratio, summarize
from .seed import HISTORY, Cast, add_history, add_people, bulk_insert, hr_people, make_templates

WORKERS = 2
CLAIM_REPS = 100


def run(opts) -> Figure:
    opts.emails = max(opts.emails, BATCH)  # the small claim's batch is part of the queue
    fig = Figure("outbox", f"sending {opts.emails:,} queued emails ({opts.outbox_history:,} sent before)")
    backend = main_backend(opts)
    url = fresh_database(backend, opts, "outbox")
    engine = make_engine(url)
    notice, case_ids = prepare(engine, opts)
    claims = queue_with_history(engine, notice, case_ids, opts)
    with mailserver.running() as server:
        baseline = raw_smtplib_rate(engine, server.port)
        server.take_counts()  # the baseline's deliveries are not the workers'
        log(f"    {backend}: {opts.emails:,} queued emails, {WORKERS} sending workers (raw smtplib {baseline:,.0f}/s)")
        outcomes = run_senders(url, server.port)
        report(fig, backend, engine, outcomes, server.take_counts(), baseline, claims, opts)
        if opts.profile or rate(outcomes) < 500:
            add_emails(engine, notice, case_ids, opts.profile_steps * 20)
            fig.profiles[f"{backend}: send_pending, 1 process, {opts.profile_steps * 20} emails"] = profile(
                lambda: sender_loop(url, server.port, [])
            )
    engine.dispose()
    return fig


def queue_with_history(engine, notice: dict, case_ids: list[int], opts) -> tuple[dict, dict]:
    """Queue the emails and the history of sent ones, timing one claim before
    the history (one batch queued) and after it (the whole queue)."""
    add_emails(engine, notice, case_ids, BATCH)
    analyze(engine)
    small = claim_ms(engine)
    add_emails(engine, notice, case_ids, opts.outbox_history, sent=True)
    add_emails(engine, notice, case_ids, opts.emails - BATCH)
    analyze(engine)
    return small, claim_ms(engine)


def prepare(engine, opts) -> tuple[dict, list[int]]:
    """Finished cases to hang the emails on (each email's mark appends to its
    case's audit chain), and a real notice as every email's text."""
    [closed] = make_templates(engine, opts.workdir, ("closed",)).values()
    cast = Cast(add_people(engine, 20, Role.MANAGER, "om"), add_people(engine, 200, None, "oe"), hr_people(engine))
    add_history(engine, dict.fromkeys(HISTORY, closed), case_count(opts), cast)
    with Session(engine) as db:
        first = db.scalar(select(OutboxMessage).order_by(OutboxMessage.id))
        notice = {c: getattr(first, c) for c in ("template", "to_email", "to_name", "subject", "body")}
        db.execute(delete(OutboxMessage))  # the template case's own, already counted nowhere
        db.commit()
        case_ids = list(db.scalars(text("SELECT id FROM cases ORDER BY id")))
    return notice, case_ids


def case_count(opts) -> int:
    return max(10, min(1000, opts.emails // 10))


def add_emails(engine, notice: dict, case_ids: list[int], count: int, sent: bool = False) -> None:
    now = clock.now()
    rows = [
        {
            **notice,
            "case_id": case_ids[n % len(case_ids)],
            "message_id": new_message_id(),
            "created_at": now,
            "sent_at": now if sent else None,
            "attempts": 1 if sent else 0,
        }
        for n in range(count)
    ]
    with engine.begin() as conn:
        for start in range(0, len(rows), 10_000):
            bulk_insert(conn, OutboxMessage.__table__, rows[start : start + 10_000])


def analyze(engine) -> None:
    """What autovacuum would have done by now; the old claim was slow after it."""
    with engine.begin() as conn:
        conn.execute(text("ANALYZE outbox" if conn.dialect.name == "postgresql" else "ANALYZE"))


def claim_ms(engine) -> dict[str, float]:
    """One claim of a batch (the lease UPDATE), rolled back each time."""
    samples = []
    with Session(engine) as db:
        db.execute(text("SELECT 1"))
        db.rollback()
        for _ in range(CLAIM_REPS):
            start = time.perf_counter()
            db.execute(lease_statement(clock.now(), BATCH)).all()
            samples.append((time.perf_counter() - start) * 1000)
            db.rollback()
    return summarize(samples)


# --- sending ----------------------------------------------------------------------


def raw_smtplib_rate(engine, port: int) -> float:
    """Baseline: the same messages, composed beforehand, sent over one
    smtplib connection from one process, with no database at all."""
    with Session(engine) as db:
        rows = db.execute(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))).scalars().all()
        emails = [compose(MailSettings(), row) for row in rows]
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for email in emails:
            smtp.send_message(email)
    return len(emails) / (time.perf_counter() - start)


def run_senders(url: str, port: int) -> list[dict]:
    """WORKERS processes, started together, each running send_pending the
    way `flask worker` does until it finds nothing left to claim."""
    mp = multiprocessing.get_context("spawn")
    ready, go, results = mp.Queue(), mp.Event(), mp.Queue()
    procs = [mp.Process(target=sender_process, args=(url, port, ready, go, results)) for _ in range(WORKERS)]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=120)
    go.set()
    outcomes = []
    while len(outcomes) < WORKERS:
        try:
            outcomes.append(results.get(timeout=1.0))
        except queue.Empty:
            if not any(p.is_alive() for p in procs) and results.empty():
                raise RuntimeError("a sending worker died without reporting") from None
    for proc in procs:
        proc.join(60)
    return outcomes


def sender_process(url: str, port: int, ready, go, results) -> None:
    ready.put(True)
    go.wait()
    start, errors = time.time(), []
    sent = sender_loop(url, port, errors)
    results.put({"sent": sent, "start": start, "end": time.time(), "error": errors[0] if errors else None})


def sender_loop(url: str, port: int, errors: list[str]) -> int:
    """send_pending until it sends nothing; anything it raised (it should
    raise nothing) is recorded: it would have stopped `flask worker`."""
    engine, sent = make_engine(url), 0
    mail = MailSettings(host="127.0.0.1", port=port)
    with Session(engine, expire_on_commit=False) as db:
        try:
            while batch := send_pending(db, mail):
                db.close()
                sent += batch
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
    engine.dispose()
    return sent


def rate(outcomes: list[dict]) -> float:
    seconds = max(o["end"] for o in outcomes) - min(o["start"] for o in outcomes)
    return sum(o["sent"] for o in outcomes) / seconds if seconds > 0 else 0.0


# --- results ----------------------------------------------------------------------


def report(fig, backend, engine, outcomes, delivered: Counter, baseline: float, claims, opts) -> None:
    tag, sending = f"({backend})", rate(outcomes)
    errors = [o["error"] for o in outcomes if o.get("error")]
    duplicates = sum(n - 1 for n in delivered.values())
    with engine.connect() as conn:
        unsent = conn.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
        marked = conn.scalar(select(func.count()).where(AuditEvent.action == "notification_sent"))
    fig.add(
        f"{WORKERS} workers: emails/s {tag}",
        sending,
        "emails/s",
        baseline=baseline,
        ratio=ratio(sending, baseline),
        target=">= 500/s",
        met=sending >= 500,
    )
    fig.add(f"duplicate deliveries {tag}", float(duplicates), "", target="0", met=duplicates == 0)
    left = unsent + abs(len(delivered) - opts.emails)
    fig.add(f"errors + emails not delivered {tag}", float(len(errors) + left), "", target="0", met=not (errors or left))
    small, full = claims
    fig.add(
        f"claim of {BATCH}, p50 {tag}",
        full["p50"],
        "ms",
        baseline=small["p50"],
        ratio=ratio(full["p50"], small["p50"]),
    )
    fig.counts.update(
        {
            "emails": opts.emails,
            "sent_before": opts.outbox_history,
            "delivered": sum(delivered.values()),
            "distinct_message_ids": len(delivered),
            "duplicates": duplicates,
            "notification_sent_events": marked,
            "errors": len(errors),
            "per_worker": "/".join(str(o["sent"]) for o in outcomes),
        }
    )
    fig.notes += [f"sender error: {e}" for e in errors]
    fig.notes.append(
        f"{WORKERS} `send_pending` loops (batches of {BATCH}, as `flask worker` runs it) drain {opts.emails:,} "
        f"queued emails on {case_count(opts):,} finished cases into an aiosmtpd server in its own "
        "process, which counts Message-IDs; baseline = raw smtplib sending the same messages, composed beforehand, "
        "over one connection from one process. Claim: the lease UPDATE of one batch, p50 of "
        f"{CLAIM_REPS}, with {opts.emails:,} unsent and {opts.outbox_history:,} sent rows after ANALYZE; "
        f"baseline = the same claim with {BATCH} unsent and none sent (p95 {full['p95']:.2f} vs "
        f"{small['p95']:.2f} ms)."
    )

"""Figure 5: audit events verified per second by workflows.audit.verify,
against SHA-256 alone over the same hashed bytes in a tight Python loop."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from sqlalchemy import Text, cast, func, select, text, update
from sqlalchemy.orm import Session

from models import AuditEvent, Case, make_engine
from models.base import canonical_json
from workflows.engine import audit as trail
from workflows.engine import audit_format, clock

from . import sqlprobe
from .common import Figure, fresh_database, log, main_backend, profile, ratio
from .data import context, drive, open_takedown, trio
from .seed import EVENTS_PER_CASE, bulk_insert, capture

SAMPLE = 20_000  # hashed payloads kept for the baseline loop
BATCH_CHAINS = 2_500


def run(opts) -> Figure:
    fig = Figure("audit", f"workflows.audit.verify over {opts.audit_events:,} events")
    backend = main_backend(opts)
    engine = make_engine(fresh_database(backend, opts, "audit"))
    events, people, spec_hash = template_events(engine, opts)
    chains = opts.audit_events // EVENTS_PER_CASE
    payloads = seed(engine, events, people, spec_hash, chains)
    settle(engine)
    checked, problems, seconds = verify(engine)
    rate = checked / seconds
    base = baseline_rate(payloads, checked)
    floor = python_rate(engine, min(checked, SAMPLE))
    fig.add(
        "events verified/s",
        rate,
        "events/s",
        baseline=base,
        ratio=ratio(rate, base),
        target=">= 200,000/s",
        met=rate >= 200_000,
    )
    fig.add("Python: hash format + SHA-256/s (no DB)", floor, "events/s", baseline=base, ratio=ratio(floor, base))
    fig.add("problems found", float(len(problems)), "", target="0", met=not problems)
    if opts.profile or rate < 200_000:
        fig.profiles["verify"] = profile(lambda: verify(engine)) + (
            sqlprobe.slowest(engine, lambda: verify(engine), top=1, plan_lines=30) if backend == "postgresql" else []
        )
    caught = tampered_event_is_named(engine)
    fig.add("one altered event named", float(caught), "", target="1", met=caught)
    fig.counts.update(events=checked, errors=len(problems), seconds_ms=int(seconds * 1000))
    fig.notes.append(
        f"{backend}; {checked:,} events in {checked // EVENTS_PER_CASE:,} chains of {EVENTS_PER_CASE}, "
        "data copied from a real takedown's events, hashed by workflows.audit itself; VACUUM ANALYZE "
        "after seeding (what autovacuum does to an append-only table). The figure is one verify() "
        "call in a fresh Session, wall time: on PostgreSQL one SQL statement that recomputes every "
        "SHA-256 from the stored columns (a count, run by parallel workers) and walks every chain "
        "for links, gaps and heads (a window, one core), plus the problem list in Python; on "
        "SQLite every row read and hashed in Python. baseline = "
        "hashlib.sha256(hashed bytes).hexdigest() alone over pre-built payloads, same count, one "
        "process. 'Python: hash format' = hashed_fields + event_hash on rows already in memory (the "
        "Python path's floor). 'one altered event' = one event's data edited past the trigger, "
        "then a second verify (which then also lists altered events) must name exactly it."
    )
    engine.dispose()
    return fig


def settle(engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE audit_events"))
            conn.execute(text("VACUUM ANALYZE audit_chains"))


def template_events(engine, opts) -> tuple[list[dict], dict, str]:
    """The events of a real closed takedown, padded with views to 20."""
    with Session(engine, expire_on_commit=False) as db:
        people = trio(db, "audit")
        db.commit()
        ctx = context(db, opts.workdir)
        case = drive(ctx, open_takedown(ctx, people["requester"], people["subject"]), "closed", people)
        events = capture(db, case, people).events
        spec_hash = case.spec_hash
    while len(events) < EVENTS_PER_CASE:
        events.append({"action": "case_viewed", "actor": "requester", "actor_label": "", "bpmn_task": None, "data": {}})
    for event in events:
        event["text"] = canonical_json(event["data"])  # what the column stores, hashed verbatim
    return events, {k: (u.id, u.name) for k, u in people.items()}, spec_hash


def seed(engine, events: list[dict], people: dict, spec_hash: str, chains: int) -> list[bytes]:
    """`chains` cases with their 20 hash-chained events each; returns payloads."""
    payloads: list[bytes] = []
    done = 0
    while done < chains:
        size = min(BATCH_CHAINS, chains - done)
        with engine.begin() as conn:
            first_id = (conn.scalar(select(func.max(Case.id))) or 0) + 1
            cases, rows, heads = [], [], []
            for case_id in range(first_id, first_id + size):
                cases.append(_minimal_case(case_id, spec_hash, people))
                head = _chain(case_id, events, people, rows, payloads)
                heads.append({"id": trail.chain_id(case_id), "seq": len(events), "head": head})
            bulk_insert(conn, Case.__table__, cases)
            bulk_insert(conn, trail.AuditChain.__table__, heads)
            bulk_insert(conn, AuditEvent.__table__, rows)
        done += size
    if chains:
        log(f"    {chains * len(events):,} audit events added")
    return payloads


def _minimal_case(case_id: int, spec_hash: str, people: dict) -> dict:
    now = clock.now()
    return {
        "id": case_id,
        "reference": f"TD-A-{case_id:07d}",
        "kind": "takedown_request",
        "title": "Audit bench case",
        "subject_id": people["subject"][0],
        "opened_by_id": people["requester"][0],
        "status": "closed",
        "current_step": "",
        "clauses": ["SMP-5.6"],
        "spec_hash": spec_hash,
        "state": {},
        "version": 1,
        "opened_at": now,
        "updated_at": now,
        "closed_at": now,
    }


def _chain(case_id: int, events: list[dict], people: dict, rows: list, payloads: list) -> str:
    """One case's events, hashed by the app's own functions (append() builds
    the same fields), with `data` stored as the text that was hashed."""
    chain, prev, start = trail.chain_id(case_id), "", clock.now() - timedelta(days=30)
    for seq, event in enumerate(events, 1):
        actor = people.get(event["actor"]) if event["actor"] else None
        row = {
            "chain": chain,
            "seq": seq,
            "case_id": case_id,
            "occurred_at": start + timedelta(seconds=seq),
            "actor_id": actor[0] if actor else None,
            "actor_label": actor[1] if actor else event["actor_label"],
            "action": event["action"],
            "bpmn_task": event["bpmn_task"],
        }
        content = audit_format.content_digest(row["actor_label"], event["text"])
        hashed = [row[k] for k in ("chain", "seq", "case_id", "occurred_at", "actor_id", "action", "bpmn_task")]
        fields = audit_format.hashed_fields(*hashed, content)
        digest = audit_format.event_hash(prev, fields)
        if len(payloads) < SAMPLE:
            payloads.append(audit_format.hashed_text(prev, fields).encode("utf-8"))
        row = {**row, "data": event["data"], "content_digest": content, "prev_hash": prev, "hash": digest}
        rows.append(row)
        prev = digest
    return prev


def verify(engine) -> tuple[int, list, float]:
    with Session(engine) as db:
        start = time.perf_counter()
        checked, problems = trail.verify(db)
        return checked, problems, time.perf_counter() - start


def tampered_event_is_named(engine) -> bool:
    """Alter one event in the middle of the table, as an administrator past
    the trigger could: the fast path must still name it, and only it."""
    with engine.begin() as conn:
        target = conn.execute(
            select(AuditEvent.id, AuditEvent.seq, AuditEvent.case_id)
            .order_by(AuditEvent.id)
            .offset(conn.scalar(select(func.count()).select_from(AuditEvent)) // 2)
            .limit(1)
        ).one()
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        conn.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(data={"forged": True}))
        if postgres:
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
    _checked, problems, _seconds = verify(engine)
    return [(p.case_id, p.seq, p.event_id, p.problem) for p in problems] == [
        (target.case_id, target.seq, target.id, "contents altered after it was written")
    ]


def baseline_rate(payloads: list[bytes], count: int) -> float:
    sha256, size = hashlib.sha256, len(payloads)
    start = time.perf_counter()
    for n in range(count):
        sha256(payloads[n % size]).hexdigest()
    return count / (time.perf_counter() - start)


def python_rate(engine, count: int) -> float:
    """The content digest, hashed_fields and event_hash per event, rows
    already loaded: what the Python path pays per event whatever the
    database does."""
    e = AuditEvent
    with Session(engine) as db:
        rows = db.execute(
            select(
                e.chain,
                e.seq,
                e.case_id,
                e.occurred_at,
                e.actor_id,
                e.action,
                e.bpmn_task,
                e.actor_label,
                cast(e.data, Text),
                e.prev_hash,
            )
            .order_by(e.id)
            .limit(count)
        ).all()
    start = time.perf_counter()
    for *fields, actor_label, data_text, prev_hash in rows:
        content = audit_format.content_digest(actor_label, data_text)
        audit_format.event_hash(prev_hash, audit_format.hashed_fields(*fields, content))
    return len(rows) / (time.perf_counter() - start)

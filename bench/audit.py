"""Figure 5: audit events verified per second by workflows.audit.verify,
against SHA-256 over the same canonical JSON in a tight loop."""
from __future__ import annotations

import hashlib
import json
import time
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Case, make_engine
from workflows import audit as trail
from workflows import clock

from .common import Figure, fresh_database, log, main_backend, profile, ratio
from .data import context, drive, open_takedown, trio
from .seed import EVENTS_PER_CASE, bulk_insert, capture

SAMPLE = 20_000  # canonical payloads kept for the baseline loop
BATCH_CHAINS = 2_500


def run(opts) -> Figure:
    fig = Figure("audit", f"workflows.audit.verify over {opts.audit_events:,} events")
    backend = main_backend(opts)
    url = fresh_database(backend, opts, "audit")
    engine = make_engine(url)
    events, people, spec_hash = template_events(engine, opts)
    first = max(1, opts.audit_events // 10) // EVENTS_PER_CASE
    payloads = seed(engine, events, people, spec_hash, first)
    early = profile(lambda: verify(engine))  # a tenth of the events: same per-event costs
    seed(engine, events, people, spec_hash, opts.audit_events // EVENTS_PER_CASE - first)
    checked, problems, seconds = verify(engine)
    rate = checked / seconds
    base = baseline_rate(payloads, checked)
    floor = canonical_rate(engine, min(checked, SAMPLE))
    fig.add("events verified/s", rate, "events/s", baseline=base, ratio=ratio(rate, base),
            target=">= 200,000/s", met=rate >= 200_000)
    fig.add("canonical JSON + SHA-256/s (no DB)", floor, "events/s", baseline=base, ratio=ratio(floor, base))
    fig.add("problems found", float(len(problems)), "", target="0", met=not problems)
    fig.counts.update(events=checked, errors=len(problems), seconds_ms=int(seconds * 1000))
    fig.notes.append(
        f"{backend}; {checked:,} events in {checked // EVENTS_PER_CASE:,} chains of {EVENTS_PER_CASE}, "
        "data copied from a real takedown's events, real hashes; verify in a fresh Session. baseline = "
        "hashlib.sha256(prev_hash + canonical JSON).hexdigest() over pre-built payloads, same count. "
        "'canonical JSON + SHA-256' = hashed_fields + event_hash on rows already in memory.")
    if opts.profile or rate < 200_000:
        fig.profiles[f"verify over the first {first * EVENTS_PER_CASE:,} events"] = early
    engine.dispose()
    return fig


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
        events.append({"action": "case_viewed", "actor": "requester", "actor_label": "", "bpmn_task": None,
                       "data": {}})
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
    return {"id": case_id, "reference": f"TD-A-{case_id:07d}", "kind": "takedown_request",
            "title": "Audit bench case", "subject_id": people["subject"][0],
            "opened_by_id": people["requester"][0], "status": "closed", "current_step": "",
            "clauses": ["SMP-5.6"], "spec_hash": spec_hash, "state": {}, "version": 1,
            "opened_at": now, "updated_at": now, "closed_at": now}


def _chain(case_id: int, events: list[dict], people: dict, rows: list, payloads: list) -> str:
    chain, prev, start = trail.chain_id(case_id), "", clock.now() - timedelta(days=30)
    for seq, event in enumerate(events, 1):
        actor = people.get(event["actor"]) if event["actor"] else None
        occurred = start + timedelta(seconds=seq)
        fields = trail.hashed_fields(chain, seq, case_id, occurred, actor[0] if actor else None,
                                     actor[1] if actor else event["actor_label"], event["action"],
                                     event["bpmn_task"], event["data"])
        digest = trail.event_hash(prev, fields)
        if len(payloads) < SAMPLE:
            payloads.append((prev + _canonical(fields)).encode("utf-8"))
        rows.append({**fields, "occurred_at": occurred, "prev_hash": prev, "hash": digest})
        prev = digest
    return prev


def _canonical(fields: dict) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def verify(engine) -> tuple[int, list, float]:
    with Session(engine) as db:
        start = time.perf_counter()
        checked, problems = trail.verify(db)
        return checked, problems, time.perf_counter() - start


def baseline_rate(payloads: list[bytes], count: int) -> float:
    sha256, size = hashlib.sha256, len(payloads)
    start = time.perf_counter()
    for n in range(count):
        sha256(payloads[n % size]).hexdigest()
    return count / (time.perf_counter() - start)


def canonical_rate(engine, count: int) -> float:
    """hashed_fields + event_hash per event, rows already loaded: the cost
    every verify pays whatever the database does."""
    with Session(engine) as db:
        rows = list(db.scalars(select(AuditEvent).order_by(AuditEvent.id).limit(count)))
    start = time.perf_counter()
    for e in rows:
        trail.event_hash(e.prev_hash, trail.hashed_fields(e.chain, e.seq, e.case_id, e.occurred_at,
                                                          e.actor_id, e.actor_label, e.action,
                                                          e.bpmn_task, e.data))
    return len(rows) / (time.perf_counter() - start)

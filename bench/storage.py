"""Figure 6: bytes stored per completed takedown (state + projection +
audit) and per process spec version, against the library's own JSON."""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.orm import Session

from models import Case, make_engine

from .common import Figure, backends, fresh_database, ratio
from .data import context, drive, library, open_takedown, trio

ROW_OVERHEAD = 28  # PostgreSQL: 24-byte tuple header + 4-byte line pointer per row
PARTS = (
    ("case row (incl. state)", "cases", "id"),
    ("state column", "cases", "id"),
    ("projection: case_tasks", "case_tasks", "case_id"),
    ("projection: case_parties", "case_parties", "case_id"),
    ("audit_events", "audit_events", "case_id"),
    ("outbox (not counted)", "outbox", "case_id"),
)


def run(opts) -> Figure:
    fig = Figure("storage", "bytes per completed takedown and per spec version")
    for backend in backends(opts):
        measure(fig, backend, opts)
    fig.notes.append(
        "a completed takedown = opened, 'removed', verified 'removed' (closed), through the operations "
        "layer, no evidence file. PostgreSQL: pg_column_size of each row (TOAST-compressed as stored) + "
        f"{ROW_OVERHEAD} bytes row overhead, indexes not counted; SQLite: length of each value as "
        "stored (the state as its compressed blob, other JSON as text). "
        "total = case row + case_tasks + case_parties + audit_events. baseline = "
        "len(serializer.serialize_json(workflow)) of the same completed workflow (spec included: what "
        "the library stores by default)."
    )
    return fig


def measure(fig: Figure, backend: str, opts) -> None:
    url = fresh_database(backend, opts, "storage")
    engine = make_engine(url)
    ids, baseline = completed_cases(engine, opts)
    with engine.connect() as conn:
        sizes = {label: per_case(conn, table, key, ids, column=label == "state column") for label, table, key in PARTS}
        spec = spec_bytes(conn)
    total = sum(v for k, v in sizes.items() if k not in ("state column", "outbox (not counted)"))
    tag = f"({backend})"
    fig.add(
        f"per completed takedown {tag}",
        total,
        "bytes",
        baseline=baseline,
        ratio=ratio(total, baseline),
        target="<= 8 KiB",
        met=total <= 8192,
    )
    for label, value in sizes.items():
        fig.add(f"  {label} {tag}", value, "bytes")
    fig.add(f"per process spec version {tag}", spec, "bytes")
    fig.counts[f"cases_{backend}"] = len(ids)
    engine.dispose()


def completed_cases(engine, opts) -> tuple[list[int], float]:
    with Session(engine, expire_on_commit=False) as db:
        people = trio(db, "storage")
        db.commit()
        ctx, ids = context(db, opts.workdir), []
        for _ in range(opts.storage_cases):
            case = drive(ctx, open_takedown(ctx, people["requester"], people["subject"]), "closed", people)
            ids.append(case.id)
        db.expire_all()
        case = db.get(Case, ids[-1])
        workflow = library().restore(db, case.spec_hash, case.state)
        return ids, float(len(library().serializer.serialize_json(workflow).encode("utf-8")))


def per_case(conn, table: str, key: str, ids: list[int], column: bool = False) -> float:
    """Average bytes per case of `table`'s rows (or of cases.state alone)."""
    where = f"{key} IN ({', '.join(str(i) for i in ids)})"
    if conn.dialect.name == "postgresql":
        size = "pg_column_size(t.state)" if column else f"pg_column_size(t.*) + {ROW_OVERHEAD}"
        total = conn.scalar(text(f"SELECT coalesce(sum({size}), 0) FROM {table} AS t WHERE {where}"))
    else:
        columns = ["state"] if column else [r[1] for r in conn.execute(text(f"PRAGMA table_info({table})"))]
        lengths = " + ".join(f"coalesce(length(CAST({c} AS BLOB)), 0)" for c in columns)
        total = conn.scalar(text(f"SELECT coalesce(sum({lengths}), 0) FROM {table} WHERE {where}"))
    return float(total) / len(ids)


def spec_bytes(conn) -> float:
    if conn.dialect.name == "postgresql":
        return float(
            conn.scalar(
                text(
                    f"SELECT pg_column_size(t.*) + {ROW_OVERHEAD} FROM process_specs AS t "
                    "WHERE process_id = 'takedown_request'"
                )
            )
        )
    row = conn.execute(
        text(
            "SELECT serialized, bpmn_xml, hash, name, process_id FROM process_specs "
            "WHERE process_id = 'takedown_request'"
        )
    ).one()
    return float(sum(len(v.encode("utf-8")) if isinstance(v, str) else len(json.dumps(v)) for v in row))

"""What SQL a piece of work runs: statements, their time, and PostgreSQL's
plan for the slowest (evidence for a miss that cProfile sees only as 'wait')."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event


@dataclass
class Recorded:
    statements: list[tuple[float, str, object]] = field(default_factory=list)  # (ms, sql, params)


@contextmanager
def recording(engine):
    found, starts = Recorded(), {}

    def before(conn, cursor, statement, parameters, context, executemany):
        starts[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        ms = (time.perf_counter() - starts.pop(id(cursor), time.perf_counter())) * 1000
        found.statements.append((ms, statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def slowest(engine, work, top: int = 2, plan_lines: int = 14) -> list[str]:
    """Run `work` once; list its statements by time and explain the slowest."""
    with recording(engine) as found:
        work()
    ordered = sorted(found.statements, key=lambda s: s[0], reverse=True)
    total = sum(s[0] for s in ordered)
    lines = [f"{len(ordered)} SQL statements, {total:.1f} ms in the database driver; slowest:"]
    for ms, sql, _params in ordered[:4]:
        lines.append(f"  {ms:7.1f} ms  {' '.join(sql.split())[:220]}")
    if engine.dialect.name == "postgresql":
        for ms, sql, params in ordered[:top]:
            if sql.lstrip().upper().startswith("SELECT"):
                lines.append(f"  EXPLAIN ANALYZE of the {ms:.1f} ms statement:")
                lines += ["    " + line for line in explain(engine, sql, params)[:plan_lines]]
    return lines


def explain(engine, sql: str, params) -> list[str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return [r[0] for r in rows]


def count(engine, work) -> int:
    with recording(engine) as found:
        work()
    return len(found.statements)

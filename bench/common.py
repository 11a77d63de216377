"""Shared by every figure: databases, people, statistics, results, profiles."""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from models import User, UserRole, make_engine
from workflows.engine import clock

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench horse battery staple"
_hash_cache: list[str] = []


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- results ------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    value: float | None
    unit: str = ""
    baseline: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


@dataclass
class Figure:
    name: str
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profiles: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # errors, duplicates...
    seconds: float = 0.0
    status: str = "ok"  # ok | skipped | failed

    def add(self, measure: str, value, unit: str = "", **kwargs) -> Row:
        row = Row(measure, value, unit, **kwargs)
        self.rows.append(row)
        return row

    def compare(self, measure: str, value: float, baseline: float, limit: float | None, unit: str = "ms") -> Row:
        """A row of `value` against `baseline`, met when the ratio is at
        most `limit` (no target when `limit` is None)."""
        r = ratio(value, baseline)
        if limit is None:
            return self.add(measure, value, unit, baseline=baseline, ratio=r)
        met = r is not None and r <= limit
        return self.add(measure, value, unit, baseline=baseline, ratio=r, target=f"ratio <= {limit:g}x", met=met)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ratio(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return value / base


def summarize(samples: list[float]) -> dict[str, float]:
    """Median, p95 and max of samples (any unit), nearest-rank p95."""
    if not samples:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "max": float("nan"), "mean": float("nan")}
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p95": ordered[rank],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


class Stopwatch:
    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start


# --- databases ------------------------------------------------------------------


def pg_answers(url: str) -> bool:
    try:
        engine = create_engine(_admin_url(url), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def _admin_url(url: str) -> str:
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)


def recreate_pg(url: str) -> None:
    """Drop and create the bench database (never the test suite's)."""
    name = make_url(url).database
    if name in (None, "", "test", "postgres"):
        raise ValueError(f"refusing to recreate database {name!r}: use a bench database")
    admin = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop_pg(url: str) -> None:
    """Drop a bench database when done with it (the 100,000-case one is ~1 GB)."""
    name = make_url(url).database
    admin = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fresh_database(backend: str, opts, name: str, suffix: str = "") -> str:
    """An empty, migrated database for one figure; returns its URL. A suffix
    gives a second one beside it (PostgreSQL: <bench database>_<suffix>)."""
    if backend == "postgresql":
        url = make_url(opts.pg_url)
        if suffix:
            url = url.set(database=f"{url.database}_{suffix}")
        url = url.render_as_string(hide_password=False)
        recreate_pg(url)
    else:
        path = Path(opts.workdir) / f"{name}{'_' + suffix if suffix else ''}.sqlite3"
        for end in ("", "-wal", "-shm"):
            Path(f"{path}{end}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


def migrate(engine) -> None:
    """alembic upgrade head on this engine (as tests/conftest.py does)."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def backends(opts) -> list[str]:
    return ["sqlite", "postgresql"] if opts.pg else ["sqlite"]


def main_backend(opts) -> str:
    """PostgreSQL where the issue asks for it; SQLite when none answers."""
    return "postgresql" if opts.pg else "sqlite"


# --- people ---------------------------------------------------------------------


def password_hash() -> str:
    if not _hash_cache:
        _hash_cache.append(PasswordHasher().hash(PASSWORD))  # argon2 is slow: once
    return _hash_cache[0]


def add_person(
    db: Session, name: str, email: str, roles: tuple[str, ...] = (), line_manager: User | None = None
) -> User:
    user = User(
        email=email,
        name=name,
        password_hash=password_hash(),
        person_type="employee",
        line_manager_id=line_manager.id if line_manager else None,
        created_at=clock.now(),
        role_rows=[UserRole(role=r) for r in roles],
    )
    db.add(user)
    db.flush()
    return user


# --- profiles -------------------------------------------------------------------

PROJECT_DIRS = ("/workflows/", "/models/", "/webapp/")


def profile(fn: Callable[[], Any], top: int = 12) -> list[str]:
    """Run `fn` under cProfile; the top costs as 'file:line(function)' lines:
    first by own time (anywhere), then by cumulative time in this project."""
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt or 1e-9
    entries = [(key, value) for key, value in stats.stats.items()]
    lines = [f"total {total * 1000:.1f} ms profiled; by own time:"]
    for (path, line, func), (_cc, nc, tt, ct, _callers) in sorted(entries, key=lambda e: e[1][2], reverse=True)[:top]:
        lines.append(f"  {tt / total:5.1%} own {ct / total:5.1%} cum  {nc:>7} calls  {_short(path)}:{line}({func})")
    lines.append("by cumulative time, this project's code:")
    ours = [e for e in entries if any(d in e[0][0] for d in PROJECT_DIRS)]
    for (path, line, func), (_cc, nc, tt, ct, _callers) in sorted(ours, key=lambda e: e[1][3], reverse=True)[:top]:
        lines.append(f"  {ct / total:5.1%} cum {tt / total:5.1%} own  {nc:>7} calls  {_short(path)}:{line}({func})")
    return lines


def _short(path: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


# --- printing -------------------------------------------------------------------


def fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    if value != value:
        return "nan"
    for limit, pattern in ((1000, "{:,.0f}"), (100, "{:.0f}"), (10, "{:.1f}")):
        if abs(value) >= limit:
            return pattern.format(value)
    return f"{value:.3g}"


def table(figures: list[Figure]) -> str:
    header = ("figure", "measure", "value", "unit", "baseline", "ratio", "target", "met")
    rows = [header]
    for figure in figures:
        if figure.status != "ok" and not figure.rows:
            rows.append((figure.name, f"({figure.status}: {'; '.join(figure.notes)[:80]})", "", "", "", "", "", ""))
        for row in figure.rows:
            met = "" if row.met is None else ("MET" if row.met else "MISSED")
            rows.append(
                (figure.name, row.measure, fmt(row.value), row.unit, fmt(row.baseline), fmt(row.ratio), row.target, met)
            )
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
    out = []
    for index, row in enumerate(rows):
        out.append(
            "  ".join(
                str(c).ljust(w) if i < 2 or i >= 6 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))
            ).rstrip()
        )
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)

"""python -m bench [--quick] [--only NAME[,NAME]] [sizes...]: run the figures,
print one table, write bench/results/<UTC timestamp>.json and latest.json."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from .common import ROOT, Figure, log, pg_answers, table

FIGURES = (
    "step_cost",
    "history",
    "http",
    "scale",
    "timers",
    "audit",
    "storage",
    "outbox",
    "idle",
    "retention",
    "subject_access",
)
DEFAULTS = dict(
    cases_small=1000,
    cases_large=100_000,
    timers=10_000,
    timers_one_worker=2500,
    emails=10_000,
    outbox_history=100_000,
    audit_events=1_000_000,
    http_clients=8,
    http_seconds=20.0,
    http_baseline_seconds=5.0,
    steps=200,
    profile_steps=30,
    scale_reps=30,
    delay_cases=30,
    delay_window=15.0,
    storage_cases=20,
    idle_seconds=10.0,
    retention_cases=100,
    sar_cases=50,
    sar_reps=5,
    sar_people=200,
)
QUICK = dict(
    cases_small=20,
    cases_large=200,
    timers=50,
    timers_one_worker=50,
    emails=200,
    outbox_history=1000,
    audit_events=2000,
    http_clients=2,
    http_seconds=2.0,
    http_baseline_seconds=1.0,
    steps=20,
    profile_steps=3,
    scale_reps=5,
    delay_cases=10,
    delay_window=3.0,
    storage_cases=3,
    idle_seconds=1.0,
    retention_cases=5,
    sar_cases=3,
    sar_reps=1,
    sar_people=10,
)


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    p.add_argument(
        "--only",
        action="append",
        default=[],
        help=f"run only these figures (repeat or comma-separate): {', '.join(FIGURES)}",
    )
    for name, default in DEFAULTS.items():
        p.add_argument(
            f"--{name.replace('_', '-')}",
            type=type(default),
            default=None,
            help=f"default {default:g}" if isinstance(default, float) else f"default {default}",
        )
    p.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench"),
        help="a PostgreSQL database the bench may DROP and CREATE (never the tests' database)",
    )
    p.add_argument("--no-pg", action="store_true", help="SQLite only")
    p.add_argument("--results-dir", default=str(ROOT / "bench" / "results"))
    p.add_argument("--workdir", default=None, help="temporary files (default: a new temp dir)")
    p.add_argument("--profile", action="store_true", help="profile every figure, met or not")
    opts = p.parse_args(argv)
    sizes = QUICK if opts.quick else DEFAULTS
    for name, value in sizes.items():
        if getattr(opts, name) is None:
            setattr(opts, name, value)
    opts.only = [n.strip() for item in opts.only for n in item.split(",") if n.strip()] or list(FIGURES)
    unknown = set(opts.only) - set(FIGURES)
    if unknown:
        p.error(f"unknown figure(s): {', '.join(sorted(unknown))}")
    return opts


def run_figure(name: str, opts) -> Figure:
    log(f"--- {name}")
    start, load = time.perf_counter(), os.getloadavg()[0]
    try:
        figure = importlib.import_module(f"bench.{name}").run(opts)
    except Exception as error:
        figure = Figure(name, name, status="failed", notes=[f"{type(error).__name__}: {error}"])
        figure.profiles["traceback"] = traceback.format_exc().splitlines()
        log(traceback.format_exc())
    figure.seconds = time.perf_counter() - start
    figure.notes.append(
        f"took {figure.seconds:.0f} s; 1-minute load average {load:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (other work on this machine skews timings)"
    )
    log(f"    {name}: {figure.status} in {figure.seconds:.1f} s")
    return figure


def write_results(opts, figures: list[Figure], started: datetime, elapsed: float) -> Path:
    results = Path(opts.results_dir)
    results.mkdir(parents=True, exist_ok=True)
    document = {
        "started_at": started.isoformat(timespec="seconds"),
        "elapsed_s": round(elapsed, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "options": {k: v for k, v in vars(opts).items() if k not in ("workdir",)},
        "figures": [f.to_dict() for f in figures],
    }
    path = results / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    text = json.dumps(document, indent=2, default=str)
    path.write_text(text)
    (results / "latest.json").write_text(text)
    return path


def print_report(figures: list[Figure], elapsed: float, path: Path) -> None:
    print(table(figures))
    for figure in figures:
        if figure.counts:
            print(f"\n[{figure.name}] counts: " + ", ".join(f"{k}={v}" for k, v in figure.counts.items()))
        for note in figure.notes:
            print(f"[{figure.name}] note: {note}")
        for title, lines in figure.profiles.items():
            print(f"\n[{figure.name}] profile: {title}")
            print("\n".join(lines))
    print(f"\nTotal {elapsed:.0f} s. Results: {path} (and latest.json)")


def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    own_workdir = opts.workdir is None
    opts.workdir = opts.workdir or tempfile.mkdtemp(prefix="bench-")
    opts.pg = not opts.no_pg and pg_answers(opts.pg_url)
    if not opts.pg:
        log("no PostgreSQL: SQLite only (PostgreSQL figures are skipped or run on SQLite)")
    started, start = datetime.now(UTC), time.perf_counter()
    try:
        figures = [run_figure(name, opts) for name in FIGURES if name in opts.only]
    finally:
        if own_workdir:
            shutil.rmtree(opts.workdir, ignore_errors=True)
    elapsed = time.perf_counter() - start
    path = write_results(opts, figures, started, elapsed)
    print_report(figures, elapsed, path)
    return 1 if any(f.status == "failed" for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())

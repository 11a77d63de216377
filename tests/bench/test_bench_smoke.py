"""The benchmark harness runs end to end with tiny sizes: every figure is
produced, with no errors, no duplicate timer firings and no email delivered
twice. No timings asserted.

SQLite only, unless TEST_DATABASE_URL is PostgreSQL: then the PostgreSQL
figures run too, on a database of its own the harness may drop
(`<the suite's database>_bench`, so suites on different databases do not
share one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import make_url

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {
    *("step_cost", "http", "scale", "timers", "audit", "storage", "outbox", "idle", "history"),
    *("retention", "subject_access"),
}
TINY = [
    "--quick",
    "--cases-small",
    "20",
    "--cases-large",
    "100",
    "--timers",
    "50",
    "--audit-events",
    "2000",
    "--http-clients",
    "2",
    "--http-seconds",
    "2",
]


def database_args() -> list[str]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return ["--no-pg"]
    suite = make_url(url)
    return ["--pg-url", suite.set(database=f"{suite.database}_bench").render_as_string(hide_password=False)]


def test_every_figure_is_produced_without_errors_or_duplicates(tmp_path):
    # A subprocess: the suite's frozen clock must not reach the harness, whose
    # timers fall due in real time.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BENCH_DATABASE_URL")}
    done = subprocess.run(
        [sys.executable, "-m", "bench", *TINY, *database_args(), "--results-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a hang, not a slow run: the machine is shared (11 figures, 2 cores)
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    results = json.loads((tmp_path / "latest.json").read_text())
    figures = {f["name"]: f for f in results["figures"]}
    assert set(figures) == FIGURES
    for name, figure in figures.items():
        assert figure["status"] == "ok", (name, figure["notes"])
        assert figure["rows"], name
        assert all(row["value"] is not None for row in figure["rows"]), name
    assert figures["http"]["counts"]["errors"] == 0
    assert figures["http"]["counts"]["steps"] > 0
    assert figures["timers"]["counts"]["errors"] == 0
    assert figures["timers"]["counts"]["duplicates"] == 0
    assert figures["audit"]["counts"]["errors"] == 0
    assert figures["outbox"]["counts"]["errors"] == 0
    assert figures["retention"]["counts"]["errors"] == 0
    assert figures["outbox"]["counts"]["duplicates"] == 0
    assert figures["outbox"]["counts"]["distinct_message_ids"] == figures["outbox"]["counts"]["emails"]
    assert "figure" in done.stdout and "latest.json" in done.stdout  # the table was printed

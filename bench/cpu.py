"""Where the machine's CPU went during a timed window (Linux /proc)."""

from __future__ import annotations

import os
import resource
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command, parent pid, CPU seconds) of one process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _all() -> dict[int, tuple[str, int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat:
                found[int(entry.name)] = stat
    return found


def sample(server_pid: int | None) -> dict[str, float]:
    """Cumulative CPU seconds: the server's process tree, PostgreSQL, this process."""
    procs = _all()
    tree = {server_pid} if server_pid else set()
    grew = True
    while grew:
        children = {pid for pid, (_n, ppid, _s) in procs.items() if ppid in tree} - tree
        grew = bool(children)
        tree |= children
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "server": sum(procs[p][2] for p in tree if p in procs),
        "postgres": sum(s for n, _pp, s in procs.values() if n.startswith("postgres")),
        "bench": own.ru_utime + own.ru_stime,
    }


def share(before: dict[str, float], after: dict[str, float], seconds: float) -> str:
    """'server 1.2 cores, postgres 0.5, bench 0.3 of 2' over the window."""
    used = {k: (after[k] - before[k]) / seconds for k in before}
    parts = ", ".join(f"{k} {v:.2f}" for k, v in used.items())
    return f"CPU cores busy on average: {parts} (of {os.cpu_count()})"

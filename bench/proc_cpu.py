"""CPU seconds a process tree has used (Linux /proc): the live processes' own time plus the time
of the children they reaped (exited backends, workers)."""

from __future__ import annotations

import os
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stats() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, utime + stime + cutime + cstime in seconds) of every process."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
        parent = int(fields[1])
        ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
        out[int(entry.name)] = (parent, ticks / _TICK)
    return out


def cpu_seconds(root: int) -> float:
    """CPU of `root` and all its descendants, including reaped children."""
    stats = _stats()
    children: dict[int, list[int]] = {}
    for pid, (parent, _cpu) in stats.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
        todo.extend(children.get(pid, []))
    return total

"""Peak memory of a process tree as summed PSS (Linux /proc), sampled in a thread.

PSS (proportional set size) splits each page shared between processes (a forked worker's
copy-on-write pages) among them, so the sum over a process and its descendants is the
memory the run really holds; summed RSS would count shared pages once per process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_mb(root: int) -> float:
    """Summed PSS of ``root`` and every descendant, in MB."""
    tree, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo += tree.get(pid, [])
    return total / 1024


class PeakPss:
    """Samples the summed PSS of a process tree every ``interval`` seconds; keeps the peak."""

    def __init__(self, root: int | None = None, interval: float = 0.1) -> None:
        self.root = root if root is not None else os.getpid()
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_pss_mb(self.root))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakPss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

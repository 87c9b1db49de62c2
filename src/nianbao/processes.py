"""How a nianbao process runs: whether the platform forks worker processes (one answer for
every place that does), how many processors it has, and how often it collects garbage.

Forking is cheap (the child inherits what the parent has loaded) and lets a child that dies
cost only its own work. It is used where the platform provides it, except on macOS, whose
system frameworks are not safe to use in a forked child (Python itself spawns there).
"""

from __future__ import annotations

import gc
import os
import sys

# (multiprocessing offers its "fork" start method exactly where os.fork exists; asking it
# would import multiprocessing for every command that writes a workbook.)
FORKS = hasattr(os, "fork") and sys.platform != "darwin"


def processors() -> int:
    """Processors available to this process (at least 1)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def collect_rarely() -> None:
    """A batch holds tens of thousands of small objects and makes few reference cycles; with
    the collector's default (a pass every 700 new objects) the serial tail of a 10,000-return
    merge took 1.43–1.46 s, with this 1.29–1.36 s (a quiet machine; under load the difference
    is within the noise). Cycles are still collected, a hundred times less often; what is
    loaded by now is left out of every pass. Workers forked later inherit it."""
    gc.freeze()
    gc.set_threshold(100_000, 20, 100)

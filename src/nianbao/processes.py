"""How a nianbao process runs: whether the platform forks worker processes (one answer for
every place that does), how many processors it has, how often it collects garbage, and how
many threads its numeric library may start.

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


# The numeric libraries' thread pools, by the variable each honours (OpenBLAS, as numpy ships
# it; an OpenMP build; Intel MKL).
_NUMERIC_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_thread_for_numerics() -> None:
    """Let numpy's linear algebra run on one thread, unless the user has said otherwise.

    nianbao spreads its work over processes; its matrix products are small. OpenBLAS starts a
    thread per core when numpy is imported, and they spin while pandas and pandera load: 0.1 s
    of CPU in every process that validates (a one-file check: 0.49 -> 0.40 s CPU), taken from
    the workers reading beside it. Must run before numpy is imported."""
    for name in _NUMERIC_THREADS:
        os.environ.setdefault(name, "1")

"""Whether this platform forks worker processes: one answer for every place that does.

Forking is cheap (the child inherits what the parent has loaded) and lets a child that dies
cost only its own work. It is used where the platform provides it, except on macOS, whose
system frameworks are not safe to use in a forked child (Python itself spawns there).
"""

from __future__ import annotations

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

"""Timing helpers shared by the benchmark scripts (in-process: imports excluded)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` runs of ``work``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seconds_to_refuse(work: Callable[[], object], refusal: type[BaseException], what: str) -> float:
    """How long ``work`` takes to raise ``refusal`` (a hostile file refused); an
    AssertionError naming ``what`` when it is not refused."""
    start = time.perf_counter()
    try:
        work()
    except refusal:
        return time.perf_counter() - start
    raise AssertionError(f"{what} was not refused")

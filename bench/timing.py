"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from typing import Any, Callable


def measure(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def row(
    name: str, n: int, times: list[float], baseline_ms: float | None = None, **extra: Any
) -> dict[str, Any]:
    median = statistics.median(times)
    return {
        "name": name,
        "n": n,
        "median_ms": round(median, 3),
        "p95_ms": round(p95(times), 3),
        "baseline_median_ms": None if baseline_ms is None else round(baseline_ms, 3),
        "ratio": None if baseline_ms is None else round(baseline_ms / median, 1),
        **extra,
    }

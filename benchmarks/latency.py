"""Percentiles of timings, and formatting them for the result tables."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile (p50 of [1, 2, 3, 4] is 2); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def summarise(values: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99, mean and count of timings in seconds, reported in milliseconds."""
    return {
        "n": len(values),
        "p50": percentile(values, 50) * 1000,
        "p95": percentile(values, 95) * 1000,
        "p99": percentile(values, 99) * 1000,
        "mean": statistics.fmean(values) * 1000 if values else math.nan,
    }


def ratio(slow: float, fast: float) -> str:
    """ "4.2×": how many times `fast` fits into `slow`."""
    if not fast or math.isnan(fast) or math.isnan(slow):
        return "n/a"
    return f"{slow / fast:.1f}×"

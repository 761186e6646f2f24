"""What the benchmarks print of a list of timings."""

from __future__ import annotations

from collections.abc import Sequence


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The value `fraction` of the way up an ascending list (nan for none)."""
    if not ordered:
        return float("nan")
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]

"""The k best of many scores, the same on every machine."""

from __future__ import annotations

import numpy as np


def top_positions(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` largest values, in no particular order; of values tied at the
    cut, the first positions. (numpy's argpartition leaves ties to the CPU's sorting routine,
    so the same question could find other pages on another machine.)"""
    size = len(values)
    if size <= count:
        return np.arange(size)
    cut = np.partition(values, size - count)[size - count]  # the count-th largest value
    above = np.flatnonzero(values > cut)
    tied = np.flatnonzero(values == cut)[: count - len(above)]
    return np.concatenate([above, tied])

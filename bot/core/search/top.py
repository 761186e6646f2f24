"""The k best of many scores, the same on every machine."""

from __future__ import annotations

import numpy as np

# In a long array, the k-th largest of every SAMPLE_STRIDE-th value is a floor that the k
# largest all reach (k values of the sample do): only the values above it need sorting out.
SAMPLE_STRIDE = 8


def top_positions(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` largest values, in no particular order; of values tied at the
    cut, the first positions. (numpy's argpartition leaves ties to the CPU's sorting routine,
    so the same question could find other pages on another machine.)"""
    size = len(values)
    if size <= count:
        return np.arange(size)
    if size >= 2 * count * SAMPLE_STRIDE:
        sample = values[::SAMPLE_STRIDE]
        floor = np.partition(sample, len(sample) - count)[len(sample) - count]
        # (ascending, so the first positions still win a tie)
        reaching = (values >= floor).nonzero()[0]
        return reaching[_cut(values[reaching], count)]
    return _cut(values, count)


def _cut(values: np.ndarray, count: int) -> np.ndarray:
    """top_positions of at least `count` values."""
    size = len(values)
    cut = np.partition(values, size - count)[size - count]  # the count-th largest value
    above = (values > cut).nonzero()[0]
    tied = (values == cut).nonzero()[0][: count - len(above)]
    return np.concatenate([above, tied])

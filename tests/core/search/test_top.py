"""The k best scores, with ties at the cut going to the first positions on every machine."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bot.core.search.top import top_positions


def test_ties_at_the_cut_go_to_the_first_positions() -> None:
    values = np.array([1.0, 3.0, 2.0, 2.0, 5.0, 2.0], dtype=np.float32)
    assert sorted(top_positions(values, 3).tolist()) == [1, 2, 4]
    assert sorted(top_positions(values, 4).tolist()) == [1, 2, 3, 4]


@given(st.lists(st.integers(0, 4), max_size=60), st.integers(1, 70))
def test_the_same_as_a_stable_sort(values: list[int], count: int) -> None:
    array = np.array(values, dtype=np.float64)
    expected = np.argsort(-array, kind="stable")[:count]
    assert sorted(top_positions(array, count).tolist()) == sorted(expected.tolist())


@given(
    arrays(np.int8, st.integers(400, 500), elements=st.integers(0, 6)),
    st.integers(1, 24),
    st.integers(0, 6),
)
def test_long_arrays_the_same_as_a_stable_sort(values: np.ndarray, count: int, lift: int) -> None:
    """A long array is cut from a sample first: ties and repeated values still go first come,
    first served, wherever the sample falls."""
    array = values.astype(np.float64)
    array[::7] += lift  # values the sample sees more or less of
    expected = np.argsort(-array, kind="stable")[:count]
    assert sorted(top_positions(array, count).tolist()) == sorted(expected.tolist())

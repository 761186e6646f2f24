"""The ranking's trees: every candidate reaches the leaf a walk down each tree reaches."""

import numpy as np

from bot.core.search.ranking import TREE_DEPTH, TREE_NODES, Trees


def walked(trees: Trees, candidate: np.ndarray) -> float:
    """The textbook walk: from the root, right when the feature is above the threshold."""
    total = 0.0
    for feature, threshold, value in zip(
        trees.feature.tolist(), trees.threshold.tolist(), trees.value.tolist(), strict=True
    ):
        node = 0
        for _ in range(TREE_DEPTH):
            node = 2 * node + (2 if candidate[feature[node]] > threshold[node] else 1)
        total += value[node - TREE_NODES]
    return total


def test_every_candidate_reaches_the_leaf_of_a_walk() -> None:
    rng = np.random.default_rng(9)
    count, columns = 40, 6
    # Shared splits (as fitted trees have) and features equal to a threshold (which go left).
    thresholds = np.array([0.0, 0.25, 0.5, 1.0])
    trees = Trees(
        rng.integers(0, columns, size=(count, TREE_NODES)),
        thresholds[rng.integers(0, len(thresholds), size=(count, TREE_NODES))],
        # Whole numbers: any order of adding them gives the same sum.
        rng.integers(-50, 50, size=(count, TREE_NODES + 1)).astype(np.float64),
        tuple(f"f{n}" for n in range(columns)),
    )
    candidates = rng.choice([0.0, 0.1, 0.25, 0.5, 0.7, 1.0, 2.0], size=(300, columns))
    # Candidates are scored eight at a time: counts on and around a multiple of eight.
    for count in (300, 1, 7, 8, 9, 16):
        rows = candidates[:count]
        assert trees.score(rows).tolist() == [walked(trees, row) for row in rows]
    assert [trees.score_one(row) for row in candidates] == trees.score(candidates).tolist()


def test_no_trees_and_no_candidates_score_nothing() -> None:
    assert Trees.none().score(np.ones((3, 33))).tolist() == [0.0, 0.0, 0.0]
    trees = Trees(
        np.zeros((1, TREE_NODES), dtype=np.intp),
        np.zeros((1, TREE_NODES)),
        np.arange(TREE_NODES + 1, dtype=np.float64)[None, :],
    )
    assert trees.score(np.zeros((0, 33))).tolist() == []
    assert Trees.none().score_one(np.ones(33)) == 0.0

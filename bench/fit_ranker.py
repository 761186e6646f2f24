"""Fits the answer engine's ranking weights: `python -m bench.fit_ranker [--write]`.

Learns from labelled questions on three libraries: the realistic development library
(`bench/realistic`, built from ../shared at run time, train split only), our bundled
`knowledge/` and our realistic-style slice (the tune halves of bench/eval). The model is a
conditional logit over one question's (page, passage) candidates plus "no answer" (see
bot/core/search/ranking.py). Its target is the right passage (exercise, section and FAQ
heading); failing that, every passage of the right exercise; "no answer" when the question is
out of scope or no candidate is right. Prints train and dev quality;
`--write` saves bot/core/search/ranker.json. The test split is never read here.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench.eval.scoring import (
    QUESTIONS_FILE,
    REALISTIC_SLICE,
    Labelled,
    Report,
    evaluate,
    load_questions,
    parse_questions,
)
from bench.realistic.library import build, question_lines
from bot.core.loader import KnowledgeBase, load_knowledge
from bot.core.search import AnswerIndex
from bot.core.search.ranking import (
    CANDIDATE_FEATURES,
    CROSS_FEATURES,
    QUESTION_FEATURES,
    TREE_NODES,
    WEIGHTS_FILE,
    Ranker,
    Trees,
    expand,
)

REPO = Path(__file__).resolve().parents[1]
WEIGHTS_PATH = REPO / "bot/core/search" / WEIGHTS_FILE
SLICE = REALISTIC_SLICE
L2 = 0.003
# The bundled library's questions are ours, not blind: they count for less than realistic ones.
OWN_QUESTION_WEIGHT = 2.0


@dataclass
class Sample:
    features: np.ndarray  # candidates x CANDIDATE_FEATURES
    question: np.ndarray  # QUESTION_FEATURES
    # The target, bool per candidate: the right passage; failing that, every passage of the
    # right exercise (confidence is about the exercise); none: "no answer" is right.
    right: np.ndarray
    weight: float


def collect(index: AnswerIndex, questions: Iterable[Labelled], weight: float) -> list[Sample]:
    """One sample per question that the ranking decides (lists are answered another way)."""
    samples = []
    for item in questions:
        found = index.ranking_candidates(item.q)
        if found is None:
            continue
        candidates, matches = found
        right = np.array([item.in_scope and item.right_passage(m) for m in matches], dtype=bool)
        if not right.any():
            right = np.array([item.in_scope and item.right_exercise(m) for m in matches])
        features = expand(candidates.features, candidates.question)
        samples.append(Sample(features, candidates.question, right, weight))
    return samples


def _loss_and_gradient(
    params: np.ndarray, samples: Sequence[Sample], l2: float
) -> tuple[float, np.ndarray]:
    size = samples[0].features.shape[1]  # candidate columns and their crossed products
    w, v = params[:size], params[size:]
    loss = 0.0
    grad_w = np.zeros_like(w)
    grad_v = np.zeros_like(v)
    total_weight = sum(s.weight for s in samples)
    for sample in samples:
        scores = sample.features @ w
        null = float(sample.question @ v)
        top = max(float(scores.max()), null)
        exp = np.exp(scores - top)
        exp_null = float(np.exp(null - top))
        total = float(exp.sum()) + exp_null
        p, p_null = exp / total, exp_null / total
        # Target: the right candidates (any of them), else "no answer".
        if sample.right.any():
            mass = float(p[sample.right].sum())
            target = np.where(sample.right, p / mass, 0.0)
            target_null = 0.0
        else:
            mass = p_null
            target = np.zeros_like(p)
            target_null = 1.0
        loss -= sample.weight * np.log(max(mass, 1e-12))
        grad_w += sample.weight * (sample.features.T @ (p - target))
        grad_v += sample.weight * sample.question * (p_null - target_null)
    loss /= total_weight
    grad = np.concatenate([grad_w, grad_v]) / total_weight
    loss += 0.5 * l2 * float(params @ params)
    grad += l2 * params
    return loss, grad


def fit(
    samples: Sequence[Sample],
    l2: float = L2,
    steps: int = 1500,
    extra: tuple[str, ...] = (),
    extra_question: tuple[str, ...] = (),
) -> Ranker:
    """Full-batch Adam; the problem is convex, so the start does not matter. `extra` and
    `extra_question` name optional columns after the shipped ones (the dense signal)."""
    columns = CANDIDATE_FEATURES + extra
    question_columns = QUESTION_FEATURES + extra_question
    candidate = len(columns) + len(CROSS_FEATURES)
    size = candidate + len(question_columns)
    params = np.zeros(size)
    m = np.zeros(size)
    s = np.zeros(size)
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, steps + 1):
        loss, grad = _loss_and_gradient(params, samples, l2)
        m = beta1 * m + (1 - beta1) * grad
        s = beta2 * s + (1 - beta2) * grad * grad
        params -= rate * (m / (1 - beta1**step)) / (np.sqrt(s / (1 - beta2**step)) + 1e-8)
        if step % 200 == 0:
            print(f"  step {step}: loss {loss:.4f}", file=sys.stderr)
    return Ranker(
        params[:candidate],
        params[candidate:],
        candidate_columns=columns,
        question_columns=question_columns,
        trees=Trees.none(columns),
        question_trees=Trees.none(question_columns),
    )


# -- trees on top of the weighted sum (Newton boosting of the same softmax loss) -------------

TREE_ROUNDS = 60
TREE_RATE = 0.1
TREE_L2 = 5.0  # shrinks leaves of little evidence towards 0
TREE_BINS = 32


def boost(samples: Sequence[Sample], ranker: Ranker, rounds: int = TREE_ROUNDS) -> Ranker:
    """Shallow trees fitted to what the weighted sums leave unexplained: on the candidates'
    scores and on the "no answer" score."""
    size = len(ranker.candidate_columns)
    x = np.vstack([s.features[:, :size] for s in samples])
    counts = np.array([len(s.features) for s in samples])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    group = np.repeat(np.arange(len(samples)), counts)
    linear = np.concatenate([s.features @ ranker.candidate_weights for s in samples])
    nulls = np.array([float(s.question @ ranker.question_weights) for s in samples])
    right = np.concatenate([s.right for s in samples])
    row_weight = np.repeat([s.weight for s in samples], counts)
    has_right = np.add.reduceat(right.astype(float), starts) > 0
    bins, edges = _binned(x)
    q_bins, q_edges = _binned(np.vstack([s.question for s in samples]))
    sample_weight = np.array([s.weight for s in samples])
    extra = np.zeros(len(x))
    extra_null = np.zeros(len(samples))
    candidate_trees, question_trees = _Forest(bins, edges), _Forest(q_bins, q_edges)
    for _ in range(rounds):
        scores = linear + extra
        null = nulls + extra_null
        top = np.maximum(np.maximum.reduceat(scores, starts), null)
        exp = np.exp(scores - top[group])
        exp_null = np.exp(null - top)
        total = np.add.reduceat(exp, starts) + exp_null
        p = exp / total[group]
        p_null = exp_null / total
        mass = np.add.reduceat(np.where(right, p, 0.0), starts)
        target = np.where(right & has_right[group], p / np.maximum(mass[group], 1e-12), 0.0)
        extra += candidate_trees.grow(p, target, row_weight)
        # "No answer" is right exactly when no candidate is.
        extra_null += question_trees.grow(p_null, ~has_right, sample_weight)
    return replace(
        ranker,
        trees=candidate_trees.trees(ranker.candidate_columns),
        question_trees=question_trees.trees(ranker.question_columns),
    )


def _binned(matrix: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each column cut at its quantiles: (bin of every value, the cut points per column)."""
    quantiles = np.linspace(0, 1, TREE_BINS + 1)[1:-1]
    edges = [np.unique(np.quantile(column, quantiles)) for column in matrix.T]
    bins = np.column_stack(
        [
            np.searchsorted(cuts, column, side="left")
            for cuts, column in zip(edges, matrix.T, strict=True)
        ]
    )
    return bins, edges


class _Forest:
    """Trees grown one at a time on the same binned features."""

    def __init__(self, bins: np.ndarray, edges: list[np.ndarray]) -> None:
        self.bins, self.edges = bins, edges
        self.parts: tuple[list[np.ndarray], ...] = ([], [], [])

    def grow(self, p: np.ndarray, target: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """One Newton step of the softmax loss; returns what it adds to each row's score."""
        grad = (p - target) * weight
        hess = np.maximum(p * (1 - p), 1e-6) * weight
        feature, threshold, value, leaf = _tree(self.bins, self.edges, grad, hess)
        for part, item in zip(self.parts, (feature, threshold, TREE_RATE * value), strict=True):
            part.append(item)
        return TREE_RATE * value[leaf]

    def trees(self, columns: tuple[str, ...]) -> Trees:
        feature, threshold, value = (np.array(part) for part in self.parts)
        return Trees(feature, threshold, value, columns)


def _tree(
    bins: np.ndarray, edges: list[np.ndarray], grad: np.ndarray, hess: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One depth-3 tree by histogram splits: (features, thresholds, leaf values, leaf of
    every row)."""
    count, size = bins.shape
    width = TREE_BINS
    offsets = np.arange(size) * width
    feature = np.zeros(TREE_NODES, dtype=np.intp)
    threshold = np.full(TREE_NODES, NEVER)
    node_of = np.zeros(count, dtype=np.intp)
    for node in range(TREE_NODES):
        rows = np.flatnonzero(node_of == node)
        go_right = np.zeros(len(rows), dtype=bool)
        if len(rows) >= MIN_SPLIT_ROWS:
            flat = (bins[rows] + offsets).ravel()
            g = np.bincount(flat, np.repeat(grad[rows], size), size * width).reshape(size, width)
            h = np.bincount(flat, np.repeat(hess[rows], size), size * width).reshape(size, width)
            gl, hl = np.cumsum(g, 1)[:, :-1], np.cumsum(h, 1)[:, :-1]
            gt, ht = g.sum(1, keepdims=True), h.sum(1, keepdims=True)
            gain = gl**2 / (hl + TREE_L2) + (gt - gl) ** 2 / (ht - hl + TREE_L2)
            gain -= gt**2 / (ht + TREE_L2)
            for j in range(size):
                gain[j, len(edges[j]) :] = -np.inf  # bins past the last edge split nothing
            best = np.unravel_index(np.argmax(gain), gain.shape)
            if gain[best] > 1e-6:
                j, b = int(best[0]), int(best[1])
                feature[node], threshold[node] = j, float(edges[j][b])
                go_right = bins[rows, j] > b
        node_of[rows] = 2 * node + 1 + go_right
    leaf = node_of - TREE_NODES
    g_leaf = np.bincount(leaf, grad, TREE_NODES + 1)
    h_leaf = np.bincount(leaf, hess, TREE_NODES + 1)
    return feature, threshold, -g_leaf / (h_leaf + TREE_L2), leaf


NEVER = 1e30  # a split that sends every row left
MIN_SPLIT_ROWS = 20


def realistic_questions(split: str, names: dict[str, str]) -> list[Labelled]:
    return [replace(q, split=split) for q in parse_questions(question_lines(split, names))]


@dataclass
class Sets:
    """The libraries and labelled questions the ranking learns from and is measured on."""

    realistic: KnowledgeBase
    bundled: KnowledgeBase
    slice: KnowledgeBase
    questions: dict[str, list[Labelled]]  # train, dev, own tune/holdout, slice tune/holdout


def load_sets() -> Sets:
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder))
        realistic = load_knowledge(folder)
    names = {slug: page.name for slug, page in realistic.pages.items()}
    return Sets(
        realistic,
        load_knowledge(REPO / "knowledge"),
        # Our own small library in the realistic style (bench/eval/realistic).
        load_knowledge(SLICE / "pages"),
        {
            "train": realistic_questions("train", names),
            "dev": realistic_questions("dev", names),
            "own tune": load_questions(QUESTIONS_FILE, split="tune"),
            "own holdout": load_questions(QUESTIONS_FILE, split="holdout"),
            "slice tune": load_questions(SLICE / "questions.jsonl", split="tune"),
            "slice holdout": load_questions(SLICE / "questions.jsonl", split="holdout"),
        },
    )


def fit_and_measure(
    sets: Sets,
    *,
    make_index: Callable[[KnowledgeBase], AnswerIndex] = AnswerIndex,
    extra: tuple[str, ...] = (),
    extra_question: tuple[str, ...] = (),
    l2: float = L2,
    steps: int = 1500,
    trees: int = TREE_ROUNDS,
) -> tuple[Ranker, dict[str, Report]]:
    """Fit on train and the tune halves, then score every set: (the ranker, a report per set).
    `make_index` may add candidate columns (`extra`, `extra_question`) to try a feature."""
    indexes = {
        name: make_index(kb)
        for name, kb in (
            ("realistic", sets.realistic),
            ("own", sets.bundled),
            ("slice", sets.slice),
        )
    }
    q = sets.questions
    samples = collect(indexes["realistic"], q["train"], 1.0)
    samples += collect(indexes["own"], q["own tune"], OWN_QUESTION_WEIGHT)
    samples += collect(indexes["slice"], q["slice tune"], OWN_QUESTION_WEIGHT)
    print(f"fitting on {len(samples)} questions", file=sys.stderr)
    ranker = fit(samples, l2, steps, extra, extra_question)
    if trees:
        ranker = boost(samples, ranker, trees)
    reports = {}
    for title, index, name in (
        ("realistic train", "realistic", "train"),
        ("realistic dev", "realistic", "dev"),
        ("own tune", "own", "own tune"),
        ("own holdout", "own", "own holdout"),
        ("own realistic-style tune", "slice", "slice tune"),
        ("own realistic-style holdout", "slice", "slice holdout"),
    ):
        indexes[index].ranker = ranker
        indexes[index]._cached_answer.cache_clear()
        if q[name]:
            reports[title] = evaluate(indexes[index].answer, q[name])
    return ranker, reports


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"save {WEIGHTS_PATH.name}")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--trees", type=int, default=TREE_ROUNDS, help="boosting rounds (0: none)")
    args = parser.parse_args(argv)
    ranker, reports = fit_and_measure(load_sets(), l2=args.l2, steps=args.steps, trees=args.trees)
    for title, report in reports.items():
        print(report.summary(title))
    if args.write:
        import json

        WEIGHTS_PATH.write_text(json.dumps(ranker.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

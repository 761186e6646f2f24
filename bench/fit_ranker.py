"""Fits the answer engine's ranking weights: `python -m bench.fit_ranker [--write]`.

Learns from labelled questions on three libraries: the realistic development library
(`bench/realistic`, built from ../shared at run time, train split only), our bundled
`knowledge/` and our realistic-style slice (the tune halves of bench/eval). The model is a
conditional logit over one question's (page, passage) candidates plus "no answer" (see
bot/core/search/ranking.py). Its target is the right passage (exercise, section and FAQ
heading); failing that, every passage of the right exercise; "no answer" when the question is
out of scope or no candidate is right. First it learns word pairs from the questions labelled
with an FAQ (learn_associations: an asked word -> a word of the FAQ question that answered) and
section shares from those labelled with a section (_class_lifts: an asked word -> how much
more often than usual that section answered), and kind shares from those labelled with an FAQ
(the same, for the kind of answer that FAQ's question wants: _asked_and_kind), which three
candidate features read (both shares also learn from the kind of answer asked, as one cue word
more: candidates.kind_cues), and scope words from every question (_scope_lifts: a word said -> how
much more often than usual its messages were ones no page answers), which a feature of the "no
answer" option reads. Prints train and dev quality; `--write` saves bot/core/search/ranker.json
(weights, trees, pairs, section and kind shares and scope words); `--cv` instead judges the
settings given by cross-validation over train's exercise families. The test split is never read
here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
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
from bench.realistic.library import build, family, question_lines
from bot.core.loader import KnowledgeBase, load_knowledge
from bot.core.search import AnswerIndex
from bot.core.search.candidates import kind_cues
from bot.core.search.entries import PageEntry
from bot.core.search.query import ANSWER_KINDS, answer_kind
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
from bot.core.search.text import words as split_words
from bot.core.search.tuning import DEFAULT_MIN_CONFIDENCE, HOW_OPENER, ONE_HOT_SECTIONS

REPO = Path(__file__).resolve().parents[1]
WEIGHTS_PATH = REPO / "bot/core/search" / WEIGHTS_FILE
SLICE = REALISTIC_SLICE
L2 = 0.003
# Full-batch Adam steps for the weighted sums. The loss is the same to four places at 500, 1,000
# and 1,500 steps (28,638 and 29,535 questions); 500 take about 7 minutes at 29,535 in single
# precision (12 in double).
STEPS = 500
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
    fold: int = 0  # its exercise family's fold (_fold), for cross-validation
    # The question, and per candidate its passage (_passage_name): what --cv --outcomes
    # writes of a held-out answer.
    item: Labelled | None = None
    passages: tuple[str, ...] = ()


@cache
def _passage_name(slug: str, section: str, heading: str | None) -> str:
    """A passage as labels name it ("bench-press > faq > How wide?", "bench-press > tips"), so
    a right answer reads as its label; one string per passage, however many samples hold it."""
    return f"{slug} > {section} > {heading}" if section == "faq" else f"{slug} > {section}"


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
        passages = tuple(_passage_name(m.slug, m.section, m.heading) for m in matches)
        samples.append(
            Sample(candidates.features, candidates.question, right, weight, 0, item, passages)
        )
    return samples


# -- learned word pairs: what members ask with -> the words of the FAQ question that answered --

ASSOCIATION_FOLDS = 5  # each training question's pairs are learned from the other folds
ASSOCIATION_PRIOR = 1.0  # a word asked once ties to nothing for certain: count / (asked + 1)
ASSOCIATION_MIN_COUNT = 3  # a pair met once or twice is an anecdote ("never" beside "nobody")


def learn_associations(
    labelled: Iterable[tuple[AnswerIndex, Labelled]],
) -> dict[str, dict[str, float]]:
    """For each word asked beside an FAQ's question (its page's name aside), the share of those
    questions whose FAQ question held each other word: "wobble" -> "balance"."""
    return _pairs(
        seen
        for seen in (_asked_and_answered(item, _read(index, item)) for index, item in labelled)
        if seen
    )


# A question's labelled page, the words it asked beside that page's own name, and the kind of
# answer it asked (query.ANSWER_KINDS; None: no kind known).
Read = tuple[PageEntry, set[str], str | None]


def _read(index: AnswerIndex, item: Labelled) -> Read | None:
    """The labelled page, the words asked, its name as said aside (as the features set it aside),
    and the kind of answer asked; None for a question no page answers. Every kind of learned
    words starts here."""
    entry = index.by_slug.get(item.slug or "")
    if entry is None:
        return None
    query = index.reader.read(item.q)
    asked = set(query.content)
    return entry, asked - entry.name_said(asked), query.asks


def _asked_and_answered(item: Labelled, read: Read | None) -> tuple[set[str], set[str]] | None:
    """(the words asked, the words of the FAQ question that answered), its opening "how" aside
    too; None for a question labelled with no FAQ."""
    if item.section != "faq" or read is None:
        return None
    entry, asked, _ = read
    faq = [p for p in entry.passages if p.section == "faq" and p.heading == item.heading]
    if not faq:
        return None
    return asked - {HOW_OPENER}, set(faq[0].tokens) - entry.own_name - {HOW_OPENER}


def _pairs(seen: Iterable[tuple[set[str], set[str]]]) -> dict[str, dict[str, float]]:
    together: Counter[tuple[str, str]] = Counter()
    asked_count: Counter[str] = Counter()
    for asked, heading in seen:
        for word in asked - heading:
            asked_count[word] += 1
            for other in heading - asked:
                together[word, other] += 1
    pairs: dict[str, dict[str, float]] = {}
    for (word, other), count in together.items():
        if count < ASSOCIATION_MIN_COUNT:
            continue
        pairs.setdefault(word, {})[other] = count / (asked_count[word] + ASSOCIATION_PRIOR)
    return pairs


# -- learned section and kind shares: what members ask with -> the section, or the kind of
# answer of the FAQ, that answered -----------------------------------------------------------

# (not tuning.SECTION_PRIOR, the rules' fit of a section)
LIFT_PRIOR = 2.0  # a word asked once says little: its shares shrink towards the usual ones
LIFT_MIN_COUNT = 3  # ... and a word asked fewer times than this says nothing
LIFT_MIN = 0.03  # smaller differences from the usual shares are left out of the file


def _asked_and_section(item: Labelled, read: Read | None) -> tuple[set[str], int] | None:
    """(the words asked with the kind of answer asked (kind_cues), the number of the labelled
    section); None for a question no section answers."""
    if item.section not in ONE_HOT_SECTIONS or read is None:
        return None
    _, asked, asks = read
    return kind_cues(asked, asks), ONE_HOT_SECTIONS.index(item.section or "")


def _asked_and_kind(item: Labelled, read: Read | None) -> tuple[set[str], int] | None:
    """(the words asked with the kind of answer asked (kind_cues), the number of the kind of
    answer its FAQ's question wants); None for a question labelled with no FAQ, or with one of
    no known kind."""
    if item.section != "faq" or read is None or not item.heading:
        return None
    kind = answer_kind(item.heading)
    if kind is None:
        return None
    _, asked, asks = read
    return kind_cues(asked, asks), ANSWER_KINDS.index(kind)


def _class_lifts(
    seen: Iterable[tuple[set[str], int]], classes: int
) -> dict[str, tuple[float, ...]]:
    """For each word asked often enough, its smoothed share of answers in each class (the
    sections, or the kinds of answer an FAQ wants) minus the share over every question: "mess"
    -> mistakes up, how to down."""
    usual = np.zeros(classes)
    counts: dict[str, np.ndarray] = {}
    for asked, answered in seen:
        usual[answered] += 1
        for word in asked:
            counts.setdefault(word, np.zeros(classes))[answered] += 1
    usual /= max(usual.sum(), 1)
    lifts = {}
    for word, by_class in counts.items():
        total = by_class.sum()
        if total < LIFT_MIN_COUNT:
            continue
        lift = (by_class - total * usual) / (total + LIFT_PRIOR)
        if np.abs(lift).max() >= LIFT_MIN:
            lifts[word] = tuple(float(x) for x in lift)
    return lifts


# -- learned scope words: what members say -> how often such messages were out of scope ------

SCOPE_PRIOR = 4.0  # a word said a few times shrinks towards the usual share of chat
SCOPE_MIN_COUNT = 3  # ... and one said fewer times than this says nothing
SCOPE_MIN_LIFT = 0.1  # smaller lifts (in log-odds) are left out of the file


def _said_and_scope(index: AnswerIndex, item: Labelled) -> tuple[set[str], bool]:
    """(the words said that name no exercise of the library, as the ranking reads them;
    whether a page answers the message)."""
    said = split_words(index.reader.read(item.q).text)
    return index.candidate_builder.scope_stems(said), item.in_scope


def _scope_lifts(seen: Iterable[tuple[set[str], bool]]) -> dict[str, float]:
    """For each word said often enough, the log-odds of its messages being out of scope
    (smoothed towards the usual share) minus those of every message: "thanks" up, "form"
    down."""
    messages = out = 0
    said: Counter[str] = Counter()
    said_out: Counter[str] = Counter()
    for words, in_scope in seen:
        messages += 1
        out += not in_scope
        said.update(words)
        if not in_scope:
            said_out.update(words)
    if not messages or out in (0, messages):
        return {}
    usual = out / messages
    lifts = {}
    for word, count in said.items():
        if count < SCOPE_MIN_COUNT:
            continue
        share = (said_out[word] + SCOPE_PRIOR * usual) / (count + SCOPE_PRIOR)
        lift = math.log(share / (1 - share)) - math.log(usual / (1 - usual))
        if abs(lift) >= SCOPE_MIN_LIFT:
            lifts[word] = lift
    return lifts


def _fold(index: AnswerIndex, item: Labelled) -> int:
    """A stable fold per exercise family, so that no family's pairs explain its own questions."""
    entry = index.by_slug.get(item.slug or "")
    key = family(entry.page.name) if entry is not None else item.id
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % ASSOCIATION_FOLDS


@dataclass(frozen=True)
class LearnedWords:
    """What the ranking's word features learn from labelled questions (Ranker fields)."""

    associations: dict[str, dict[str, float]]
    section_words: dict[str, tuple[float, ...]]
    scope_words: dict[str, float]
    kind_words: dict[str, tuple[float, ...]]

    def given_to(self, ranker: Ranker) -> Ranker:
        return replace(
            ranker,
            associations=self.associations,
            section_words=self.section_words,
            scope_words=self.scope_words,
            kind_words=self.kind_words,
        )


def collect_cross_fitted(
    labelled: Sequence[tuple[AnswerIndex, Labelled, float]],
) -> tuple[list[Sample], LearnedWords]:
    """Samples whose learned word pairs, section shares and scope words come from the other
    folds (as those of a question the ranking never saw would), and those learned from every
    question."""
    samples: list[Sample] = []
    shipped = {id(index): index.ranker for index, _, _ in labelled}
    # Each question read once, not once per fold: its fold, what it asked beside the FAQ that
    # answered it and beside the section that did, and the words it said (scope words).
    folds = [_fold(index, item) for index, item, _ in labelled]
    read = [(item, _read(index, item)) for index, item, _ in labelled]
    seen = [_asked_and_answered(item, words) for item, words in read]
    sections = [_asked_and_section(item, words) for item, words in read]
    scopes = [_said_and_scope(index, item) for index, item, _ in labelled]
    kinds = [_asked_and_kind(item, words) for item, words in read]

    def learned(fold: int | None) -> LearnedWords:
        return LearnedWords(
            _pairs(w for w, other in zip(seen, folds, strict=True) if w and other != fold),
            _class_lifts(
                (w for w, other in zip(sections, folds, strict=True) if w and other != fold),
                len(ONE_HOT_SECTIONS),
            ),
            _scope_lifts(w for w, other in zip(scopes, folds, strict=True) if other != fold),
            _class_lifts(
                (w for w, other in zip(kinds, folds, strict=True) if w and other != fold),
                len(ANSWER_KINDS),
            ),
        )

    for fold in range(ASSOCIATION_FOLDS):
        words = learned(fold)
        for (index, item, weight), own in zip(labelled, folds, strict=True):
            if own == fold:
                index.ranker = words.given_to(shipped[id(index)])
                samples += [replace(s, fold=fold) for s in collect(index, [item], weight)]
    for index, _, _ in labelled:
        index.ranker = shipped[id(index)]
    return samples, learned(None)


class _Stacked:
    """Every sample's candidates in one table (question i's rows start at starts[i]), with the
    crossed products (`expand`), so that the softmax of every question at once is a few array
    operations. Single precision: the table is most of a fit's memory (349 columns a
    candidate row, about 120 rows a question: 4.9 GB at 30,000 questions), and the sums that
    read it are rounded far below what the fit resolves."""

    def __init__(self, samples: Sequence[Sample]) -> None:
        counts = np.array([len(s.features) for s in samples])
        self.starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.group = np.repeat(np.arange(len(samples)), counts)
        width = samples[0].features.shape[1] + len(CROSS_FEATURES) if samples else 0
        self.features = np.empty((int(counts.sum()), width), dtype=np.float32)
        for sample, start, count in zip(samples, self.starts, counts, strict=True):
            self.features[start : start + count] = expand(sample.features, sample.question)
        self.questions = np.vstack([s.question for s in samples])
        self.right = np.concatenate([s.right for s in samples])
        self.weight = np.array([s.weight for s in samples])
        self.has_right = np.add.reduceat(self.right.astype(float), self.starts) > 0

    def scores(self, ranker: Ranker) -> tuple[np.ndarray, np.ndarray]:
        """What the ranker scores every candidate row, and each question's "no answer"."""
        own = np.ascontiguousarray(self.features[:, : len(ranker.candidate_columns)])
        scores = self.weighted(ranker.candidate_weights) + ranker.trees.score(own)
        nulls = self.questions @ ranker.question_weights
        return scores, nulls + ranker.question_trees.score(self.questions)

    def weighted(self, weights: np.ndarray) -> np.ndarray:
        """Each row's weighted sum, in double precision from here on (the weights cast down
        first: a double vector would make numpy copy the whole table up)."""
        return (self.features @ weights.astype(np.float32)).astype(np.float64)

    def softmax(
        self, scores: np.ndarray, nulls: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per question, from the candidates' scores and the "no answer" scores: (each
        candidate's probability, that of "no answer", the right candidates' together)."""
        top = np.maximum(np.maximum.reduceat(scores, self.starts), nulls)
        exp = np.exp(scores - top[self.group])
        exp_null = np.exp(nulls - top)
        total = np.add.reduceat(exp, self.starts) + exp_null
        p = exp / total[self.group]
        right_mass = np.add.reduceat(np.where(self.right, p, 0.0), self.starts)
        return p, exp_null / total, right_mass

    def loss_and_gradient(self, params: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
        """The weighted mean of -log(probability of a right candidate, or of "no answer" when
        none is right), plus L2, and its gradient."""
        size = self.features.shape[1]  # candidate columns and their crossed products
        p, p_null, right_mass = self.softmax(
            self.weighted(params[:size]), self.questions @ params[size:]
        )
        mass = np.where(self.has_right, right_mass, p_null)
        # Target: the right candidates (any of them, in proportion), else "no answer".
        target = np.where(self.right, p / np.maximum(right_mass, 1e-300)[self.group], 0.0)
        target_null = (~self.has_right).astype(float)
        total_weight = float(self.weight.sum())
        loss = float(-(self.weight * np.log(np.maximum(mass, 1e-12))).sum()) / total_weight
        row_weight = self.weight[self.group]
        grad_w = (self.features.T @ (row_weight * (p - target)).astype(np.float32)).astype(
            np.float64
        )
        grad_v = self.questions.T @ (self.weight * (p_null - target_null))
        grad = np.concatenate([grad_w, grad_v]) / total_weight
        return loss + 0.5 * l2 * float(params @ params), grad + l2 * params


def fit(
    stacked: _Stacked,
    l2: float = L2,
    steps: int = STEPS,
    extra: tuple[str, ...] = (),
    extra_question: tuple[str, ...] = (),
) -> Ranker:
    """Full-batch Adam; the problem is convex, so the start does not matter. `extra` and
    `extra_question` name optional columns after the shipped ones (the dense signal)."""
    columns = CANDIDATE_FEATURES + extra
    question_columns = QUESTION_FEATURES + extra_question
    candidate = len(columns) + len(CROSS_FEATURES)
    params = _adam(stacked, l2, steps)
    return Ranker(
        params[:candidate],
        params[candidate:],
        candidate_columns=columns,
        question_columns=question_columns,
        trees=Trees.none(columns),
        question_trees=Trees.none(question_columns),
    )


def _adam(stacked: _Stacked, l2: float, steps: int) -> np.ndarray:
    size = stacked.features.shape[1] + stacked.questions.shape[1]
    params = np.zeros(size)
    m = np.zeros(size)
    s = np.zeros(size)
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, steps + 1):
        loss, grad = stacked.loss_and_gradient(params, l2)
        m = beta1 * m + (1 - beta1) * grad
        s = beta2 * s + (1 - beta2) * grad * grad
        params -= rate * (m / (1 - beta1**step)) / (np.sqrt(s / (1 - beta2**step)) + 1e-8)
        if step % 500 == 0:
            print(f"  step {step}: loss {loss:.4f}", file=sys.stderr)
    return params


# -- trees on top of the weighted sum (Newton boosting of the same softmax loss) -------------

# Chosen by --cv. Over 3,017 questions, 100 rounds against 60: held-out loss 0.4233 -> 0.4140,
# right 2,062 -> 2,073 of 2,424, wrong 164 -> 162; 150 then answered more questions wrongly.
# Over 4,575, 150 against 100: lower loss in every fold, more right, fewer wrong. Over 28,370
# (fold 3's 5,748 held out), 400 against 150: loss 0.3202 -> 0.3100, right 4,451 -> 4,478,
# wrong 349 -> 332; with one more feature (tried, dropped) 500 raised the loss over 400 (see
# bench/realistic/README.md).
TREE_ROUNDS = 400
TREE_RATE = 0.1
# Shrinks leaves of little evidence towards 0. 25 (at 28,370 questions) was a wash on folds 0
# and 3: a few more right answers and as many more wrong (bench/realistic/README.md).
TREE_L2 = 5.0
TREE_BINS = 32


def boost(stacked: _Stacked, ranker: Ranker, rounds: int = TREE_ROUNDS) -> Ranker:
    """Shallow trees fitted to what the weighted sums leave unexplained: on the candidates'
    scores and on the "no answer" score."""
    group, right, has_right = stacked.group, stacked.right, stacked.has_right
    linear, nulls = stacked.scores(ranker)
    row_weight = stacked.weight[group]
    bins, edges = _binned(stacked.features[:, : len(ranker.candidate_columns)])
    q_bins, q_edges = _binned(stacked.questions)
    extra = np.zeros(len(linear))
    extra_null = np.zeros(len(stacked.weight))
    candidate_trees, question_trees = _Forest(bins, edges), _Forest(q_bins, q_edges)
    for _ in range(rounds):
        p, p_null, mass = stacked.softmax(linear + extra, nulls + extra_null)
        target = np.where(right & has_right[group], p / np.maximum(mass[group], 1e-12), 0.0)
        extra += candidate_trees.grow(p, target, row_weight)
        # "No answer" is right exactly when no candidate is.
        extra_null += question_trees.grow(p_null, ~has_right, stacked.weight)
    return replace(
        ranker,
        trees=candidate_trees.trees(ranker.candidate_columns),
        question_trees=question_trees.trees(ranker.question_columns),
    )


def _binned(matrix: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each column cut at its quantiles: (bin of every value, features x rows; the cut points
    per column)."""
    quantiles = np.linspace(0, 1, TREE_BINS + 1)[1:-1]
    edges = [_between_values(column, np.quantile(column, quantiles)) for column in matrix.T]
    # A byte per bin number (TREE_BINS < 256): the bins of every row are the largest table
    # the trees read, and a byte is an eighth of the index type. Column by column (features x
    # rows): a histogram reads one feature's bins at a time.
    bins = np.stack(
        [
            np.searchsorted(cuts, column, side="left").astype(np.uint8)
            for cuts, column in zip(edges, matrix.T, strict=True)
        ]
    )
    return bins, edges


def _between_values(column: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """The cuts, each moved up halfway to the next value the column holds: the same bins, and
    no value sits on a threshold. A quantile often falls on a value many rows share (1/3, 5/7),
    and a threshold on it sends them right or left by how it was rounded (six places in
    ranker.json, single precision here), not as the fit did."""
    values = np.unique(column).astype(np.float64)
    cuts = np.unique(cuts.astype(np.float64))
    above = values[np.minimum(np.searchsorted(values, cuts, side="right"), len(values) - 1)]
    return np.unique((cuts + np.maximum(above, cuts)) / 2)


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
    every row). `bins`: features x rows."""
    size, count = bins.shape
    width = TREE_BINS
    feature = np.zeros(TREE_NODES, dtype=np.intp)
    threshold = np.full(TREE_NODES, NEVER)
    node_of = np.zeros(count, dtype=np.intp)
    for node in range(TREE_NODES):
        rows = np.flatnonzero(node_of == node)
        go_right = np.zeros(len(rows), dtype=bool)
        if len(rows) >= MIN_SPLIT_ROWS:
            # A histogram per feature: no rows x features table of indices and weights (a
            # gigabyte and more at the root of a fit of 30,000 questions).
            every = len(rows) == count
            g_rows, h_rows = (grad, hess) if every else (grad[rows], hess[rows])
            g, h = np.empty((size, width)), np.empty((size, width))
            for j in range(size):
                column = bins[j] if every else bins[j, rows]
                g[j] = np.bincount(column, g_rows, width)
                h[j] = np.bincount(column, h_rows, width)
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
                go_right = bins[j, rows] > b
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


def training_samples(
    sets: Sets, make_index: Callable[[KnowledgeBase], AnswerIndex] = AnswerIndex
) -> tuple[dict[str, AnswerIndex], list[Sample], LearnedWords]:
    """(an index per library, the samples of train and the tune halves, the word pairs and
    section shares learned from them all)."""
    indexes = {
        name: make_index(kb)
        for name, kb in (
            ("realistic", sets.realistic),
            ("own", sets.bundled),
            ("slice", sets.slice),
        )
    }
    q = sets.questions
    labelled = [(indexes["realistic"], item, 1.0) for item in q["train"]]
    labelled += [(indexes["own"], item, OWN_QUESTION_WEIGHT) for item in q["own tune"]]
    labelled += [(indexes["slice"], item, OWN_QUESTION_WEIGHT) for item in q["slice tune"]]
    # (The slow part before any fit: about eight minutes at 10,000 questions.)
    print(f"reading the candidates of {len(labelled)} labelled questions", file=sys.stderr)
    samples, learned = collect_cross_fitted(labelled)
    return indexes, samples, learned


EQUAL_RISK = 0.05  # the share of questions answered wrong at which --cv also counts right


@dataclass
class HeldOut:
    """How a fit does on the questions of families it did not learn from, decided as the
    ranking alone decides (the likeliest candidate, if it clears the threshold)."""

    questions: int = 0
    loss: float = 0.0  # summed -log(probability of a right candidate, or of "no answer")
    answerable: int = 0  # a right candidate is among the candidates
    right: int = 0  # ... and the likeliest, sure enough
    wrong: int = 0  # a wrong candidate, sure enough (out of scope or not)
    # Per question: how sure the likeliest candidate is, and whether it is right. Two fits
    # compared at one threshold trade right for wrong differently; at EQUAL_RISK they do not.
    best_probability: list[float] = field(default_factory=list)
    best_right: list[bool] = field(default_factory=list)
    # Per question: the question, the likeliest candidate's passage, and whether the question
    # has a right candidate (--cv --outcomes).
    best_passage: list[tuple[Labelled | None, str, bool]] = field(default_factory=list)

    def add(
        self, ranker: Ranker, samples: Sequence[Sample], stacked: _Stacked, threshold: float
    ) -> None:
        """`stacked`: the samples' table, made once for every round count measured."""
        p, p_null, right_mass = stacked.softmax(*stacked.scores(ranker))
        mass = np.where(stacked.has_right, right_mass, p_null)
        self.questions += len(samples)
        self.loss += float(-np.log(np.maximum(mass, 1e-12)).sum())
        ends = np.append(stacked.starts[1:], len(p))
        for sample, start, end, answerable in zip(
            samples, stacked.starts, ends, stacked.has_right, strict=True
        ):
            best = start + int(np.argmax(p[start:end]))
            passage = sample.passages[best - start] if sample.passages else ""
            self.best_passage.append((sample.item, passage, bool(answerable)))
            sure = p[best] >= threshold
            self.answerable += bool(answerable)
            self.right += bool(sure and stacked.right[best])
            self.wrong += bool(sure and not stacked.right[best])
            self.best_probability.append(float(p[best]))
            self.best_right.append(bool(stacked.right[best]))

    def outcomes(self, threshold: float) -> Iterator[dict[str, object]]:
        """Per held-out question, what a fit that never saw its family answered: right, wrong,
        unsure (a right candidate, not sure enough), refused (out of scope, no answer) or
        unreachable (in scope, but no right candidate to choose)."""
        for (item, passage, answerable), p, right in zip(
            self.best_passage, self.best_probability, self.best_right, strict=True
        ):
            sure = p >= threshold
            if sure:
                outcome = "right" if right else "wrong"
            elif answerable:
                outcome = "unsure"
            else:
                outcome = "refused" if item is None or not item.in_scope else "unreachable"
            want = (
                _passage_name(item.slug, item.section or "", item.heading)
                if item and item.slug
                else None
            )
            yield {
                "id": item.id if item else None,
                "q": item.q if item else None,
                "want": want,
                "likeliest": passage,
                "probability": round(p, 3),
                "outcome": outcome,
            }

    def right_at_risk(self, risk: float = EQUAL_RISK) -> int:
        """Right answers when the threshold is as low as it can go with at most `risk` of all
        questions answered wrong: the sure-enough rule's trade-off taken out."""
        order = np.argsort(-np.array(self.best_probability), kind="stable")
        right = np.array(self.best_right, dtype=bool)[order]
        wrong_so_far = np.cumsum(~right)
        answered = int(np.searchsorted(wrong_so_far, risk * self.questions, side="right"))
        return int(right[:answered].sum())

    def summary(self, title: str) -> str:
        return (
            f"{title}: {self.questions} questions | held-out loss "
            f"{self.loss / max(self.questions, 1):.4f} | right {self.right}/{self.answerable} "
            f"({self.right / max(self.answerable, 1):.3f}) | wrong {self.wrong} "
            f"({self.wrong / max(self.questions, 1):.3f}) | right at {EQUAL_RISK:.0%} wrong "
            f"{self.right_at_risk()}"
        )


def cross_validate(
    samples: Sequence[Sample],
    *,
    l2: float = L2,
    steps: int = STEPS,
    trees: Sequence[int] = (TREE_ROUNDS,),
    threshold: float = DEFAULT_MIN_CONFIDENCE,
    folds: int = ASSOCIATION_FOLDS,
) -> dict[int, HeldOut]:
    """Fit once per family fold on the other folds, and measure on it: settings judged on
    exercises the fit never saw, as a new library's are, over every training question rather
    than dev's few hundred. `trees`: the boosting rounds to judge; one boost per fold to the
    most of them is read at each (its first n trees are the n-round boost). `folds`: measure
    the first few folds only (a fold takes minutes at 12,000 questions; a change is first
    judged on fold 0)."""
    held_out = {rounds: HeldOut() for rounds in trees}
    for fold in range(min(folds, ASSOCIATION_FOLDS)):
        learn = _Stacked([s for s in samples if s.fold != fold])
        ranker = fit(learn, l2, steps)
        if max(trees):
            ranker = boost(learn, ranker, max(trees))
        measured = [s for s in samples if s.fold == fold]
        measured_table = _Stacked(measured)
        for rounds, measure in held_out.items():
            measure.add(first_rounds(ranker, rounds), measured, measured_table, threshold)
            print(measure.summary(f"  after fold {fold}, {rounds} rounds"), file=sys.stderr)
    return held_out


def first_rounds(ranker: Ranker, rounds: int) -> Ranker:
    """The ranker with its first `rounds` trees: what a boost of that many rounds fits."""

    def first(trees: Trees) -> Trees:
        return Trees(
            trees.feature[:rounds], trees.threshold[:rounds], trees.value[:rounds], trees.columns
        )

    return replace(ranker, trees=first(ranker.trees), question_trees=first(ranker.question_trees))


def fit_and_measure(
    sets: Sets,
    *,
    make_index: Callable[[KnowledgeBase], AnswerIndex] = AnswerIndex,
    extra: tuple[str, ...] = (),
    extra_question: tuple[str, ...] = (),
    l2: float = L2,
    steps: int = STEPS,
    trees: int = TREE_ROUNDS,
) -> tuple[Ranker, dict[str, Report]]:
    """Fit on train and the tune halves, then score every set: (the ranker, a report per set).
    `make_index` may add candidate columns (`extra`, `extra_question`) to try a feature."""
    indexes, samples, learned = training_samples(sets, make_index)
    q = sets.questions
    print(f"fitting on {len(samples)} questions", file=sys.stderr)
    # One table of every candidate for both the weighted sums and the trees, and the samples
    # let go: a whole fit of 30,481 questions peaks at 9.8 GB (21.9 GB with a second copy in
    # double precision).
    stacked = _Stacked(samples)
    del samples
    ranker = fit(stacked, l2, steps, extra, extra_question)
    if trees:
        ranker = boost(stacked, ranker, trees)
    ranker = learned.given_to(ranker)
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
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument(
        "--trees",
        type=_rounds,
        default=(TREE_ROUNDS,),
        metavar="N[,N...]",
        help="boosting rounds (0: none); with --cv, several to judge side by side (150,300,400)",
    )
    parser.add_argument(
        "--cv", action="store_true", help="cross-validate these settings by family; no fit kept"
    )
    parser.add_argument(
        "--folds",
        type=int,
        default=ASSOCIATION_FOLDS,
        choices=range(1, ASSOCIATION_FOLDS + 1),
        metavar="N",
        help=f"with --cv: measure only the first N (1 to {ASSOCIATION_FOLDS}) of the folds",
    )
    parser.add_argument(
        "--outcomes",
        type=Path,
        metavar="FILE",
        help="with --cv: write each held-out question's answer to FILE (JSON lines)",
    )
    args = parser.parse_args(argv)
    # Refused now, not after the twenty minutes of a fold.
    if args.outcomes and not args.cv:
        parser.error("--outcomes needs --cv: only a cross-validation has held-out answers")
    if args.outcomes and not args.outcomes.resolve().parent.is_dir():
        parser.error(f"--outcomes: there is no folder {args.outcomes.resolve().parent}")
    if len(args.trees) > 1 and not args.cv:
        parser.error("--trees: a fit kept has one number of rounds; several are for --cv")
    if args.cv:
        _, samples, _ = training_samples(load_sets())
        held_out = cross_validate(
            samples, l2=args.l2, steps=args.steps, trees=args.trees, folds=args.folds
        )
        for rounds, measure in held_out.items():
            print(measure.summary(f"l2 {args.l2}, {rounds} tree rounds, {args.steps} steps"))
            if args.outcomes:
                rows = measure.outcomes(DEFAULT_MIN_CONFIDENCE)
                path = _outcomes_path(args.outcomes, rounds, several=len(held_out) > 1)
                path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        return 0
    ranker, reports = fit_and_measure(
        load_sets(), l2=args.l2, steps=args.steps, trees=args.trees[0]
    )
    for title, report in reports.items():
        print(report.summary(title))
    if args.write:
        WEIGHTS_PATH.write_text(json.dumps(ranker.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_PATH}")
    return 0


def _rounds(text: str) -> tuple[int, ...]:
    """ "400" or "150,300,400": boosting rounds, none below 0, no repeats."""
    try:
        rounds = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not whole numbers: {text!r}") from None
    if min(rounds) < 0 or len(set(rounds)) < len(rounds):
        raise argparse.ArgumentTypeError(f"rounds must be 0 or more, each once: {text!r}")
    return rounds


def _outcomes_path(path: Path, rounds: int, *, several: bool) -> Path:
    """Where --outcomes writes one count's answers: FILE itself, or with several counts
    FILE's name with the count before its suffix (out.jsonl -> out.400.jsonl)."""
    return path.with_name(f"{path.stem}.{rounds}{path.suffix}") if several else path


if __name__ == "__main__":
    sys.exit(main())

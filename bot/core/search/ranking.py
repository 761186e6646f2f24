"""The learned ranking: one choice among (page, passage) candidates and "no answer".

A conditional logit (a softmax over the candidates of one question): each candidate's score is
a weighted sum of its features; "no answer" scores by features of the question alone (does it
name anything, how much of it the library knows). The weights are fitted offline on labelled
questions by `python -m bench.fit_ranker` and shipped as `ranker.json`; nothing is trained at
run time. A page's probability is the sum over its passages: the chance the exercise is right.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

# Features of one (page, passage) candidate; each is about 0..1.
CANDIDATE_FEATURES = (
    "name_score",  # how well the question names the page (coverage both ways)
    "log_name_score",  # its log (floored): the name evidence as the rules multiplied it
    "name_coverage",  # share of the page's name (idf-weighted) the question said
    "question_coverage",  # share of the question's exercise words the page's name explains
    "name_best",  # 1 for the page(s) the name evidence ranks first
    "name_gap",  # name score minus the best name score among candidates (<= 0)
    "unsaid_name",  # share of the page's name words the question did not say
    "unsaid_marked",  # ... leaving out the words a plain mention leaves out (barbell, medium grip)
    "general",  # no other candidate's name is a strict subset of this page's name
    "unknown_modifier",  # a word no page uses is said right beside this page's name
    "name_rarity",  # how few pages' names hold the rarest name word said of this one
    "choice_agrees",  # of a choice the question makes (an implement, flat or incline, seated or
    # standing: vocabulary `choices`), the page's name or equipment says the same
    "choice_differs",  # ... says only another ("flat bench" and the incline bench press)
    "named_first",  # the question compares, and names this page before any other: "are
    # seated leg curls better than lying ones" asks about the seated one
    "rule_fit",  # the hand-written section and FAQ fit (intent cue words, FAQ overlap)
    "log_rule_fit",  # its log, as the rules multiplied it with the name score
    "bm25_rel",  # the passage's BM25 over the best candidate passage's
    "bm25_abs",  # the passage's BM25 over what a passage holding every asked word would get
    "rest_rel",  # BM25 from words other than the page's own name, over the best such
    "rest_abs",  # ... over what a passage holding every asked word would get
    "page_bm25_rel",  # the page's best passage, relative
    "page_bm25_best",  # 1 when this page holds the best BM25 passage
    "asked_held",  # share (idf-weighted) of the asked words, the page's own name aside, the
    # passage holds at all; 1 when nothing else was asked
    "page_asked_held",  # ... that any passage of its page holds: "are burpees bad for your
    # knees" of a burpee page that never says knees is asked what the page does not answer
    "faq_question_fit",  # idf-weighted cosine of the question with an FAQ's question
    "faq_answer_fit",  # ... with an FAQ's answer
    "faq_ask_fit",  # ... over the question's words that do not name the best-named exercise
    "faq_sentence_fit",  # ... over the words of the sentences that ask, in a message whose
    # other sentences tell (Query.asking); else the same as faq_question_fit
    "faq_names_other",  # the FAQ's question holds the name of the best-named other exercise
    "faq_unasked",  # share of the FAQ's question (idf-weighted, name aside) not asked here
    "faq_says_unsaid",  # the FAQ's question holds a word of its page's name (not a plain
    # one) that neither the question nor the best-named page's name says: "... on an
    # incline?" for a flat bench question
    "faq_goes_without",  # the FAQ's question goes without a word asked ("... without the
    # machine?"), and the question says nothing is left out ("how do I use the machine")
    "faq_kind_same",  # the FAQ's question wants the same kind of answer (a place, a number...)
    "faq_kind_other",  # ... another kind (both known, neither yes-or-no: query.answer_kind)
    "faq_associated",  # its question's words that learned word pairs tie to asked words
    "section_associated",  # how much the asked words' learned section shares favour its section
    "faq_kind_associated",  # ... and their learned FAQ kind shares favour its FAQ's kind of answer
    "intent_fit",  # how strongly what is asked points at this passage's section
    "intent_elsewhere",  # how strongly it points at another section
    "overview_only",  # only an exercise was named, nothing asked of it, and this is its overview
    "is_faq",
    "is_how_to",
    "is_tips",
    "is_mistakes",
    "is_quick",
    "is_attributes",
    "is_related",
    "passage_length",  # log of the passage's words, / 6
    "page_richness",  # the page's passages over the most any candidate page has: a site
    # writes most about its main page of a family, the one a plain name means
)
# Features of the question, for the "no answer" option.
QUESTION_FEATURES = (
    "bias",
    "unknown_share",  # content words no page uses
    "length",  # log(1 + content words) / 3
    "question_form",  # reads as a question (a question word, "?", a cue)
    "best_name_score",
    "best_name_coverage",
    "best_bm25_abs",
    "exercise_word_share",  # content words that are name or attribute words of some page
    "has_intent",
    "chat_share",  # words of the message that are greetings, days, laughter, chat phrases
    "injury_signs",  # the message tells of an injury ("swollen", "numb", "felt a pop")
    "ask_share",  # content words that do not name the best-named exercise: what is asked
    "compares",  # the question compares exercises ("X vs Y", "X or Y", "difference")
    "other_topic",  # a word of a topic no exercise page covers (food, sleep, the server)
    "said_name_rarity",  # how few pages' names hold the rarest name word said
    "everyday_share",  # content words that are everyday English no page uses (Query.everyday)
    "exclaims",  # the message exclaims ("!", an emoji): news and cheers more often than asks
    "scope_words",  # how much its words, as learned from labelled messages, tell of chat or a
    # topic no page covers ("finished", "thanks") or of a question the library answers ("form")
)
# Evidence that means more together than apart: each pair's product is one more feature (for
# example, naming an exercise and nothing else is an answer only when it reads as a question).
CROSSED = (
    "name_score",
    "name_gap",
    "name_best",
    "unsaid_name",
    "unsaid_marked",
    "general",
    "unknown_modifier",
    "bm25_rel",
    "rest_rel",
    "rest_abs",
    "faq_question_fit",
    "faq_answer_fit",
    "faq_ask_fit",
    "faq_names_other",
    "faq_unasked",
    "intent_fit",
    "overview_only",
    "q:question_form",
    "q:unknown_share",
    "q:length",
    "q:exercise_word_share",
    "q:has_intent",
    "q:chat_share",
    "q:ask_share",
    "q:compares",
)
CROSS_FEATURES = tuple(f"{a}*{b}" for i, a in enumerate(CROSSED) for b in CROSSED[i + 1 :])
WEIGHTS_FILE = "ranker.json"


def _column(name: str) -> tuple[bool, int]:
    if name.startswith("q:"):
        return True, QUESTION_FEATURES.index(name[2:])
    return False, CANDIDATE_FEATURES.index(name)


_CROSS_COLUMNS = [_column(name) for name in CROSSED]
_PAIRS = [(i, j) for i in range(len(CROSSED)) for j in range(i + 1, len(CROSSED))]
_LEFT = np.array([i for i, _ in _PAIRS])
_RIGHT = np.array([j for _, j in _PAIRS])


# As arrays: a list as an index is turned into one at every use.
_FROM_CANDIDATE = np.array(
    [k for k, (from_question, _) in enumerate(_CROSS_COLUMNS) if not from_question], np.intp
)
_FROM_QUESTION = np.array(
    [k for k, (from_question, _) in enumerate(_CROSS_COLUMNS) if from_question], np.intp
)
_CANDIDATE_COLUMNS = np.array(
    [n for from_question, n in _CROSS_COLUMNS if not from_question], np.intp
)
_QUESTION_COLUMNS = np.array([n for from_question, n in _CROSS_COLUMNS if from_question], np.intp)


def crossed_base(candidates: np.ndarray, question: np.ndarray) -> np.ndarray:
    """The CROSSED features of every candidate (question features repeated per row)."""
    base = np.empty((len(candidates), len(CROSSED)))
    base[:, _FROM_CANDIDATE] = candidates[:, _CANDIDATE_COLUMNS]
    base[:, _FROM_QUESTION] = question[_QUESTION_COLUMNS]
    return base


def expand(candidates: np.ndarray, question: np.ndarray) -> np.ndarray:
    """The candidate features followed by the crossed products (CROSS_FEATURES)."""
    base = crossed_base(candidates, question)
    return np.hstack([candidates, base[:, _LEFT] * base[:, _RIGHT]])


TREE_DEPTH = 3
TREE_NODES = 2**TREE_DEPTH - 1  # split nodes of one tree, in heap order (children 2i+1, 2i+2)
_CODES = 1 << TREE_NODES  # the ways a tree's split tests can come out
# A tree's tests are the bits of one byte (Trees.score): at most 8 split nodes.
assert TREE_NODES <= 8, "Trees.score packs a tree's split tests into one byte"
_SHIFTS = [np.uint64(node) for node in range(TREE_NODES)]
_NODE_BITS = 1 << np.arange(TREE_NODES, dtype=np.intp)  # node n's test is bit n of the code


@dataclass(frozen=True)
class Trees:
    """Shallow regression trees over the candidate features, added to a candidate's score:
    what a weighted sum cannot express (a feature that matters only beside another)."""

    feature: np.ndarray  # trees x TREE_NODES: the feature each split node reads
    threshold: np.ndarray  # trees x TREE_NODES: go right when the feature is above it
    value: np.ndarray  # trees x 2**TREE_DEPTH: the leaves' scores
    columns: tuple[str, ...] = CANDIDATE_FEATURES  # what the features are
    # Trees share most of their splits: each distinct (feature, threshold) is tested once.
    # A tree's 7 split tests, as the bits of a byte, tell its leaf: a table holds every
    # tree's leaf value by that byte.
    _test_feature: np.ndarray = field(init=False, repr=False, compare=False)
    _test_threshold: np.ndarray = field(init=False, repr=False, compare=False)
    _node_test: np.ndarray = field(init=False, repr=False, compare=False)
    _tree_tests: np.ndarray = field(init=False, repr=False, compare=False)
    _table_offset: np.ndarray = field(init=False, repr=False, compare=False)
    _leaf_value: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        splits = list(
            zip(self.feature.ravel().tolist(), self.threshold.ravel().tolist(), strict=True)
        )
        distinct = list(dict.fromkeys(splits))
        number = {split: n for n, split in enumerate(distinct)}
        count = len(self.feature)
        tests = np.array([number[split] for split in splits], np.intp).reshape(count, TREE_NODES)
        object.__setattr__(self, "_test_feature", np.array([f for f, _ in distinct], np.intp))
        object.__setattr__(self, "_test_threshold", np.array([t for _, t in distinct])[:, None])
        # The test each node reads, node by node: every tree's first node, then every second...
        object.__setattr__(self, "_node_test", np.ascontiguousarray(tests.T).ravel())
        object.__setattr__(self, "_tree_tests", tests)  # ... and tree by tree (score_one)
        object.__setattr__(self, "_table_offset", np.arange(count, dtype=np.intp) * _CODES)
        object.__setattr__(self, "_leaf_value", self._leaf_values().ravel())

    def _leaf_values(self) -> np.ndarray:
        """Each tree's leaf value for every way its split tests can come out (bit n: node n
        goes right): the walk from the root reads only the tests on its path."""
        leaf = np.zeros(_CODES, dtype=np.intp)
        for code in range(_CODES):
            node = 0
            for _ in range(TREE_DEPTH):
                node = 2 * node + (2 if code >> node & 1 else 1)
            leaf[code] = node - TREE_NODES
        return self.value[:, leaf]

    def score(self, candidates: np.ndarray) -> np.ndarray:
        if not len(self.feature) or not len(candidates):
            return np.zeros(len(candidates))
        # Tests x candidates as bytes of 0 or 1, the candidates padded to whole 8-byte words.
        rows = len(candidates)
        width = -(-rows // 8) * 8
        tests = np.zeros((len(self._test_feature), width), dtype=np.uint8)
        np.greater(
            candidates.T.take(self._test_feature, axis=0),
            self._test_threshold,
            out=tests[:, :rows].view(bool),
        )
        # Every node's test, then a tree's leaf code: node n's byte shifted left n and or-ed.
        # A 0/1 byte shifted by < 8 stays in its byte, so the words shift 8 candidates at once.
        by_node = tests.take(self._node_test, axis=0).view(np.uint64)
        by_node = by_node.reshape(TREE_NODES, len(self.feature), -1)
        codes = by_node[0].copy()
        for node in range(1, TREE_NODES):
            codes |= by_node[node] << _SHIFTS[node]
        # Candidates x trees, summed per candidate over contiguous trees: the same sums as ever.
        places = codes.view(np.uint8)[:, :rows].T.astype(np.intp, order="C")
        places += self._table_offset
        return self._leaf_value.take(places).sum(axis=1)

    def score_one(self, row: np.ndarray) -> float:
        """score() of a single row (the question's, for "no answer"): its codes straight from
        its tests, without packing candidates eight to a word."""
        if not len(self.feature):
            return 0.0
        passed = row.take(self._test_feature) > self._test_threshold[:, 0]
        places = passed.take(self._tree_tests) @ _NODE_BITS
        places += self._table_offset
        return float(self._leaf_value.take(places).sum())

    def to_json(self) -> dict[str, list[list[float]]]:
        return {
            "feature": [[self.columns[f] for f in tree] for tree in self.feature.tolist()],
            "threshold": [[round(t, 6) for t in tree] for tree in self.threshold.tolist()],
            "value": [[round(v, 6) for v in tree] for tree in self.value.tolist()],
        }

    @classmethod
    def none(cls, columns: tuple[str, ...] = CANDIDATE_FEATURES) -> Trees:
        return cls(
            np.zeros((0, TREE_NODES), dtype=np.intp),
            np.zeros((0, TREE_NODES)),
            np.zeros((0, TREE_NODES + 1)),
            columns,
        )

    @classmethod
    def from_json(cls, data: dict[str, list[list[Any]]] | None, columns: tuple[str, ...]) -> Trees:
        if not data or not data.get("feature"):
            return cls.none(columns)
        number = {name: n for n, name in enumerate(columns)}
        feature = np.array([[number[name] for name in tree] for tree in data["feature"]])
        return cls(
            feature.astype(np.intp),
            np.array(data["threshold"], dtype=np.float64),
            np.array(data["value"], dtype=np.float64),
            columns,
        )


NO_TREES = Trees.none()
NO_QUESTION_TREES = Trees.none(QUESTION_FEATURES)


@dataclass(frozen=True)
class Ranker:
    candidate_weights: np.ndarray  # candidate_columns, then CROSS_FEATURES
    question_weights: np.ndarray  # question_columns
    trees: Trees = NO_TREES  # over candidate features, added to each candidate's score
    question_trees: Trees = NO_QUESTION_TREES  # over question features, added to "no answer"
    # The columns it reads: the shipped features, then any that a benchmark tries beside them
    # (bench/dense.py). ranker.json holds the shipped ones only.
    candidate_columns: tuple[str, ...] = CANDIDATE_FEATURES
    question_columns: tuple[str, ...] = QUESTION_FEATURES
    # Word pairs learned from labelled questions: a word members ask with -> a word of the
    # FAQ question that answered them, with how often it did ("wobble" -> "balance").
    associations: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    # Learned from labelled questions too: a word members ask with -> how much more (or less)
    # often than usual the answer was in each section (ONE_HOT_SECTIONS order): "cues" -> tips.
    section_words: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    # The same for the kind of answer the FAQ that answered wants (query.ANSWER_KINDS order):
    # "worth" -> a reason, as "Why train the adductors at all?" gives.
    kind_words: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    # And a word said in a message (stemmed) -> how much more likely than usual (in log-odds)
    # such messages were ones no page answers: "thanks" up, "form" down.
    scope_words: Mapping[str, float] = field(default_factory=dict)
    _base_weights: np.ndarray = field(init=False, repr=False, compare=False)
    _cross_candidate: np.ndarray = field(init=False, repr=False, compare=False)
    _cross_mixed: np.ndarray = field(init=False, repr=False, compare=False)
    _cross_question: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The crossed weights as an upper-triangular matrix: sum of w_ij * x_i * x_j per row is
        # ((x @ W) * x).sum(1), without building every product.
        size = len(self.candidate_columns)
        cross = np.zeros((len(CROSSED), len(CROSSED)))
        cross[_LEFT, _RIGHT] = self.candidate_weights[size:]
        object.__setattr__(self, "_base_weights", self.candidate_weights[:size])
        # Its blocks by where the features come from: pairs of candidate features, pairs of a
        # candidate and a question feature (either way round), pairs of question features.
        candidate, question = _FROM_CANDIDATE, _FROM_QUESTION
        mixed = cross[np.ix_(candidate, question)] + cross[np.ix_(question, candidate)].T
        object.__setattr__(self, "_cross_candidate", cross[np.ix_(candidate, candidate)])
        object.__setattr__(self, "_cross_mixed", mixed)
        object.__setattr__(self, "_cross_question", cross[np.ix_(question, question)])

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ranker:
        names = CANDIDATE_FEATURES + CROSS_FEATURES
        candidate = np.array([data["candidate"].get(name, 0.0) for name in names])
        question = np.array([data["no_answer"].get(name, 0.0) for name in QUESTION_FEATURES])
        return cls(
            candidate,
            question,
            Trees.from_json(data.get("trees"), CANDIDATE_FEATURES),
            Trees.from_json(data.get("no_answer_trees"), QUESTION_FEATURES),
            associations=data.get("associations", {}),
            section_words=_lift_table(data.get("section_words")),
            scope_words=data.get("scope_words", {}),
            kind_words=_lift_table(data.get("kind_words")),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "candidate": {
                name: round(float(w), 5)
                for name, w in zip(
                    self.candidate_columns + CROSS_FEATURES, self.candidate_weights, strict=True
                )
            },
            "no_answer": {
                name: round(float(w), 5)
                for name, w in zip(self.question_columns, self.question_weights, strict=True)
            },
            "trees": self.trees.to_json(),
            "no_answer_trees": self.question_trees.to_json(),
            "associations": {
                asked: {word: round(float(share), 4) for word, share in sorted(pairs.items())}
                for asked, pairs in sorted(self.associations.items())
            },
            "section_words": {
                word: [round(float(lift), 4) for lift in lifts]
                for word, lifts in sorted(self.section_words.items())
            },
            "scope_words": {
                word: round(float(lift), 4) for word, lift in sorted(self.scope_words.items())
            },
            "kind_words": {
                word: [round(float(lift), 4) for lift in lifts]
                for word, lifts in sorted(self.kind_words.items())
            },
        }

    def linear_scores(self, candidates: np.ndarray, question: np.ndarray) -> np.ndarray:
        """The weighted sum with crossed pairs, ((b @ W) * b).sum(1) for b = crossed_base(), in
        blocks: the question's features are the same in every row, so the pairs they are in
        add up once per question, and only the candidates' own pairs once per row."""
        own = candidates.take(_CANDIDATE_COLUMNS, axis=1)
        asked = question.take(_QUESTION_COLUMNS)
        per_question = float(asked @ self._cross_question @ asked)
        with_question = self._cross_mixed @ asked
        return (
            candidates @ self._base_weights
            + ((own @ self._cross_candidate) * own).sum(1)
            + (own @ with_question + per_question)
        )

    def probabilities(
        self, candidates: np.ndarray, question: np.ndarray
    ) -> tuple[np.ndarray, float]:
        """(probability of each candidate, probability of "no answer")."""
        scores = self.linear_scores(candidates, question) + self.trees.score(candidates)
        null = float(question @ self.question_weights)
        null += self.question_trees.score_one(question)
        top = max(float(scores.max()) if len(scores) else null, null)
        exp = np.exp(scores - top)
        exp_null = float(np.exp(null - top))
        total = float(exp.sum()) + exp_null
        return exp / total, exp_null / total


def _lift_table(data: dict[str, list[float]] | None) -> dict[str, tuple[float, ...]]:
    """Learned section or kind shares as ranker.json holds them: a word -> its lifts."""
    return {word: tuple(lifts) for word, lifts in (data or {}).items()}


@lru_cache(maxsize=1)
def load_ranker() -> Ranker:
    """The shipped weights (ranker.json), read once per process."""
    text = resources.files("bot.core.search").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    return Ranker.from_json(json.loads(text))

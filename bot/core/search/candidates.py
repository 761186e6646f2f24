"""Candidate scoring: the (page, passage) pairs a question could be answered from, with the
features the learned ranking (ranking.py) weighs.

Pages come from two sides: the pages the question names best (name evidence, engine.py) and
the pages whose passages share its words best (BM25 over every passage, passages.py). Every
passage of those pages is a candidate. The work per question grows with the candidates, not with
the library.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.core.questions import looks_like_question
from bot.core.search.entries import PageEntry, Passage, Query
from bot.core.search.name_scoring import NameEvidence
from bot.core.search.passages import BUILD_CHUNK, Documents, PassageRetriever
from bot.core.search.query import ANSWER_KINDS, answer_kind
from bot.core.search.text import Intent
from bot.core.search.text import words as split_words
from bot.core.search.tuning import (
    COMPARISON_WORDS,
    FAQ,
    FAQ_ATTRIBUTE_FIT,
    FAQ_INTENT_BONUS,
    FIT_FLOOR,
    MAX_CANDIDATE_PAGES,
    NAME_CANDIDATES,
    NAME_SCORE_FLOOR,
    NAME_WORD_DISCOUNT,
    ONE_HOT_SECTIONS,
    PASSAGE_CANDIDATES,
    PASSAGE_SHARE,
    QUICK,
    SECTION_CUE_FIT,
    SECTION_PRIOR,
)

YES_NO = ANSWER_KINDS.index("yes_no")


@dataclass(slots=True)
class Candidates:
    """What the ranker chooses among for one question (and what bench/fit_ranker learns from)."""

    pages: list[int]  # page positions
    owner: np.ndarray  # per candidate: its page, as an index into `pages`
    passage_ids: np.ndarray  # per candidate: its passage
    features: np.ndarray  # one row per pair, columns CANDIDATE_FEATURES
    question: np.ndarray  # QUESTION_FEATURES, for the "no answer" option


class CandidateBuilder:
    """Every passage of the library in one table (BM25, section, intents), built once."""

    def __init__(
        self,
        entries: Sequence[PageEntry],
        documents: Documents,
        intents: Sequence[Intent],
        passage_weight: dict[str, float],
        unknown_weight: float,
        chat_words: frozenset[str] = frozenset(),
    ) -> None:
        self.entries = entries
        self.positions = {entry.page.slug: n for n, entry in enumerate(entries)}
        self.intents = {intent.name: intent for intent in intents}
        self.passage_weight = passage_weight
        self.unknown_weight = unknown_weight
        self.chat_words = chat_words
        self.passage_owner: list[int] = []
        self.passage_start: list[int] = []  # the id of each page's first passage
        self.passage_list: list[Passage] = []
        for position, entry in enumerate(self.entries):
            self.passage_start.append(len(self.passage_list))
            for passage in entry.passages:
                self.passage_owner.append(position)
                self.passage_list.append(passage)
        self.retriever = PassageRetriever(documents)  # one word list per passage, in order
        self.faq_norm, self.faq_weight = self._faq_totals()
        section_number = {section: n for n, section in enumerate(ONE_HOT_SECTIONS)}
        self.intent_names = [intent.name for intent in intents]
        self.attribute_intents = np.array(
            [intent.section == "attributes" for intent in intents], dtype=float
        )
        # Only FAQ passages carry intents: fill just their rows.
        self.passage_intents = np.zeros((len(self.passage_list), len(self.intent_names)), bool)
        column = {name: n for n, name in enumerate(self.intent_names)}
        for row, passage in enumerate(self.passage_list):
            for name in passage.intents:
                self.passage_intents[row, column[name]] = True
        count = len(self.passage_list)
        self.passage_section = np.fromiter(
            (section_number[p.section] for p in self.passage_list), dtype=np.int8, count=count
        )
        # The kind of answer each FAQ question wants (an index into ANSWER_KINDS; -1: none).
        kind_number = {kind: n for n, kind in enumerate(ANSWER_KINDS)}
        kind_of: dict[str, int] = {}  # libraries repeat FAQ questions: each read once
        for passage in self.passage_list:
            if passage.section == "faq" and passage.heading not in kind_of:
                kind_of[passage.heading] = kind_number.get(answer_kind(passage.heading) or "", -1)
        self.passage_kind = np.fromiter(
            (kind_of[p.heading] if p.section == "faq" else -1 for p in self.passage_list),
            dtype=np.int8,
            count=count,
        )
        # Features of a passage alone: its section, one-hot (made per question: a table of
        # every passage would be 9 floats each), and its length.
        self.passage_length = np.fromiter(
            (math.log1p(p.length) / 6 for p in self.passage_list), dtype=np.float64, count=count
        )

    def _faq_totals(self) -> tuple[np.ndarray, np.ndarray]:
        """Per FAQ passage, what its question's words weigh, once at build rather than for every
        question: the squared norm of their FAQ-matching weights (its page's name words
        discounted), and the idf weight of those besides its page's name (faq_unasked).
        The words of a few thousand FAQ questions at a time in one array, each passage's summed
        in word order (small temporaries: large ones made this late would stay in the heap)."""
        count = len(self.passage_list)
        norms = np.zeros(count)
        weights = np.zeros(count)
        asking = [n for n, passage in enumerate(self.passage_list) if passage.tokens]
        # Words as numbers (FAQ questions use a few hundred words), so that the rest is numpy.
        words = dict.fromkeys(
            itertools.chain.from_iterable(self.passage_list[n].tokens for n in asking)
        )
        number = {token: n for n, token in enumerate(words)}
        idf = self.retriever.idf
        weight_of = np.array([self.passage_weight.get(t, self.unknown_weight) for t in number])
        idf_of = np.array([idf.get(t, self.unknown_weight) for t in number])
        # A word is in its page's name when (page, word) is one of the pages' (page, name word).
        name_pairs = np.unique(
            np.array(
                [
                    position * len(number) + number[token]
                    for position, entry in enumerate(self.entries)
                    if entry.variants
                    for token in entry.variants[0]
                    if token in number
                ],
                dtype=np.int64,
            )
        )
        step = BUILD_CHUNK // 16
        for first in range(0, len(asking), step):
            chunk = asking[first : first + step]
            questions = [self.passage_list[n].tokens for n in chunk]
            lengths = np.array([len(tokens) for tokens in questions])
            word = np.fromiter(
                map(number.__getitem__, itertools.chain.from_iterable(questions)),
                dtype=np.int64,
                count=int(lengths.sum()),
            )
            page = np.repeat(np.array([self.passage_owner[n] for n in chunk]), lengths)
            pair = page * len(number) + word
            found = np.minimum(name_pairs.searchsorted(pair), len(name_pairs) - 1)
            in_name = name_pairs[found] == pair if len(name_pairs) else np.zeros(len(pair), bool)
            weight, beside_name = weight_of[word], idf_of[word]
            weight[in_name] *= NAME_WORD_DISCOUNT
            beside_name[in_name] = 0.0
            starts = np.cumsum(lengths) - lengths
            norms[chunk] = np.add.reduceat(weight**2, starts)
            weights[chunk] = np.add.reduceat(beside_name, starts)
        return norms, weights

    def build(self, query: Query, evidence: NameEvidence) -> Candidates | None:
        """(page, passage) pairs worth ranking: every passage of the pages the question names
        and of the pages whose passages share its words, each with its features."""
        by_name = {
            self.positions[score.entry.page.slug]: score
            for score in evidence.ranked[:NAME_CANDIDATES]
            if score.score > 0
        }
        found_ids, _ = self.retriever.search(query.content, PASSAGE_CANDIDATES)
        order = list(by_name)
        for passage_id in found_ids.tolist():
            owner = self.passage_owner[passage_id]
            if owner not in by_name and owner not in order:
                order.append(owner)
        # A page of nothing but a title has no passage to answer from.
        with_passages = (position for position in order if self.entries[position].passages)
        order = list(itertools.islice(with_passages, MAX_CANDIDATE_PAGES))
        if not order:
            return None
        counts = [len(self.entries[position].passages) for position in order]
        ids = np.concatenate(
            [
                np.arange(self.passage_start[p], self.passage_start[p] + n)
                for p, n in zip(order, counts, strict=True)
            ]
        )
        owner = np.repeat(np.arange(len(order)), counts)  # row -> index into order
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        words = list(dict.fromkeys(query.content))
        asked = set(words)
        impacts = self.retriever.impacts(words, ids)
        bm25 = impacts.sum(axis=0)
        best_bm25 = float(bm25.max()) or 1.0
        possible = self.retriever.best_possible(words) or 1.0
        names = [
            self.entries[p].variants[0] if self.entries[p].variants else frozenset() for p in order
        ]
        # The words that name the best-named exercise(s): an FAQ on another page that holds
        # them is about that exercise ("hammer curls" vs "Dumbbell curl vs hammer curl?").
        best_name = max((score.score for score in by_name.values()), default=0.0)
        naming: frozenset[str] = (
            frozenset().union(
                *(
                    names[n]
                    for n, p in enumerate(order)
                    if p in by_name and by_name[p].score >= best_name - 1e-9
                )
            )
            & asked
        )
        # The same scores without the words of each page's own name: what else it answers.
        own_word = np.array([[word in own for own in names] for word in words], dtype=bool)
        rest = bm25 - (impacts * own_word[:, owner]).sum(axis=0)
        best_rest = float(rest.max()) or 1.0
        page_best = np.maximum.reduceat(bm25, starts) / best_bm25

        # Per page: the name evidence.
        # Words the library never uses, said right beside a name word: "copenhagen plank",
        # "bayesian curl" name an exercise the library does not have.
        beside_unknown: set[str] = set()
        for before, after in itertools.pairwise(query.segments[0]):
            if before in query.unknown:
                beside_unknown.add(after)
            if after in query.unknown:
                beside_unknown.add(before)
        page_rows = []
        only_named = np.zeros(len(order), dtype=bool)
        other_names = {name for name in names if name}
        # A page a passage brought in keeps the name evidence it has, weak as it may be.
        brought_in = [position for position in order if position not in by_name]
        evidence_of = {
            self.positions[score.entry.page.slug]: score
            for score in (evidence.of_each(brought_in) if len(evidence.score) else ())
        }
        evidence_of.update(by_name)
        for number, position in enumerate(order):
            score = evidence_of.get(position)
            own = names[number]
            named = score.score if score else 0.0
            general = not any(map(own.__gt__, other_names))  # no other name within its own
            page_rows.append(
                [
                    named,
                    math.log(max(named, NAME_SCORE_FLOOR)),
                    score.name_coverage if score else 0.0,
                    score.question_coverage if score else 0.0,
                    1.0 if score and named >= best_name - 1e-9 else 0.0,
                    named - best_name,
                    len(own - asked) / len(own) if own else 0.0,
                    1.0 if general else 0.0,
                    1.0 if own & beside_unknown else 0.0,
                ]
            )
            only_named[number] = not asked - self.entries[position].name_tokens
        intents = query.intents
        only_named &= not intents

        # Per section: how strongly what is asked points at it, and at any other; the rules' fit.
        sections = self.passage_section[ids]
        strongest: dict[str, float] = {}  # the strongest cue of each section pointed at
        for name, cue_strength in intents.items():
            section = self.intents[name].section
            strongest[section] = (
                max(strongest[section], cue_strength) if section in strongest else cue_strength
            )
        cue = np.zeros((len(ONE_HOT_SECTIONS), 3))
        for number, section in enumerate(ONE_HOT_SECTIONS):
            here = strongest.get(section)
            cue[number] = (
                0 if here is None else here,
                max((v for other, v in strongest.items() if other != section), default=0),
                self._section_fit(section, here),
            )
        fit, elsewhere, rule_fit = cue[sections].T.copy()
        overview = (sections == QUICK) & only_named[owner]
        rule_fit[overview] = 1.0
        question_fit = np.zeros(len(ids))
        ask_fit = np.zeros(len(ids))  # the same, over the words that do not name the exercise
        names_other = np.zeros(len(ids))
        unasked = np.zeros(len(ids))  # what an FAQ's question asks that this question does not
        ask = asked - naming
        answer_fit = np.zeros(len(ids))
        # FAQ entries: the intents their questions carry, and their words.
        faq_rows = np.flatnonzero(sections == FAQ)
        if intents and len(faq_rows):
            strength = np.array([intents.get(name, 0.0) for name in self.intent_names])
            carries = self.passage_intents[ids[faq_rows]]
            fit[faq_rows] = (carries * strength).max(axis=1)
            elsewhere[faq_rows] = (~carries * strength).max(axis=1)
            # An FAQ about muscles, equipment or difficulty beats the bare attribute list.
            about = (carries * strength * self.attribute_intents).max(axis=1)
            rule_fit[faq_rows] = np.where(about > 0, FAQ_ATTRIBUTE_FIT * about, 0.0)
        idf = self.retriever.idf
        asked_idf = {token: idf.get(token, self.unknown_weight) for token in asked}
        squares = _AskedSquares(
            {token: self.passage_weight.get(token, self.unknown_weight) for token in asked}
        )
        # What the question's words weigh, a page's own name counting little; pages naming the
        # same asked words share it.
        asked_totals: dict[frozenset[str], float] = {}
        # An FAQ whose text holds no asked word beside its page's name (BM25 scores every word
        # of it) fits no asked word: it only asks what was not asked, if it asks anything.
        beside_name = (impacts[:, faq_rows] > 0) & ~own_word[:, owner[faq_rows]]
        shares_words = beside_name.any(axis=0)
        apart = faq_rows[~shares_words]
        unasked[apart] = self.faq_weight[ids[apart]] > 0  # it asks something beside the name
        # The idf-weighted norms of what is asked, by the asked words discounted on a page.
        ask_norms: dict[frozenset[str], float] = {}
        asked_norms: dict[frozenset[str], float] = {}
        matching = faq_rows[shares_words]
        matching_ids = ids[matching]
        for row, page, passage_id, own_norm, faq_weight, fit_by_intent in zip(
            matching.tolist(),
            owner[matching].tolist(),
            matching_ids.tolist(),
            self.faq_norm[matching_ids].tolist(),
            self.faq_weight[matching_ids].tolist(),
            rule_fit[matching].tolist(),
            strict=True,
        ):
            passage = self.passage_list[passage_id]
            own = names[page]
            in_question = asked.intersection(passage.tokens)
            unasked[row] = _unasked(passage, own, in_question, faq_weight, asked_idf)
            in_answer = asked.intersection(passage.answer_tokens)
            if not in_question and not in_answer:
                continue  # nothing in common: word fits stay 0
            if (in_question & naming) - own:
                names_other[row] = 1.0
            if (in_question & ask) - own:
                discounted = own & ask
                if discounted not in ask_norms:
                    ask_norms[discounted] = squares.norm(ask, own)
                ask_norm = ask_norms[discounted]
                ask_fit[row] = _similarity(squares, ask, ask_norm, in_question, own, own_norm)
            if in_question - own:
                named_here = own | naming
                discounted = named_here & asked
                if discounted not in asked_norms:
                    asked_norms[discounted] = squares.norm(asked, named_here)
                # The passage's norm with the best-named exercise's words discounted too; the
                # same as with its own name's alone unless it holds one of them.
                norm = own_norm
                if not (naming - own).isdisjoint(passage.tokens):
                    norm = self._squared_norm(passage.tokens, named_here)
                similarity = _similarity(
                    squares, asked, asked_norms[discounted], in_question, named_here, norm
                )
                question_fit[row] = similarity
                if fit_by_intent > 0:  # an attribute FAQ: its bonus on top of the words
                    about = fit_by_intent / FAQ_ATTRIBUTE_FIT
                    rule_fit[row] = max(similarity + FAQ_INTENT_BONUS * about, fit_by_intent)
                else:
                    rule_fit[row] = similarity
            if in_answer - own:
                part = math.fsum(
                    [
                        asked_idf[t] * NAME_WORD_DISCOUNT if t in own else asked_idf[t]
                        for t in in_answer
                    ]
                )
                discounted = own & asked
                if discounted not in asked_totals:
                    asked_totals[discounted] = math.fsum(
                        w * NAME_WORD_DISCOUNT if t in own else w for t, w in asked_idf.items()
                    )
                answer_fit[row] = part / asked_totals[discounted]
        rule_fit = np.clip(rule_fit, FIT_FLOOR, 1.0)
        asked_kind = query.asks
        kinds = self.passage_kind[ids]
        known = (kinds >= 0) & (asked_kind is not None)
        same = kinds == (ANSWER_KINDS.index(asked_kind) if asked_kind else -2)
        kind_same = (known & same).astype(np.float64)
        # A yes-or-no question may be answered in any form ("can I bench with no spotter?":
        # "How do I bench safely alone?"); a place is not given by a reason.
        either_yes_no = (kinds == YES_NO) | (asked_kind == "yes_no")
        kind_other = (known & ~same & ~either_yes_no).astype(np.float64)
        top_page = (page_best >= page_best.max() - 1e-9).astype(np.float64)  # ties are ties
        per_row = [
            rule_fit,
            np.log(1 - PASSAGE_SHARE + PASSAGE_SHARE * rule_fit),
            bm25 / best_bm25,
            bm25 / possible,
            rest / best_rest,
            rest / possible,
            page_best[owner],
            top_page[owner],
            question_fit,
            answer_fit,
            ask_fit,
            names_other,
            unasked,
            kind_same,
            kind_other,
            fit,
            elsewhere,
            overview.astype(np.float64),
        ]
        features = np.hstack(
            [np.array(page_rows)[owner], np.array(per_row).T, self._passage_static(ids, sections)]
        )
        exercise_words = len(query.names | query.attributes)
        question = [
            1.0,
            len(query.unknown) / len(query.content),
            math.log1p(len(query.content)) / 3,
            1.0 if looks_like_question(query.text) else 0.0,
            best_name,
            max((score.name_coverage for score in by_name.values()), default=0.0),
            best_bm25 / possible,
            exercise_words / len(query.content),
            1.0 if intents else 0.0,
            self._chat_share(query),
            len(set(query.content) - naming) / len(set(query.content)),
            1.0 if len(query.segments) > 1 or COMPARISON_WORDS & set(query.tokens) else 0.0,
        ]
        return Candidates(order, owner, ids, features, np.array(question))

    def _passage_static(self, ids: np.ndarray, sections: np.ndarray) -> np.ndarray:
        """The passages' section, one-hot, and their length."""
        static = np.zeros((len(ids), len(ONE_HOT_SECTIONS) + 1))
        static[np.arange(len(ids)), sections] = 1.0
        static[:, -1] = self.passage_length[ids]
        return static

    def _chat_share(self, query: Query) -> float:
        said = split_words(query.text)
        return sum(word in self.chat_words for word in said) / len(said) if said else 0.0

    @staticmethod
    def _section_fit(section: str, strongest: float | None) -> float:
        """The rules' fit of a section by cue words, given its strongest cue (the overview when
        only a name was said is set by the caller)."""
        prior = SECTION_PRIOR.get(section, 0.0)
        return prior if strongest is None else max(prior, SECTION_CUE_FIT * strongest)

    def _weight(self, token: str, name_tokens: frozenset[str]) -> float:
        """A word's weight in FAQ matching; the page's own name words count for little."""
        value = self.passage_weight.get(token, self.unknown_weight)
        return value * NAME_WORD_DISCOUNT if token in name_tokens else value

    def _squared_norm(self, words: Iterable[str], name_tokens: frozenset[str]) -> float:
        # fsum: exact, so set order (which varies between processes) never changes a score.
        return math.fsum(self._weight(t, name_tokens) ** 2 for t in words)


class _AskedSquares:
    """The asked words' FAQ-matching weights squared, as said and as a page's name word (which
    counts for little): norms of sets of asked words without a call per word."""

    __slots__ = ("named", "plain")

    def __init__(self, weights: dict[str, float]) -> None:
        self.plain = {token: weight**2 for token, weight in weights.items()}
        self.named = {
            token: (weight * NAME_WORD_DISCOUNT) ** 2 for token, weight in weights.items()
        }

    def norm(self, words: Iterable[str], name_tokens: frozenset[str]) -> float:
        """The squared norm of these asked words; fsum: exact, so set order (which varies
        between processes) never changes a score."""
        named, plain = self.named, self.plain
        return math.fsum([named[t] if t in name_tokens else plain[t] for t in words])


def _similarity(
    squares: _AskedSquares,
    asked: set[str],
    asked_norm: float,
    in_question: set[str],
    name_tokens: frozenset[str],
    faq_norm: float,
) -> float:
    """Cosine of idf-weighted word sets: `asked_norm` and `faq_norm` are the squared norms of
    what is asked and of the FAQ's question, `in_question` the asked words it holds; the
    page's own name words count for little."""
    overlap = asked & in_question
    if not overlap - name_tokens:
        return 0.0  # sharing only the exercise's name is not answering the question
    shared = squares.norm(overlap, name_tokens)
    norm = math.sqrt(asked_norm * faq_norm)
    return shared / norm if norm else 0.0


def _unasked(
    passage: Passage,
    own: frozenset[str],
    in_question: set[str],
    faq_weight: float,
    asked_idf: dict[str, float],
) -> float:
    """The idf-weighted share of an FAQ question's words, besides its page's name, that the
    question does not say: "How do I make dead bugs harder?" asks more than "how do you do a
    dead bug". `faq_weight` is what all of them weigh, `in_question` the asked words it holds."""
    said_here = in_question - own
    if len(said_here) == len(passage.tokens) - len(own.intersection(passage.tokens)):
        return 0.0  # every word of it asked (or none beside the name)
    said = math.fsum([asked_idf[token] for token in said_here])
    return (faq_weight - said) / faq_weight

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from bot.core.questions import exclaims, looks_like_question
from bot.core.search.entries import PageEntry, Passage, Query
from bot.core.search.name_scoring import NameEvidence
from bot.core.search.passages import BUILD_CHUNK, Documents, PassageRetriever
from bot.core.search.query import ANSWER_KINDS, answer_kind, compares_or_parts
from bot.core.search.ranking import CANDIDATE_FEATURES, Ranker
from bot.core.search.text import Vocabulary, stem
from bot.core.search.text import words as split_words
from bot.core.search.tuning import (
    FAQ,
    FAQ_ATTRIBUTE_FIT,
    FAQ_INTENT_BONUS,
    FIT_FLOOR,
    MAX_CANDIDATE_PAGES,
    NAME_CANDIDATES,
    NAME_SCORE_FLOOR,
    NAME_WORD_DISCOUNT,
    ONE_HOT_SECTIONS,
    PART_NAME_COVERAGE,
    PASSAGE_CANDIDATES,
    PASSAGE_SHARE,
    QUICK,
    SCOPE_LIFT_CAP,
    SECTION_CUE_FIT,
    SECTION_PRIOR,
)

YES_NO = ANSWER_KINDS.index("yes_no")
MAX_CACHED_CUES = 512  # the section cues of as many combinations of intents asked
_Made = TypeVar("_Made")
# Where each candidate feature is written: by name, so adding one moves nothing by hand.
_COLUMN = {name: number for number, name in enumerate(CANDIDATE_FEATURES)}
# The features of a page alone (name evidence), first: _page_features makes them.


def _at(first: str, last: str | None = None) -> slice:
    """The rows of the feature table from feature `first` to `last` (inclusive)."""
    return slice(_COLUMN[first], _COLUMN[last or first] + 1)


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
        vocabulary: Vocabulary,
        passage_weight: dict[str, float],
        unknown_weight: float,
        name_rarity: dict[str, float],
    ) -> None:
        self.entries = entries
        self.intents = {intent.name: intent for intent in vocabulary.intents}
        self.passage_weight = passage_weight
        self.unknown_weight = unknown_weight
        self.chat_words = vocabulary.chat_words
        self.chat_phrases: dict[str, list[tuple[str, ...]]] = {}  # by first word
        for phrase in vocabulary.chat_phrases:
            self.chat_phrases.setdefault(phrase[0], []).append(phrase)
        self.injury_words = vocabulary.injury_words
        self.other_topics = vocabulary.other_topics
        self.choices = vocabulary.choices
        # Per group, the words of it that some page says together ("smith machine").
        self.choices_together = [
            {entry.choices & choice for entry in entries if len(entry.choices & choice) > 1}
            for choice in self.choices
        ]
        self.passage_list: list[Passage] = [p for entry in entries for p in entry.passages]
        counts = np.array([len(entry.passages) for entry in entries], dtype=np.int64)
        self.page_passages = counts  # how many passages each page has
        self.passage_start = np.cumsum(counts) - counts  # the id of each page's first passage
        self.passage_owner = np.repeat(np.arange(len(entries), dtype=np.int32), counts)
        # Each page's own name: the words of its name (or first alias) as a set.
        self.page_names = [entry.own_name for entry in entries]
        # Per name word: 1 when one page's name holds it, towards 0 as every page's does.
        self.name_rarity = name_rarity
        self.retriever = PassageRetriever(documents)  # one word list per passage, in order
        self.faq_norm, self.faq_weight, self.faq_beside_name = self._faq_totals()
        self.faq_vocabulary, self.faq_row, self.faq_words = self._faq_word_table()
        # Per FAQ passage: the words of its page's name its question holds, plain ones aside,
        # as a number into one list of such sets (-1: none). A page's templated FAQs hold the
        # same words: each set is kept once.
        numbers: dict[frozenset[str], int] = {}
        self.faq_name_set = np.full(len(self.passage_list), -1, dtype=np.int32)
        for passage_id, passage in enumerate(self.passage_list):
            if passage.tokens:
                entry = entries[self.passage_owner[passage_id]]
                held = entry.own_name.intersection(passage.tokens) - entry.plain_words
                if held:
                    self.faq_name_set[passage_id] = numbers.setdefault(held, len(numbers))
        self.faq_name_words = list(numbers)
        # Per passage: its FAQ question goes without something ("... without a machine?").
        self.faq_without = np.fromiter(
            (bool(p.without) for p in self.passage_list), dtype=bool, count=len(self.passage_list)
        )
        section_number = {section: n for n, section in enumerate(ONE_HOT_SECTIONS)}
        self.intent_names = [intent.name for intent in vocabulary.intents]
        self.attribute_intents = np.array(
            [intent.section == "attributes" for intent in vocabulary.intents], dtype=float
        )
        # Only FAQ passages carry intents: fill just their rows.
        self.passage_intents = np.zeros((len(self.passage_list), len(self.intent_names)), bool)
        self.intent_column = {name: n for n, name in enumerate(self.intent_names)}
        for row, passage in enumerate(self.passage_list):
            for name in passage.intents:
                self.passage_intents[row, self.intent_column[name]] = True
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
        self._section_numbers = np.arange(len(ONE_HOT_SECTIONS))[:, None]
        self._cues: dict[tuple[tuple[str, float], ...], np.ndarray] = {}  # by intents asked
        self._intent_weights: dict[
            tuple[tuple[str, float], ...], tuple[np.ndarray, np.ndarray, np.ndarray]
        ] = {}  # by intents asked too

    def _faq_totals(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per FAQ passage, what its question's words weigh, once at build rather than for every
        question: the squared norm of their FAQ-matching weights (its page's name words
        discounted), the idf weight of those besides its page's name (faq_unasked), and how
        many words it has besides its page's name.
        The words of a few thousand FAQ questions at a time in one array, each passage's summed
        in word order (small temporaries: large ones made this late would stay in the heap)."""
        count = len(self.passage_list)
        norms = np.zeros(count)
        weights = np.zeros(count)
        beside_name_words = np.zeros(count, dtype=np.int16)
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
                    for position, name in enumerate(self.page_names)
                    for token in name
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
            page = np.repeat(self.passage_owner[chunk].astype(np.int64), lengths)
            pair = page * len(number) + word
            found = np.minimum(name_pairs.searchsorted(pair), len(name_pairs) - 1)
            in_name = name_pairs[found] == pair if len(name_pairs) else np.zeros(len(pair), bool)
            weight, beside_name = weight_of[word], idf_of[word]
            weight[in_name] *= NAME_WORD_DISCOUNT
            beside_name[in_name] = 0.0
            starts = np.cumsum(lengths) - lengths
            norms[chunk] = np.add.reduceat(weight**2, starts)
            weights[chunk] = np.add.reduceat(beside_name, starts)
            beside_name_words[chunk] = np.add.reduceat((~in_name).astype(np.int16), starts)
        return norms, weights, beside_name_words

    def _faq_word_table(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """The words of every FAQ question beside its page's name, as numbers in a table with
        a row per FAQ (padded with the number after the last word): (the numbers, each
        passage's row or -1, the table). The learned-pair feature reads it a row per FAQ."""
        vocabulary: dict[str, int] = {}
        row_of = np.full(len(self.passage_list), -1, dtype=np.int32)
        rows: list[list[int]] = []
        passage_id = 0
        for own, entry in zip(self.page_names, self.entries, strict=True):
            for passage in entry.passages:
                if passage.tokens:  # an FAQ's question
                    row_of[passage_id] = len(rows)
                    rows.append(
                        [
                            vocabulary.setdefault(word, len(vocabulary))
                            for word in passage.tokens
                            if word not in own
                        ]
                    )
                passage_id += 1
        table = np.full(
            (len(rows), max(map(len, rows), default=0)), len(vocabulary), dtype=np.int32
        )
        for number, words in enumerate(rows):
            table[number, : len(words)] = words
        return vocabulary, row_of, table

    def build(
        self,
        query: Query,
        evidence: NameEvidence,
        learned: Ranker | None = None,
    ) -> Candidates | None:
        """(page, passage) pairs worth ranking: every passage of the pages the question names
        and of the pages whose passages share its words, each with its features. `learned`:
        the ranker whose learned words (pairs, section and kind shares, scope words) features
        read."""
        associations = learned.associations if learned else {}
        section_words = learned.section_words if learned else {}
        kind_words = learned.kind_words if learned else {}
        scope_words = learned.scope_words if learned else {}
        named_pages, named_scores, name_coverages = evidence.best_named(NAME_CANDIDATES)
        by_name = dict(zip(named_pages, named_scores, strict=True))  # page -> its name score
        found_ids, _ = self.retriever.search(query.content, PASSAGE_CANDIDATES)
        order = self._pages(by_name, found_ids)
        if not order:
            return None
        pages = np.array(order)
        counts = self.page_passages[pages]
        ends = counts.cumsum()
        starts = ends - counts  # each page's first row
        ids = (self.passage_start[pages] - starts).repeat(counts)
        ids += np.arange(ends[-1])
        owner = np.arange(len(order)).repeat(counts)  # row -> index into order
        words = list(dict.fromkeys(query.content))
        asked = set(words)
        impacts = self.retriever.impacts(words, ids)
        bm25 = impacts.sum(axis=0)
        best_bm25 = float(bm25.max()) or 1.0
        possible = self.retriever.best_possible(words) or 1.0
        own_names = [self.page_names[p] for p in order]
        # Each page's name as the question says it: an alias where its own name is unsaid.
        names = [self.entries[p].name_said(asked) for p in order]
        # The words that name the best-named exercise(s): an FAQ on another page that holds
        # them is about that exercise ("hammer curls" vs "Dumbbell curl vs hammer curl?").
        best_name = max(named_scores, default=0.0)
        best_named: frozenset[str] = frozenset().union(
            *(
                names[n]
                for n, p in enumerate(order)
                if p in by_name and by_name[p] >= best_name - 1e-9
            )
        )
        naming = best_named & asked
        # The same scores without the words of each page's own name: what else it answers.
        # Each page's name holds few of the asked words: found by set, not word by word.
        column = {word: n for n, word in enumerate(words)}
        own_word = np.zeros((len(words), len(names)), dtype=bool)
        for page, own in enumerate(names):
            for word in own & asked:
                own_word[column[word], page] = True
        own_rows = own_word.take(owner, axis=1)  # words x rows: the word names the row's page
        rest = bm25 - (impacts * own_rows).sum(axis=0)
        best_rest = float(rest.max()) or 1.0
        page_best = np.maximum.reduceat(bm25, starts) / best_bm25
        page_columns = self._page_features(query, order, evidence, own_names, best_name)

        intents = query.intents
        sections = self.passage_section[ids]
        fit, elsewhere, rule_fit = self._section_cues(intents).take(sections, axis=1)
        if intents or query.asks is not None:
            overview = np.zeros(len(ids), dtype=bool)
        else:  # only an exercise was named, nothing asked of it: its overview fits
            only_named = np.array([asked <= self.entries[p].name_tokens for p in order])
            overview = (sections == QUICK) & only_named[owner]
            rule_fit[overview] = 1.0
        faq_rows = (sections == FAQ).nonzero()[0]
        if intents and len(faq_rows):
            self._faq_intents(intents, ids[faq_rows], faq_rows, fit, elsewhere, rule_fit)
        # Built a feature per row, then turned: each feature is written in one piece.
        columns = np.empty((len(CANDIDATE_FEATURES), len(ids)))
        fits = _FaqFits(columns[_at("faq_question_fit", "faq_unasked")])  # written in place
        if len(faq_rows):
            # Pages named by an alias: their FAQs' norms, made with the own name, are made again.
            by_alias = [said != own for said, own in zip(names, own_names, strict=True)]
            self._faq_word_fits(
                fits,
                words,
                query.asking,
                naming,
                names,
                by_alias,
                own_rows,
                impacts,
                faq_rows,
                ids,
                owner,
                rule_fit,
            )
        top_page = page_best >= page_best.max() - 1e-9  # ties are ties
        # The name evidence: every feature before rule_fit, per page.
        columns[: _COLUMN["rule_fit"]] = np.array(page_columns)[:, owner]
        # np.clip, without its overhead
        rule_fit = np.minimum(
            np.maximum(rule_fit, FIT_FLOOR), 1.0, out=columns[_COLUMN["rule_fit"]]
        )
        np.log(1 - PASSAGE_SHARE + PASSAGE_SHARE * rule_fit, out=columns[_COLUMN["log_rule_fit"]])
        np.divide(bm25, best_bm25, out=columns[_COLUMN["bm25_rel"]])
        np.divide(bm25, possible, out=columns[_COLUMN["bm25_abs"]])
        np.divide(rest, best_rest, out=columns[_COLUMN["rest_rel"]])
        np.divide(rest, possible, out=columns[_COLUMN["rest_abs"]])
        columns[_COLUMN["page_bm25_rel"]] = page_best[owner]
        columns[_COLUMN["page_bm25_best"]] = top_page[owner]
        self._asked_held(
            columns[_at("asked_held", "page_asked_held")], words, impacts, own_word, starts, owner
        )
        says_unsaid = columns[_COLUMN["faq_says_unsaid"]]
        says_unsaid[:] = 0.0
        said_or_named = asked | best_named
        for row, number in zip(
            faq_rows.tolist(), self.faq_name_set[ids[faq_rows]].tolist(), strict=True
        ):
            if number >= 0 and not self.faq_name_words[number] <= said_or_named:
                says_unsaid[row] = 1.0
        goes_without = columns[_COLUMN["faq_goes_without"]]
        goes_without[:] = 0.0
        if not query.negates:
            for row in self.faq_without[ids[faq_rows]].nonzero()[0].tolist():
                passage = self.passage_list[ids[faq_rows[row]]]
                if not asked.isdisjoint(passage.without):
                    goes_without[faq_rows[row]] = 1.0
        asked_kind = len(ANSWER_KINDS) if query.asks is None else ANSWER_KINDS.index(query.asks)
        kinds = self.passage_kind[ids] + 1  # column 0: no FAQ, or one of no known kind
        kind_fits = KIND_FITS[asked_kind].take(kinds, axis=1)
        columns[_at("faq_kind_same", "faq_kind_other")] = kind_fits
        unnamed = asked - naming  # what the learned words read: the asked words, names aside
        associated = columns[_COLUMN["faq_associated"]]
        associated[:] = 0.0
        if associations and len(faq_rows):
            self._faq_associated(associated, associations, unnamed, faq_rows, ids)
        # Each learned share sums over the asked words and the kind asked (kind_cues), then is
        # read per candidate by its section, or by its FAQ's kind of answer (+1: a passage of
        # no known kind, or no FAQ, reads column 0, which no lift favours).
        cues = kind_cues(unnamed, query.asks)
        by_section = np.array(_summed_lifts(section_words, cues, len(ONE_HOT_SECTIONS)))
        by_section.take(sections, out=columns[_COLUMN["section_associated"]])
        by_kind = np.array([0.0, *_summed_lifts(kind_words, cues, len(ANSWER_KINDS))])
        by_kind.take(kinds, out=columns[_COLUMN["faq_kind_associated"]])
        columns[_at("intent_fit", "overview_only")] = fit, elsewhere, overview
        # The passage alone: its section, one-hot, and its length.
        columns[_at("is_faq", "is_related")] = sections == self._section_numbers
        columns[_COLUMN["passage_length"]] = self.passage_length[ids]
        columns[_COLUMN["page_richness"]] = (counts / counts.max())[owner]
        features = np.ascontiguousarray(columns.T)
        exercise_words = len(query.names | query.attributes)
        said = split_words(query.text)
        question = [
            1.0,
            len(query.unknown) / len(query.content),
            math.log1p(len(query.content)) / 3,
            1.0 if looks_like_question(query.text) else 0.0,
            best_name,
            max(name_coverages, default=0.0),
            best_bm25 / possible,
            exercise_words / len(query.content),
            1.0 if intents else 0.0,
            self._chat_share(said),
            0.0 if self.injury_words.isdisjoint(said) else 1.0,
            len(asked - naming) / len(asked),
            1.0 if compares_or_parts(query) else 0.0,
            0.0 if self.other_topics.isdisjoint(said) else 1.0,
            max((self.name_rarity.get(word, 0.0) for word in query.names), default=0.0),
            len(query.everyday) / len(query.content),
            1.0 if exclaims(query.text) else 0.0,
            scope_lift(self.scope_stems(said), scope_words),
        ]
        return Candidates(order, owner, ids, features, np.array(question))

    def _asked_held(
        self,
        out: np.ndarray,
        words: list[str],
        impacts: np.ndarray,
        own_word: np.ndarray,
        starts: np.ndarray,
        owner: np.ndarray,
    ) -> None:
        """asked_held and page_asked_held, written into `out` (2 x rows). `own_word`: words x
        pages, the word names the page."""
        idf = np.array([self.retriever.idf.get(word, 0.0) for word in words])
        asked = ~own_word * idf[:, None]  # words x pages: a word's weight where it is asked
        # A page holds a word when any of its passages does: summed per page, then per row.
        held = impacts > 0
        page_held = np.logical_or.reduceat(held, starts, axis=1)
        wanted = asked.sum(axis=0)
        nothing_else = wanted <= 0
        wanted[nothing_else] = 1.0
        on_page = (asked * page_held).sum(axis=0) / wanted
        on_page[nothing_else] = 1.0
        on_page.take(owner, out=out[1])
        np.divide((asked.take(owner, axis=1) * held).sum(axis=0), wanted[owner], out=out[0])
        out[0][nothing_else[owner]] = 1.0

    def _pages(self, by_name: dict[int, float], found_ids: np.ndarray) -> list[int]:
        """The pages to rank: those named best, then those of the passages found, in order; a
        page of nothing but a title has no passage to answer from."""
        order = [position for position in by_name if self.page_passages[position]]
        seen = set(by_name)
        for owner in self.passage_owner[found_ids].tolist():  # (each has a passage: this one)
            if len(order) >= MAX_CANDIDATE_PAGES:
                break
            if owner not in seen:
                seen.add(owner)
                order.append(owner)
        return order[:MAX_CANDIDATE_PAGES]

    def _page_features(
        self,
        query: Query,
        order: list[int],
        evidence: NameEvidence,
        names: list[frozenset[str]],
        best_name: float,
    ) -> list[list[float]]:
        """Per page, the name evidence: the first CANDIDATE_FEATURES, a list each."""
        # Words the library never uses, said right beside a name word: "copenhagen plank",
        # "bayesian curl" name an exercise the library does not have.
        beside_unknown: set[str] = set()
        for before, after in itertools.pairwise(query.segments[0]):
            if before in query.unknown:
                beside_unknown.add(after)
            if after in query.unknown:
                beside_unknown.add(before)
        # Each page's name evidence, a page a passage brought in too, weak as it may be: read
        # from the evidence's arrays (a PageScore each costs more).
        positions = np.array(order, dtype=np.intp)
        named, name_coverage, question_coverage = evidence.named_at(positions).tolist()
        if best_name > 1e-9:  # the best named are named
            name_best = [1.0 if value >= best_name - 1e-9 else 0.0 for value in named]
        else:  # hardly any is named: the best are the pages with any evidence, a list's fit
            listed = evidence.fits_list(positions)
            name_best = [
                1.0 if value > 0 or fits else 0.0 for value, fits in zip(named, listed, strict=True)
            ]
        asked = set(query.content)
        unsaid = [own - asked for own in names]
        entries, implements = self.entries, query.implements
        # Shortest first: only a shorter name can be within another.
        other_names = sorted({name for name in names if name}, key=len)
        # The name words said, rarest first: the first a page's name holds is its rarest.
        rarest_first = sorted(
            ((self.name_rarity.get(word, 0.0), word) for word in query.names), reverse=True
        )
        choices_fit = self._choices_fit(query.choices, [entries[p].choices for p in order])
        named_first = _named_first(query, names, name_coverage)
        return [
            named,
            [math.log(max(value, NAME_SCORE_FLOOR)) for value in named],
            name_coverage,
            question_coverage,
            name_best,
            [value - best_name for value in named],
            [
                len(left) / len(own) if left else 0.0
                for own, left in zip(names, unsaid, strict=True)
            ],
            [
                len(left - entries[position].plain_given(implements)) / len(own) if left else 0.0
                for own, left, position in zip(names, unsaid, order, strict=True)
            ],
            [1.0 if _general(own, other_names) else 0.0 for own in names],
            [1.0 if own & beside_unknown else 0.0 for own in names],
            # "guillotine press": one page's name says guillotine, hundreds say press.
            [next((rarity for rarity, word in rarest_first if word in own), 0.0) for own in names],
            [fit[0] for fit in choices_fit],
            [fit[1] for fit in choices_fit],
            named_first,
        ]

    def _choices_fit(
        self, said: frozenset[str], pages: list[frozenset[str]]
    ) -> list[tuple[float, float]]:
        """Per page (the choices it says): (agrees, differs), whether it says a choice the
        question makes, and whether it says only another of one. Words of a group that no
        page says together choose neither: "seated or standing ohp?" compares them; "smith
        machine" is one choice."""
        made = []  # (a group, the words of it the question chooses): found once, not per page
        for choice, together in zip(self.choices, self.choices_together, strict=True):
            said_here = said & choice
            if len(said_here) == 1 or (said_here and any(said_here <= w for w in together)):
                made.append((choice, said_here))
        fits = []
        for page in pages:
            agrees = differs = 0.0
            for choice, said_here in made:
                page_here = page & choice
                if said_here & page_here:
                    agrees = 1.0
                elif page_here:
                    differs = 1.0
            fits.append((agrees, differs))
        return fits

    def _section_cues(self, intents: dict[str, float]) -> np.ndarray:
        """Per section (columns): how strongly what is asked points at it, at any other
        section, and the rules' fit of the section by cue words (with none asked, only the
        sections' priors)."""
        return _by_intents(self._cues, intents, self._intent_cues)

    def _intent_cues(self, intents: dict[str, float]) -> np.ndarray:
        strongest: dict[str, float] = {}  # the strongest cue of each section pointed at
        for name, cue_strength in intents.items():
            section = self.intents[name].section
            strongest[section] = (
                max(strongest[section], cue_strength) if section in strongest else cue_strength
            )
        here = [strongest.get(section) for section in ONE_HOT_SECTIONS]
        return np.array(
            [
                [0 if value is None else value for value in here],
                [
                    max((v for other, v in strongest.items() if other != section), default=0)
                    for section in ONE_HOT_SECTIONS
                ],
                [
                    self._section_fit(section, value)
                    for section, value in zip(ONE_HOT_SECTIONS, here, strict=True)
                ],
            ],
            dtype=np.float64,
        )

    def _faq_intents(
        self,
        intents: dict[str, float],
        passages: np.ndarray,
        rows: np.ndarray,
        fit: np.ndarray,
        elsewhere: np.ndarray,
        rule_fit: np.ndarray,
    ) -> None:
        """FAQ rows: the intents their questions carry, against those asked."""
        asked, if_carried, if_not = _by_intents(self._intent_weights, intents, self._weigh_intents)
        carries = self.passage_intents.take(passages, axis=0).take(asked, axis=1)
        strongest = np.where(carries[:, None, :], if_carried, if_not).max(axis=2, initial=0.0)
        fit[rows], elsewhere[rows] = strongest[:, 0], strongest[:, 1]
        # An FAQ about muscles, equipment or difficulty beats the bare attribute list.
        rule_fit[rows] = FAQ_ATTRIBUTE_FIT * strongest[:, 2]

    def _weigh_intents(
        self, intents: dict[str, float]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The intents asked (columns of passage_intents), and what each counts, when an FAQ
        carries it and when not, towards: the strongest intent it carries, the strongest it
        does not, and the strongest it carries that is about an attribute."""
        asked = np.array([self.intent_column[name] for name in intents], dtype=np.intp)
        strength = np.array(list(intents.values()))
        none = np.zeros(len(asked))
        if_carried = np.array([strength, none, strength * self.attribute_intents[asked]])
        return asked, if_carried, np.array([none, strength, none])

    def _faq_word_fits(
        self,
        fits: _FaqFits,
        words: list[str],
        asking_words: frozenset[str],
        naming: frozenset[str],
        names: list[frozenset[str]],
        by_alias: list[bool],
        own_rows: np.ndarray,
        impacts: np.ndarray,
        faq_rows: np.ndarray,
        ids: np.ndarray,
        owner: np.ndarray,
        rule_fit: np.ndarray,
    ) -> None:
        """FAQ rows: how the asked words fit each FAQ's question and answer; and its question,
        how the words of the sentences that ask fit it (`asking_words`: Query.asking).

        Sets of asked words are bit masks (bit n: words[n]); a sum over one is an fsum (exact,
        so the order of a set's words never changes a score), made once per question for
        each distinct set: a question has few words, and its FAQ rows repeat the same sets."""
        # An FAQ whose text holds no asked word beside its page's name (BM25 scores every word
        # of it) fits no asked word: it only asks what was not asked, if it asks anything.
        beside_name = (impacts > 0) & ~own_rows  # every row's: cheaper than picking FAQ rows first
        shares_words = beside_name.any(axis=0).take(faq_rows)
        apart = faq_rows[~shares_words]
        fits.unasked[apart] = self.faq_weight[ids[apart]] > 0  # it asks something beside the name
        rows = faq_rows[shares_words]
        if not len(rows):
            return
        bit = {word: 1 << n for n, word in enumerate(words)}
        everything = (1 << len(words)) - 1
        naming_bits = sum(bit[word] for word in naming)
        asking = sum(bit[word] for word in asking_words)
        ask = everything & ~naming_bits
        own_bits = [sum(map(bit.__getitem__, bit.keys() & own)) for own in names]
        idf = self.retriever.idf
        idf_sum = _SetSums([idf.get(word, self.unknown_weight) for word in words])
        weights = [self.passage_weight.get(word, self.unknown_weight) for word in words]
        square_sum = _SetSums(
            [w**2 for w in weights], [(w * NAME_WORD_DISCOUNT) ** 2 for w in weights]
        )
        passage_ids = ids[rows]
        passage_list = self.passage_list
        unasked, names_other, ask_fit, question_fit, answer_fit, sentence_fit = (
            fits.unasked,
            fits.names_other,
            fits.ask,
            fits.question,
            fits.answer,
            fits.sentence,
        )
        for row, page, passage_id, own_norm, faq_weight, beside, by_intent in zip(
            rows.tolist(),
            owner[rows].tolist(),
            passage_ids.tolist(),
            self.faq_norm[passage_ids].tolist(),
            self.faq_weight[passage_ids].tolist(),
            self.faq_beside_name[passage_ids].tolist(),
            rule_fit[rows].tolist(),
            strict=True,
        ):
            passage = passage_list[passage_id]
            own = own_bits[page]
            held = sum(map(bit.__getitem__, bit.keys() & passage.tokens))  # its question's
            said = held & ~own
            # What the FAQ's question asks that this question does not, idf-weighted: nothing
            # when every word of it beside the name was asked.
            if said.bit_count() != beside:
                unasked[row] = (faq_weight - idf_sum[said, 0]) / faq_weight
            answered = sum(map(bit.__getitem__, bit.keys() & passage.answer_tokens))
            if not held and not answered:
                continue  # nothing in common: word fits stay 0
            other_name = held & naming_bits & ~own
            if other_name:
                names_other[row] = 1.0
            # Over the words that do not name the best-named exercise.
            if held & ask & ~own:
                overlap = held & ask
                ask_fit[row] = _cosine(
                    square_sum[overlap, overlap & own], square_sum[ask, ask & own], own_norm
                )
            if said:
                # Its own name and the best-named exercise's words count for little; the
                # passage's norm too, which is its own name's alone unless it holds one.
                discounted = own | naming_bits
                norm = own_norm  # made with its own name discounted
                if other_name or by_alias[page]:
                    norm = self._squared_norm(passage.tokens, names[page] | naming)
                similarity = 0.0
                if held & ~discounted:
                    similarity = _cosine(
                        square_sum[held, held & discounted],
                        square_sum[everything, discounted],
                        norm,
                    )
                question_fit[row] = similarity
                if not asking:
                    sentence_fit[row] = similarity
                elif held & asking & ~discounted:
                    sentence_fit[row] = _cosine(
                        square_sum[held & asking, held & asking & discounted],
                        square_sum[asking, asking & discounted],
                        norm,
                    )
                if by_intent > 0:  # an attribute FAQ: its bonus on top of the words
                    about = by_intent / FAQ_ATTRIBUTE_FIT
                    rule_fit[row] = max(similarity + FAQ_INTENT_BONUS * about, by_intent)
                else:
                    rule_fit[row] = similarity
            if answered & ~own:
                answer_fit[row] = idf_sum[answered, answered & own] / idf_sum[everything, own]

    def _faq_associated(
        self,
        out: np.ndarray,
        associations: Mapping[str, Mapping[str, float]],
        asked: Iterable[str],
        faq_rows: np.ndarray,
        ids: np.ndarray,
    ) -> None:
        """FAQ rows: the idf weight of the FAQ question's words (its page's name aside) that
        learned pairs tie to an asked word, each at the pair's strength, over the weight of
        them all: "i wobble on lunges" and "How do I keep my balance?" share no word."""
        asked = set(asked)
        tied: dict[str, float] = {}
        for word in asked:
            for other, share in associations.get(word, {}).items():
                if other not in asked and share > tied.get(other, 0.0):
                    tied[other] = share
        if not tied:
            return  # (most questions: no table of weights to make)
        # Each FAQ word's weight by its number; the last, the padding's, stays 0.
        weight = np.zeros(len(self.faq_vocabulary) + 1)
        idf = self.retriever.idf
        for word, share in tied.items():
            number = self.faq_vocabulary.get(word)
            if number is not None:
                weight[number] = share * idf.get(word, self.unknown_weight)
        if not weight.any():
            return
        passage_ids = ids[faq_rows]
        found = weight.take(self.faq_words[self.faq_row[passage_ids]]).sum(axis=1)
        total = self.faq_weight[passage_ids]
        out[faq_rows] = np.divide(found, total, out=np.zeros(len(found)), where=total > 0)

    def scope_stems(self, said: Iterable[str]) -> set[str]:
        """The distinct stems of a message's words (text.words) that name no exercise of this
        library: what scope words are learned and read by. A library's own exercise names say
        nothing about chat in another library ("dragon flag" is missing from one, a page of
        the next)."""
        return {stem(word) for word in said} - self.name_rarity.keys()

    def _chat_share(self, said: list[str]) -> float:
        if not said:
            return 0.0
        chat = [word in self.chat_words for word in said]
        for start, word in enumerate(said):
            for phrase in self.chat_phrases.get(word, ()):
                end = start + len(phrase)
                if tuple(said[start:end]) == phrase:
                    chat[start:end] = [True] * len(phrase)
        return sum(chat) / len(said)

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


@dataclass(slots=True)
class _FaqFits:
    """Per candidate row, how an FAQ's question and answer fit the asked words (0 elsewhere)."""

    question: np.ndarray
    answer: np.ndarray
    ask: np.ndarray
    sentence: np.ndarray
    names_other: np.ndarray
    unasked: np.ndarray

    def __init__(self, table: np.ndarray) -> None:
        """`table`: 6 x rows, where the fits are written (zeroed here)."""
        table[:] = 0.0
        self.question, self.answer, self.ask, self.sentence, self.names_other, self.unasked = table


class _SetSums(dict[tuple[int, int], float]):
    """Sums of the asked words' weights over sets of them (bit masks), the words of a
    discounted set at their discounted weight (a page's own name counts for little):
    `sums[words, discounted]`. fsum: exact, so the order of a set's words never changes a
    score; each distinct (set, discounted) is summed once per question (a dict, so that
    reading a sum made before costs no Python call)."""

    __slots__ = ("discounted", "plain")

    def __init__(self, plain: list[float], discounted: list[float] | None = None) -> None:
        super().__init__()
        self.plain = plain
        self.discounted = discounted or [w * NAME_WORD_DISCOUNT for w in plain]

    def __missing__(self, key: tuple[int, int]) -> float:
        words, discounted = key
        plain, low = self.plain, self.discounted
        total = self[key] = math.fsum(
            [
                low[n] if discounted >> n & 1 else plain[n]
                for n in range(words.bit_length())
                if words >> n & 1
            ]
        )
        return total


def scope_lift(said: Iterable[str], scope_words: Mapping[str, float]) -> float:
    """The learned scope lifts of the words said (CandidateBuilder.scope_stems), summed,
    capped, in -1..1. (fsum: a set's order differs between processes, its exact sum does not.)"""
    total = math.fsum(scope_words.get(word, 0.0) for word in said)
    return max(-SCOPE_LIFT_CAP, min(SCOPE_LIFT_CAP, total)) / SCOPE_LIFT_CAP


def _summed_lifts(
    learned: Mapping[str, tuple[float, ...]], asked: Iterable[str], size: int
) -> list[float]:
    """The learned lifts (`size` of them: one per section, or per kind of answer) of the asked
    words, summed; zeros when none of them was learned. Summed in word order, not a set's
    (which differs between processes), so every process gets the same sums. (A few words of
    a few lifts each: in Python, numpy would cost more than the adding.)"""
    known = sorted(word for word in asked if word in learned)  # only those learned are sorted
    if not known:
        return [0.0] * size
    sums = list(learned[known[0]])
    for word in known[1:]:
        sums = [total + lift for total, lift in zip(sums, learned[word], strict=True)]
    return sums


def kind_cues(asked: set[str], asks: str | None) -> set[str]:
    """What the learned section and kind shares read: the asked words, and the kind of answer
    the question wants as one cue more ("asks:place"), since a kind is often answered by
    another (a "where do my feet go" question by "How do I position my feet?")."""
    if not asked and asks is None:
        # A bare name asks nothing: a cue of no kind would lean it to whatever such
        # questions were most often answered by, while its overview_only rule fits it.
        return set()
    return asked | {f"asks:{asks or 'unknown'}"}


def _kind_fits() -> np.ndarray:
    """[kind asked, feature, kind of a passage + 1]: whether an FAQ's kind of answer is the
    kind asked (faq_kind_same), or another that does not give it (faq_kind_other). The last
    kind asked is none; passage kind -1 (column 0) is an FAQ of no known kind, or no FAQ."""
    count = len(ANSWER_KINDS)
    table = np.zeros((count + 1, 2, count + 1))
    for asked in range(count):
        for kind in range(count):
            if kind == asked:
                table[asked, 0, kind + 1] = 1.0
            # A yes-or-no question may be answered in any form ("can I bench with no
            # spotter?": "How do I bench safely alone?"); a place is not given by a reason.
            elif YES_NO not in (kind, asked):
                table[asked, 1, kind + 1] = 1.0
    return table


KIND_FITS = _kind_fits()  # the same for every library


def _cosine(shared: float, norm: float, other_norm: float) -> float:
    """shared / sqrt(norm * other_norm), 0 when that is 0 (squared norms of word sets)."""
    length = math.sqrt(norm * other_norm)
    return shared / length if length else 0.0


def _by_intents(
    cache: dict[tuple[tuple[str, float], ...], _Made],
    intents: dict[str, float],
    make: Callable[[dict[str, float]], _Made],
) -> _Made:
    """What `make` makes of these intents asked, made once per combination (a bounded few)."""
    key = tuple(intents.items())
    made = cache.get(key)
    if made is None:
        made = make(intents)
        if len(cache) < MAX_CACHED_CUES:
            cache[key] = made
    return made


def _named_first(
    query: Query, names: list[frozenset[str]], name_coverage: list[float]
) -> list[float]:
    """1 for the pages a comparing question names first (by the first word of each page's
    name it says), among those it names at least half of; 0 elsewhere and in other questions."""
    if not compares_or_parts(query):
        return [0.0] * len(names)
    first_at: dict[str, int] = {}
    for position, token in enumerate(query.tokens):
        first_at.setdefault(token, position)
    starts = [
        min((first_at[word] for word in own if word in first_at), default=None)
        if coverage >= PART_NAME_COVERAGE
        else None
        for own, coverage in zip(names, name_coverage, strict=True)
    ]
    earliest = min((start for start in starts if start is not None), default=None)
    return [1.0 if start is not None and start == earliest else 0.0 for start in starts]


def _general(name: frozenset[str], shortest_first: list[frozenset[str]]) -> bool:
    """No other name (shortest first) is within this one."""
    for other in shortest_first:
        if len(other) >= len(name):
            return True
        if other < name:
            return False
    return True

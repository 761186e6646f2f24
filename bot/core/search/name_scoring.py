"""Which exercises does a question name? Pages are scored through posting lists of name,
alias and attribute words: how much of a page's name was said and how much of what was said it
names (idf-weighted); a question of several parts ("X or Y", "X vs Y") is scored part by part.
A question's work and memory grow with the asked words' posting lists and the variants they
name, not with the library."""

from __future__ import annotations

import functools
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from bot.core.search.building import free_in_steps
from bot.core.search.entries import PageEntry, PageScore, Query
from bot.core.search.top import top_positions
from bot.core.search.tuning import (
    ALIAS_SHARE,
    ATTRIBUTE_CONTEXT_SHARE,
    ATTRIBUTE_MATCH_SHARE,
    CANDIDATES,
    MAX_PARTS,
    NAME_EXPONENT,
    PART_NAME_COVERAGE,
    PART_SHARE,
    SECONDARY_MUSCLE_SHARE,
    SET_ASIDE_SHARE,
)

# Merging posting lists by a stable sort (_union) costs ~10 ns an entry; counting them into an
# array of every id ~6 ns an entry and ~0.4 ns an id, in fewer numpy calls: about as fast from
# one entry per 10 to 20 ids on. There they are counted (the array is at most DENSE_SHARE times
# the lists).
DENSE_SHARE = 16


class NameEvidence:
    """What the question's words say of each page: the pages worth reading (`ranked`), the
    best named of them (`best_named`), and the name evidence of any page (`named_at`)."""

    def __init__(
        self,
        entries: Sequence[PageEntry],
        named_pages: np.ndarray,
        named: np.ndarray,
        list_postings: Sequence[tuple[np.ndarray, np.ndarray]] = (),
        whole_weight: float = 1.0,
    ) -> None:
        self.entries = entries
        # The pages with a name score (ascending) and, a column each, their best variant's
        # score, name coverage and question coverage.
        self.named_pages = named_pages
        self.named = named
        # What a list's fit adds up (_listed): each asked word's pages with its weight in each
        # (in a fixed order), and the weight of everything asked.
        self._list_postings = list_postings
        self._whole_weight = whole_weight

    @classmethod
    def nothing(cls) -> NameEvidence:
        return cls((), np.zeros(0, dtype=np.intp), np.zeros((3, 0)))

    @functools.cached_property
    def _listed(self) -> tuple[np.ndarray, np.ndarray]:
        """The pages whose name or attributes hold an asked word (ascending), and how well
        each fits a list: the share of the asked words' weight they hold. Made when first
        read: most questions name an exercise."""
        if not self._list_postings:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        positions, weights = zip(*self._list_postings, strict=True)
        pages, number = _union(positions, len(self.entries))
        # bincount adds in input order: the same sums as adding word after word.
        list_weight = np.bincount(number, np.concatenate(weights), minlength=len(pages))
        return pages, list_weight / self._whole_weight

    def list_coverage_at(self, positions: np.ndarray) -> np.ndarray:
        """Per page of these, how well it fits a list (0: not at all)."""
        pages, coverage = self._listed
        if not len(pages):
            return np.zeros(len(positions))
        found, held = _found(pages, positions)
        return np.where(held, coverage.take(found), 0.0)

    def fits_list(self, positions: np.ndarray) -> list[bool]:
        """Per page of these, whether it fits a list at all."""
        return (self.list_coverage_at(positions) > 0).tolist()

    @functools.cached_property
    def ranked(self) -> list[PageScore]:
        """The pages worth reading, best first: the CANDIDATES named best and the CANDIDATES
        that fit a list best. Made when first read: most questions need only `best_named`."""
        pages, coverage = self._listed
        fitting = (coverage > 0).nonzero()[0]
        best_listed = _best(pages.take(fitting), coverage[fitting]).tolist()
        best_named = _best(self.named_pages, self.named[0]).tolist()
        # (a set: np.union1d costs more than sorting these few dozen pages)
        chosen = np.array(sorted({*best_named, *best_listed}), dtype=np.intp)
        return self._best_first(chosen, self.named_at(chosen))

    def best_named(self, count: int) -> tuple[list[int], list[float], list[float]]:
        """The `count` <= CANDIDATES pages named best, best first: where `ranked` starts (a
        page that only fits a list has no name score; of equal scores, the first slugs), as
        (positions, name scores, name coverages): a PageScore each costs more."""
        best = top_positions(self.named[0], count)
        positions, named = self._in_order(self.named_pages[best], self.named.take(best, axis=1))
        score, name_coverage, _ = named.tolist()
        return positions.tolist(), score, name_coverage

    def _best_first(self, positions: np.ndarray, named: np.ndarray) -> list[PageScore]:
        return self.page_scores(*self._in_order(positions, named))

    @staticmethod
    def _in_order(positions: np.ndarray, named: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """These pages and their evidence, best named first; of equal scores, the first slug
        (entries are in slug order)."""
        order = np.lexsort((positions, -named[0]))
        return positions[order], named.take(order, axis=1)

    def page_scores(self, positions: np.ndarray, named: np.ndarray) -> list[PageScore]:
        """The evidence of each of these pages with this name evidence (a column each) that
        the question says something of."""
        entries = self.entries
        score, name, question = named.tolist()
        return [
            PageScore(entries[position], page_score, name_coverage, question_coverage, listed)
            for position, page_score, name_coverage, question_coverage, listed in zip(
                positions.tolist(),
                score,
                name,
                question,
                self.list_coverage_at(positions).tolist(),
                strict=True,
            )
            if page_score > 0 or listed > 0
        ]

    def named_at(self, positions: np.ndarray) -> np.ndarray:
        """The name evidence of these pages, a column each (zeros: none)."""
        if not len(self.named_pages):
            return np.zeros((3, len(positions)))
        found, held = _found(self.named_pages, positions)
        return np.where(held, self.named.take(found, axis=1), 0.0)


class NameScorer:
    """Posting lists of the library's name and attribute words, built once; `entries` in slug
    order, as the index builds them (ties between pages go to the first slug)."""

    def __init__(
        self,
        entries: Sequence[PageEntry],
        name_weight: dict[str, float],
        attribute_weight: dict[str, float],
        unknown_weight: float,
        vocabulary_words: frozenset[str],
    ) -> None:
        self.entries = entries
        self.name_weight = name_weight
        self.attribute_weight = attribute_weight
        self.unknown_weight = unknown_weight
        self.vocabulary_words = vocabulary_words
        self._kept_with: dict[str, np.ndarray] = {}  # _kept_with_implement()
        self._build_postings()

    @staticmethod
    def exercise_words(tokens: Iterable[str], query: Query) -> list[str]:
        return [t for t in tokens if t in query.names or t in query.attributes]

    def _word_weight(self, token: str, query: Query) -> float:
        """How much naming this word says about which exercise is meant."""
        if token in query.names:
            return self.name_weight[token]
        return ATTRIBUTE_CONTEXT_SHARE * self.attribute_weight.get(token, 0.0)

    def full_weight(self, token: str, query: Query) -> float:
        if token in query.names:
            return self.name_weight[token]
        return self.attribute_weight.get(token, 0.0)

    def _build_postings(self) -> None:
        """Posting lists as numpy arrays, so a question is scored in a few vector operations."""
        variant_page: list[int] = []
        self.variant_words: list[frozenset[str]] = []
        variant_total: list[float] = []
        variant_scale: list[float] = []
        drops_implement: list[bool] = []  # "row" for Barbell Row: a plain mention
        name_postings: dict[str, list[int]] = defaultdict(list)
        shared_postings: dict[str, list[int]] = defaultdict(list)  # in name and attributes
        attribute_postings: dict[str, list[int]] = defaultdict(list)
        # For lists: pages by word with how well it matches (a secondary muscle half as well).
        page_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        attribute_list_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, entry in enumerate(self.entries):
            for token in entry.attribute_tokens:
                attribute_postings[token].append(position)
                secondary = token in entry.secondary_tokens
                attribute_list_postings[token].append(
                    (position, SECONDARY_MUSCLE_SHARE if secondary else 1.0)
                )
            for token in entry.name_tokens | entry.attribute_tokens:
                secondary = token in entry.secondary_tokens and token not in entry.name_tokens
                page_postings[token].append(
                    (position, SECONDARY_MUSCLE_SHARE if secondary else 1.0)
                )
            for number, variant in enumerate(entry.variants):
                index = len(variant_page)
                variant_page.append(position)
                self.variant_words.append(variant)
                variant_total.append(math.fsum(self.name_weight[t] for t in variant))
                # An alias is a nickname: the page's own name wins a tie.
                variant_scale.append(1.0 if number == 0 else ALIAS_SHARE)
                drops_implement.append(bool(entry.plain_implements - variant))
                for token in variant:
                    name_postings[token].append(index)
                    if token in entry.attribute_tokens:
                        shared_postings[token].append(index)
        self.variant_page = np.array(variant_page, dtype=np.int32)
        self.variant_total = np.array(variant_total, dtype=np.float64)
        self.variant_scale = np.array(variant_scale, dtype=np.float64)
        self.drops_implement = np.array(drops_implement, dtype=bool)
        self.name_postings = {t: np.array(v, dtype=np.int32) for t, v in name_postings.items()}
        # Per attribute word (a few dozen): per page, whether the page has it; and per
        # variant, whether the variant names it and its page has it too. A question reads
        # them at the variants it names, whatever the length of the word's posting list.
        self.has_attribute = {
            t: _marked(v, len(self.entries)) for t, v in attribute_postings.items()
        }
        self.shared_by_variant = {
            t: _marked(v, len(variant_page)) for t, v in shared_postings.items()
        }
        # List postings carry the word's full weight (a name word's, else an attribute's)
        # times how well each page matches it: a question only adds them up.
        self.page_postings = {
            t: self._weighted(v, self.name_weight[t])
            for t, v in page_postings.items()
            if t in self.name_weight
        }
        self.attribute_list_postings = {
            t: self._weighted(v, self.attribute_weight[t])
            for t, v in attribute_list_postings.items()
        }
        for built in (
            name_postings,
            shared_postings,
            attribute_postings,
            page_postings,
            attribute_list_postings,
        ):
            free_in_steps(built)

    @staticmethod
    def _weighted(
        postings: list[tuple[int, float]], weight: float
    ) -> tuple[np.ndarray, np.ndarray]:
        return np.array([p for p, _ in postings], dtype=np.int32), weight * np.array(
            [f for _, f in postings]
        )

    def score(self, query: Query) -> NameEvidence:
        """The pages worth reading for this question, best first, and any page's evidence.

        Each asked word adds its weight to the pages (and name variants) in its posting list, so
        the work grows with the words' posting lists, not with the library.
        """
        asked = set(self.exercise_words(query.content, query))
        if not asked:
            return NameEvidence.nothing()
        # For lists, words nobody's page uses (other exercises, other topics) count fully.
        whole_weight = math.fsum(self.full_weight(t, query) for t in asked)
        whole_weight += self.unknown_weight * len(query.unknown - self.vocabulary_words)
        list_postings = [  # in a fixed order: the same sums in every process
            (self.page_postings if token in query.names else self.attribute_list_postings)[token]
            for token in sorted(asked)
        ]

        found: list[tuple[int, np.ndarray, np.ndarray]] = []  # (part, pages, their evidence)
        # Several parts ("X or Y") are scored on their own too, but not in a rant.
        segments = query.segments if len(query.segments) <= MAX_PARTS + 1 else query.segments[:1]
        whole_names_one = False
        for part, segment in enumerate(segments):
            if part and whole_names_one:
                break
            scored = self._score_segment(part, segment, query)
            if scored is None:
                continue
            variants, owners, variant_evidence = scored
            score, name_coverage, question_coverage = variant_evidence
            # The whole question naming one exercise in full ("clean and press"): its "and"
            # joins a name, it does not separate two exercises. (Only a later part asks.)
            whole_names_one = (
                not part
                and len(segments) > 1
                and bool(np.any((name_coverage >= 1) & (question_coverage >= 1)))
            )
            if not len(variants):
                continue
            best = self._best_of_each_page(owners, score)
            found.append((part, owners[best], variant_evidence.take(best, axis=1)))
        named_pages, named = self._merged(found)

        return NameEvidence(self.entries, named_pages, named, list_postings, whole_weight)

    def _merged(
        self, found: list[tuple[int, np.ndarray, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(pages, ascending; their evidence) from each part's: a page's best score, where
        only a strictly better score replaces what an earlier part found."""
        if not found:
            return np.zeros(0, dtype=np.intp), np.zeros((3, 0))
        if len(found) == 1:
            return found[0][1], found[0][2]
        # Several parts (rare): merged over the pages they name.
        pages, number = _union([owners for _, owners, _ in found], len(self.entries))
        named = np.zeros((3, len(pages)))
        start = 0
        for _, owners, evidence in found:
            rows = number[start : start + len(owners)]  # each part names a page once
            start += len(owners)
            better = (evidence[0] > named[0][rows]).nonzero()[0]
            for row in range(3):
                named[row][rows[better]] = evidence[row][better]
        kept = (named[0] > 0).nonzero()[0]
        return pages[kept], named.take(kept, axis=1)

    def _best_of_each_page(self, owners: np.ndarray, score: np.ndarray) -> np.ndarray:
        """Of variants (ascending) of these pages with these scores, the index of each page's
        best, ascending (so are the pages), where that scores above 0 (below, a page has no
        score). Of equal scores the last variant wins (an alias listed later), as the scoring
        always had it."""
        # `owners` ascend, so a page's variants are side by side (its name and aliases, a few
        # at most): one is its page's best when no variant 1, 2, ... places away on the same
        # page beats it. (A max per run, np.maximum.reduceat, costs ~25 ns a run.)
        best = score > 0
        apart = 1
        while apart < len(owners):
            same_page = owners[apart:] == owners[:-apart]
            if not same_page.any():
                break
            earlier, later = score[:-apart], score[apart:]
            best[:-apart] &= ~(same_page & (later >= earlier))  # a later one as good wins
            best[apart:] &= ~(same_page & (earlier > later))
            apart += 1
        return best.nonzero()[0]

    def _score_segment(
        self, part: int, segment: list[str], query: Query
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(the variants this names, their pages, their evidence: score, name coverage and
        question coverage, a row each)."""
        words = self.exercise_words(sorted(set(segment)), query)
        weight = math.fsum(self._word_weight(t, query) for t in words)
        if weight <= 0:
            return None
        name_words = [t for t in words if t in query.names]
        if not name_words:
            return None
        # Sums over the variants the name words' lists hold, entry by entry (bincount adds in
        # input order: the same sums as adding one list after another).
        postings = [self.name_postings[t] for t in name_words]
        lengths = [len(p) for p in postings]
        held, number = _union(postings, len(self.variant_page))
        said = np.bincount(
            number, np.repeat([self.name_weight[t] for t in name_words], lengths), len(held)
        )
        rows = (said != 0).nonzero()[0]  # the variants named, as rows of `held`
        if not len(rows):
            return None
        variants = held.take(rows)
        said = said[rows]
        total = self.variant_total[variants]
        if part:
            # A part counts on its own only where it names this exercise by itself
            # ("leg curls" in "leg curls or rdls"), not by an equipment word alone.
            # (the words that are not just equipment or a muscle)
            distinctive = [t not in self.attribute_weight for t in name_words]
            said_distinctive = np.bincount(number, np.repeat(distinctive, lengths), len(held))
            keep = (said >= PART_NAME_COVERAGE * total) & (said_distinctive[rows] > 0)
            variants, said, total = variants[keep], said[keep], total[keep]
        owners = self.variant_page[variants]
        said_implements = query.implements.intersection(segment)
        if said_implements:
            keep = np.logical_or.reduce(
                [self._kept_with_implement(word).take(variants) for word in said_implements]
            ).nonzero()[0]
            if not len(keep):
                return None
            variants, said, total, owners = (a.take(keep) for a in (variants, said, total, owners))
        # A name word its page has among its attributes too explains the question once.
        shared = np.zeros(len(variants))
        for token in name_words:  # added word after word, as ever
            if token in self.shared_by_variant:
                share = ATTRIBUTE_MATCH_SHARE * self._word_weight(token, query)
                shared += self.shared_by_variant[token].take(variants) * share  # (or + 0.0)
        attributes = np.zeros(len(owners))
        for token in words:  # added word after word, as ever
            if token in self.has_attribute:
                share = ATTRIBUTE_MATCH_SHARE * self._word_weight(token, query)
                attributes += self.has_attribute[token].take(owners) * share  # (or + 0.0)
        explained = said + attributes - shared
        asked = weight + self._unexplained_modifiers(segment, variants)
        evidence = np.empty((3, len(variants)))
        score, name_coverage, question_coverage = evidence
        np.divide(said, total, out=name_coverage)
        np.minimum(1.0, explained / asked, out=question_coverage)
        scale = self.variant_scale[variants]
        if part:
            scale = scale * PART_SHARE  # (the whole's is times 1.0: the same numbers)
        np.multiply(
            scale * name_coverage**NAME_EXPONENT,
            question_coverage ** (1 - NAME_EXPONENT),
            out=score,
        )
        if query.set_aside:
            aside = _held_by_any([self.name_postings[t] for t in query.set_aside], variants)
            np.copyto(score, SET_ASIDE_SHARE * score, where=aside)
        return variants, owners, evidence

    def _kept_with_implement(self, word: str) -> np.ndarray:
        """Per variant, whether a question naming this implement keeps it: a plain mention
        means the default implement, so not where another is named. A variant is left out
        when it leaves out its page's implement ("row" for the Barbell Row) and no name of
        its page holds the word. (Made once per word: the implement words are few.)"""
        kept = self._kept_with.get(word)
        if kept is None:
            named_by = self.name_postings.get(word, np.zeros(0, dtype=np.int32))
            naming = _marked(self.variant_page[named_by], len(self.entries))
            kept = self._kept_with[word] = ~self.drops_implement | naming[self.variant_page]
        return kept

    def _unexplained_modifiers(
        self, segment: list[str], variants: np.ndarray
    ) -> np.ndarray | float:
        """Per variant, the weight of words said right before its name that no page has in its
        name or attributes and that are not everyday question words: "handstand push up" and
        "preacher curl" name variants this library does not have."""
        modified = [
            token
            for before, token in itertools.pairwise(segment)
            if token in self.name_postings
            and before not in self.name_weight
            and before not in self.attribute_weight
            and before not in self.vocabulary_words
            and before.isalpha()
        ]
        if not modified:
            return 0.0
        postings = [self.name_postings[t] for t in modified]
        return _added_at(postings, [self.unknown_weight] * len(modified), variants)


def _best(pages: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The CANDIDATES pages of highest value; `pages` ascend, so a tie at the cut goes to the
    first slugs."""
    return pages[top_positions(values, CANDIDATES)]


def _marked(positions: Sequence[int] | np.ndarray, size: int) -> np.ndarray:
    """Per id below `size`, whether it is one of these."""
    marked = np.zeros(size, dtype=bool)
    marked[positions] = True
    return marked


def _union(postings: Sequence[np.ndarray], size: int) -> tuple[np.ndarray, np.ndarray]:
    """The ids (below `size`) that these ascending posting lists hold, ascending, and for each
    entry of the lists, end to end, the row of its id among them (what np.bincount adds up by).
    Work and memory grow with the lists: a stable sort of the lists end to end merges their
    sorted runs; but where they hold at least 1/DENSE_SHARE entries per id, every id is a row
    (an array of every id is then at most DENSE_SHARE times theirs, and is made faster)."""
    if len(postings) == 1:  # one ascending list holds each id once
        return postings[0], np.arange(len(postings[0]))
    ids = np.concatenate(postings)
    if len(ids) * DENSE_SHARE >= size:
        return _every_id(size), ids
    order = ids.argsort(kind="stable")
    ids = ids.take(order)
    new = np.empty(len(ids), dtype=bool)
    new[:1] = True
    np.not_equal(ids[1:], ids[:-1], out=new[1:])
    rows = np.empty(len(ids), dtype=np.intp)
    rows[order] = new.cumsum() - 1
    return ids[new], rows


@functools.lru_cache(maxsize=8)
def _every_id(size: int) -> np.ndarray:
    """The ids 0 .. size - 1 (read-only), made once per size: what a dense _union holds."""
    ids = np.arange(size)
    ids.flags.writeable = False
    return ids


def _found(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each wanted id is among these ascending ids (not empty; somewhere when it is
    not there), and whether it is there."""
    found = np.minimum(ids.searchsorted(wanted), len(ids) - 1)
    return found, ids.take(found) == wanted


def _added_at(
    postings: Sequence[np.ndarray], weights: Sequence[float], wanted: np.ndarray
) -> np.ndarray:
    """At these ids, each posting list's weight added, list after list (0 where none holds
    one): the sums adding up the lists makes there, with each id looked up in each list."""
    added = np.zeros(len(wanted))
    for ids, weight in zip(postings, weights, strict=True):
        added[_found(ids, wanted)[1]] += weight
    return added


def _held_by_any(postings: Sequence[np.ndarray], wanted: np.ndarray) -> np.ndarray:
    """Per id of these, whether any of these posting lists holds it."""
    held = np.zeros(len(wanted), dtype=bool)
    for ids in postings:
        held |= _found(ids, wanted)[1]
    return held

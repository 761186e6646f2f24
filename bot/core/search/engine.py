"""The answer engine: builds the index of a library and answers questions from it.

1. *Which exercise could it be?* The question's words are matched against every page's name and
   aliases, weighted by how rare each word is among names, and more weakly against its
   attributes: a page scores by how much of its name was said and how much of what was said its
   name explains. A comparison ("pull ups vs chin ups") is scored part by part.
2. *Which passage answers it?* Candidates (candidates.py): every passage of the best-named pages
   and of the pages whose passages share the question's words (BM25).
3. *How sure are we?* A learned ranking (ranking.py) chooses among the candidates and "no
   answer"; a page's probability is the chance the exercise is right. Below the threshold the
   engine abstains with suggestions, or asks "which one?" when versions of one exercise fit.
Questions that name only muscles, body parts or equipment get a list of matching exercises.
"""

from __future__ import annotations

import functools
import itertools
import math
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import numpy as np

from bot.core.loader import KnowledgeBase
from bot.core.model import Link, Page
from bot.core.questions import question_text
from bot.core.search.candidates import CandidateBuilder, Candidates
from bot.core.search.entries import PageEntry, PageScore, Passage, Query
from bot.core.search.names import NameLookup
from bot.core.search.ranking import Ranker, load_ranker
from bot.core.search.result import SECTION_TITLES, Match, Result
from bot.core.search.text import Normaliser, Vocabulary, default_vocabulary, stem, words
from bot.core.search.tuning import (
    ALIAS_SHARE,
    AMBIGUOUS_FLOOR,
    ANSWER_CACHE_SIZE,
    ATTRIBUTE_CONTEXT_SHARE,
    ATTRIBUTE_MATCH_SHARE,
    CANDIDATES,
    DEFAULT_MIN_CONFIDENCE,
    LIST_CALIBRATION,
    LIST_NAME_COVERAGE,
    LIST_SIZE,
    LONG_QUESTION_WORDS,
    MAX_ALTERNATIVES,
    MAX_AMBIGUOUS,
    MAX_PARTS,
    MAX_QUESTION_CHARS,
    MAX_SUGGESTIONS,
    MIN_SUGGESTION,
    NAME_EXPONENT,
    PART_NAME_COVERAGE,
    PART_SHARE,
    SECONDARY_MUSCLE_SHARE,
    SEPARATORS,
    SPECIFIC_INTENTS,
    STRONG_CUE,
    SUGGESTION_FLOOR,
    UNKNOWN_PENALTY,
    WEAK_CUE,
)

NOTHING: frozenset[str] = frozenset()
FREE_STEP = 1000  # build-time items freed at a time: well under a millisecond


def name_forms(page: Page) -> list[str]:
    """The page's name first, then what else people call it: its aliases, and the name without
    a qualifier ("Barbell Bench Press - Medium Grip", "Box Jump (Multiple Response)")."""
    forms = [page.name, *page.aliases]
    for mark in (" (", " - ", ", "):
        short = page.name.split(mark, 1)[0].strip()
        if short and short != page.name and short not in forms:
            forms.append(short)
    return forms


def calibrated(raw: float) -> float:
    """A list answer's coverage -> a confidence (lists are decided by rules, not learned)."""
    if raw <= 0:
        return 0.0
    slope, intercept = LIST_CALIBRATION
    return 1 / (1 + math.exp(-(slope * raw + intercept)))


class AnswerIndex:
    """Built once from a KnowledgeBase; `answer()` is pure, does no I/O, and is safe to share."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        vocabulary: Vocabulary | None = None,
        ranker: Ranker | None = None,
    ) -> None:
        self.min_confidence = min_confidence
        vocab = (vocabulary or default_vocabulary()).with_terms(kb.synonyms)
        self.vocabulary = vocab
        self.stopwords = vocab.stopwords
        self.intents = {intent.name: intent for intent in vocab.intents}
        self.cue_words = frozenset().union(*(intent.cues for intent in vocab.intents))
        plain = Normaliser(vocab)

        self.entries: list[PageEntry] = []
        # The library's own words: stems to match, and words as written to correct typos to.
        self._known: set[str] = set()
        self._surface: set[str] = set()
        # Every passage's words in index order, for BM25; and one copy of each intent set.
        self._documents: list[tuple[str, ...]] = []
        self._interned: dict[frozenset[str], frozenset[str]] = {}
        for page in sorted(kb.pages.values(), key=lambda page: page.slug):
            self.entries.append(self._entry(page, plain))
        self._build_weights()
        self._build_postings()
        self._build_normaliser(plain)
        self.candidate_builder = CandidateBuilder(
            self.entries,
            self._documents,
            vocab.intents,
            self.passage_weight,
            self.unknown_weight,
            vocab.chat_words,
        )
        _free_in_steps(self._documents)
        del self._known, self._surface, self._documents, self._interned  # build-time only
        self.names = NameLookup(self.entries)
        self.by_slug = self.names.by_slug
        self.ranker: Ranker = ranker or load_ranker()
        self._cached_answer = _answer_cache(self)

    # -- building ----------------------------------------------------------------------------

    def _entry(self, page: Page, plain: Normaliser) -> PageEntry:
        variants = [
            frozenset(self._content(self._analyse(name, plain))) for name in name_forms(page)
        ]
        variants = [variant for variant in variants if variant]
        attributes = page.attributes
        primary_text = " ".join(
            [
                attributes.body_part,
                attributes.equipment,
                attributes.target_muscle,
                attributes.category,
                attributes.difficulty,
            ]
        )
        primary = frozenset(self._content(plain.tokens(primary_text)))
        secondary = frozenset(self._content(plain.tokens(" ".join(attributes.secondary_muscles))))
        self._known |= primary | secondary
        self._page_texts(page)
        return PageEntry(
            page,
            variants,
            frozenset().union(*variants),
            primary | secondary,
            secondary - primary,
            list(self._passages(page, plain)),
        )

    def _build_weights(self) -> None:
        """idf weights: of name words among names, attribute words among attributes, and FAQ
        question words among passages."""
        count = max(len(self.entries), 1)
        name_df = Counter(token for entry in self.entries for token in entry.name_tokens)
        attribute_df = Counter(token for entry in self.entries for token in entry.attribute_tokens)
        self.name_weight = {token: math.log(1 + count / df) for token, df in name_df.items()}
        self.attribute_weight = {t: math.log(1 + count / df) for t, df in attribute_df.items()}
        # A word no page uses is as telling as the rarest name word.
        self.unknown_weight = math.log(1 + count)
        passage_df = Counter(t for entry in self.entries for p in entry.passages for t in p.tokens)
        total_passages = max(sum(len(entry.passages) for entry in self.entries), 1)
        self.passage_weight = {t: math.log(1 + total_passages / df) for t, df in passage_df.items()}

    def _build_normaliser(self, plain: Normaliser) -> None:
        """The question-side normaliser: it knows the library's words and corrects typos."""
        vocab = self.vocabulary
        # Words the shipped vocabulary knows: never mistaken for an unknown exercise's name.
        term_words = {t for value in vocab.terms.values() for t in plain.tokens(" ".join(value))}
        self.vocabulary_words = frozenset(
            self.cue_words | vocab.list_words | vocab.common_words | vocab.stopwords | term_words
        )
        # Words that say what is asked ("muscles", "exercises") and particles ("up") are name
        # evidence only beside a partner word of the same name ("muscle up", "exercise ball").
        self.question_words = self.cue_words | vocab.list_words | vocab.particles
        self.name_pairs = {
            pair
            for entry in self.entries
            for name in name_forms(entry.page)
            for pair in itertools.pairwise(self._content(plain.tokens(name)))
        }
        # Run-together words are split only into pairs the library writes ("leg press").
        pairs = {
            pair
            for entry in self.entries
            for text in (*name_forms(entry.page), *(e.question for e in entry.page.faq))
            for pair in itertools.pairwise(plain.tokens(text))
        }
        surface = {word for word in self._surface if word.isalpha()}
        surface |= {w for text in (*vocab.terms, *vocab.common_words) for w in words(text)}
        surface |= {w for w in self.cue_words | vocab.list_words if w.isalpha()}
        known = frozenset(self._known | self.vocabulary_words)
        self.normaliser = Normaliser(vocab, known, frozenset(surface), frozenset(pairs))

    def _analyse(self, text: str, plain: Normaliser) -> list[str]:
        """A page text's tokens; its words and tokens join the library's vocabulary on the way."""
        raw = words(text)
        tokens = plain.stems(raw)
        self._surface.update(raw)
        self._known.update(tokens)
        return tokens

    def _page_texts(self, page: Page) -> None:
        """The words of the rest of the page join the vocabulary (they are not matched)."""
        texts = [page.summary, *(item.text for item in (*page.steps, *page.tips, *page.mistakes))]
        texts += [entry.answer for entry in page.faq]
        texts += [value for _, value in page.attributes.labelled()]
        for text in texts:
            raw = words(text)
            self._surface.update(raw)
            self._known.update(map(stem, raw))

    def _content(self, tokens: Iterable[str]) -> list[str]:
        return [token for token in tokens if token not in self.stopwords]

    def _passages(self, page: Page, plain: Normaliser) -> Iterable[Passage]:
        name = self._content(plain.tokens(page.name))
        for entry in page.faq:
            tokens = self._analyse(entry.question, plain)
            # An FAQ is about what its question clearly asks, not every cue word it holds.
            intents = frozenset(
                name for name, strength in self._intents(tokens).items() if strength >= 0.5
            )
            content = self._content(tokens)
            answer = self._content(plain.tokens(entry.answer))
            indexed = (*name, *content, *answer)
            self._documents.append(indexed)
            yield Passage(
                "faq",
                entry.question,
                entry.answer,
                frozenset(content),
                self._interned.setdefault(intents, intents),
                frozenset(answer),
                len(indexed),
            )
        listings = (
            ("how_to", [f"{n}. {item.text}" for n, item in enumerate(page.steps, 1)]),
            ("tips", [f"- {item.text}" for item in page.tips]),
            ("mistakes", [f"- {item.text}" for item in page.mistakes]),
        )
        labelled = page.attributes.labelled()
        attributes = "\n".join(f"- **{label}:** {value}" for label, value in labelled)
        related = "\n".join(f"- [{link.title}]({link.url})" for link in page.related)
        sections = [
            *((section, "\n".join(lines)) for section, lines in listings if lines),
            ("quick", page.summary),
            ("attributes", attributes),
            ("related", related),
        ]
        for section, text in sections:
            if text:
                title = SECTION_TITLES[section]
                indexed = (*name, *self._content(plain.tokens(f"{title} {text}")))
                self._documents.append(indexed)
                yield Passage(section, title, text, NOTHING, NOTHING, NOTHING, len(indexed))

    def _intents(self, tokens: Iterable[str]) -> dict[str, float]:
        present = set(tokens)
        strength: dict[str, float] = {}
        for intent in self.vocabulary.intents:
            total = math.fsum(
                WEAK_CUE if token in self.vocabulary.weak_cues else STRONG_CUE
                for token in present & intent.cues
            )
            strength[intent.name] = min(1.0, total)
        if any(strength.get(name, 0.0) >= 0.9 for name in SPECIFIC_INTENTS):
            strength["how_to"] = strength.get("how_to", 0.0) * 0.6
        return strength

    # -- answering ---------------------------------------------------------------------------

    def _query(self, question: str) -> Query:
        text = question_text(question[:MAX_QUESTION_CHARS])
        tokens = self.normaliser.tokens(text, correct=True)
        segments: list[list[str]] = [[]]
        for token in tokens:
            if token in SEPARATORS:
                segments.append([])
            if token not in self.stopwords:
                segments[-1].append(token)
        content = list(dict.fromkeys(self._content(tokens)))
        unknown = {token for token in content if token not in self.normaliser.known}
        intents = {name: value for name, value in self._intents(tokens).items() if value}
        parts = [segment for segment in segments if segment]
        whole = self._content(tokens)
        segments = [whole, *parts] if len(parts) > 1 else [whole]
        attributes = {token for token in content if token in self.attribute_weight}
        return Query(
            text, tokens, content, segments, intents, unknown, self._name_words(whole), attributes
        )

    def _name_words(self, sequence: list[str]) -> set[str]:
        names: set[str] = set()
        for index, token in enumerate(sequence):
            if token not in self.name_weight:
                continue
            if token not in self.question_words:
                names.add(token)
                continue
            before = sequence[index - 1] if index else ""
            after = sequence[index + 1] if index + 1 < len(sequence) else ""
            if (before, token) in self.name_pairs or (token, after) in self.name_pairs:
                names.add(token)
        return names

    def answer(self, question: str, min_confidence: float | None = None) -> Result:
        """The passage that answers the question, or none (with suggestions) when unsure.

        Below `min_confidence` (default: the index's) the engine abstains; when the pages that
        fit are versions of one exercise and none stands out, `Result.ambiguous` lists them.
        Results are immutable and the index never changes, so repeated questions (a server asks
        the same few things all day) are answered from a small cache.
        """
        threshold = self.min_confidence if min_confidence is None else min_confidence
        return self._cached_answer(question, threshold)

    def _read_question(self, question: str) -> tuple[Query, list[PageScore], bool] | None:
        """(what was asked, the pages it names, whether it asks for a list); None when it
        holds no word to go on."""
        query = self._query(question)
        if not query.content:
            return None
        pages = self._score_pages(query)
        return query, pages, bool(pages) and self._asks_for_list(query, pages)

    def _answer(self, question: str, threshold: float) -> Result:
        read = self._read_question(question)
        if read is None:
            return Result(question, None, ())
        query, pages, listing = read
        if listing:
            listed = self._list_answer(query, pages, self._list_penalty(query))
            ranked = [replace(m, score=calibrated(m.score)) for m in listed]
            return self._decide(question, query, ranked, threshold, listing=True)
        candidates = self.candidates(query, pages)
        if candidates is None:
            return Result(question, None, ())
        ranked, no_answer = self._rank(candidates)
        return self._decide(question, query, ranked, threshold, no_answer=no_answer)

    def ranking_candidates(self, question: str) -> tuple[Candidates, list[Match]] | None:
        """What the learned ranking chooses among for this question, each candidate as a
        Match (for fitting the ranking: bench/fit_ranker.py); None for lists and nothing."""
        read = self._read_question(question)
        if read is None or read[2]:
            return None
        query, pages, _ = read
        candidates = self.candidates(query, pages)
        if candidates is None:
            return None
        matches = [
            self._match(self.entries[candidates.pages[owner]], self.passage_list[passage], 1.0)
            for owner, passage in zip(
                candidates.owner.tolist(), candidates.passage_ids.tolist(), strict=True
            )
        ]
        return candidates, matches

    def _decide(
        self,
        question: str,
        query: Query,
        ranked: list[Match],
        threshold: float,
        *,
        no_answer: float = 0.0,
        listing: bool = False,
    ) -> Result:
        """Answer, ask "which one?", or abstain with suggestions. Alternatives and suggestions
        are measured against the chance that the question is ours at all (1 - no_answer)."""
        if not ranked:
            return Result(question, None, ())
        share = SUGGESTION_FLOOR * (1 - no_answer)
        best = ranked[0]
        # A list is about several exercises, not versions of one.
        family = [best] if listing else self._family(query, best, ranked)
        if best.score >= threshold:
            floor = max(share, MIN_SUGGESTION)
            others = [
                m
                for m in ranked[1:]
                if m.score >= floor or (m in family and m.score >= MIN_SUGGESTION)
            ]
            return Result(question, best, tuple(others[:MAX_ALTERNATIVES]))
        if len(family) >= 2 and sum(m.score for m in family) >= threshold:
            versions = tuple(m for m in family if m.score >= AMBIGUOUS_FLOOR)[:MAX_AMBIGUOUS]
            if len(versions) >= 2:
                return Result(question, None, versions, tuple(m.slug for m in versions))
        # Unsure: suggest what the question names (a list question names no exercise).
        suggestions = [
            m
            for m in ranked
            if m.score >= share and (listing or self.by_slug[m.slug].name_tokens & query.names)
        ]
        return Result(question, None, tuple(suggestions[:MAX_SUGGESTIONS]))

    def candidates(self, query: Query, pages: list[PageScore]) -> Candidates | None:
        """What the ranking chooses among (bench/fit_ranker.py learns from the same)."""
        return self.candidate_builder.build(query, pages)

    @property
    def passage_list(self) -> list[Passage]:
        return self.candidate_builder.passage_list

    def complete(self, prefix: str, limit: int = 25) -> list[Page]:
        """Autocomplete: one entry per exercise, best first; alphabetical for an empty prefix."""
        return self.names.complete(prefix, limit)

    def lookup(self, name: str) -> tuple[Page | None, list[Page]]:
        """An exercise by slug or (fuzzy) name: (the page, []) or (None, the closest pages)."""
        return self.names.lookup(name)

    def _rank(self, candidates: Candidates) -> tuple[list[Match], float]:
        """One match per page, best first, its score the chance the exercise is right; and the
        chance that no candidate answers."""
        probabilities, no_answer = self.ranker.probabilities(
            candidates.features, candidates.question
        )
        owner = candidates.owner
        page_probability = np.bincount(
            owner, weights=probabilities, minlength=len(candidates.pages)
        )
        # Each page's best passage: candidates sorted by page, then by probability.
        by_page = np.lexsort((-probabilities, owner))
        firsts = by_page[np.searchsorted(owner[by_page], np.arange(len(candidates.pages)))]
        order = sorted(
            range(len(candidates.pages)),
            key=lambda n: (-page_probability[n], self.entries[candidates.pages[n]].page.slug),
        )
        ranked = [
            self._match(
                self.entries[candidates.pages[n]],
                self.passage_list[int(candidates.passage_ids[firsts[n]])],
                min(1.0, float(page_probability[n])),
            )
            for n in order
        ]
        return ranked, no_answer

    def _family(self, query: Query, best: Match, ranked: list[Match]) -> list[Match]:
        """The best match and the other versions of its exercise among the candidates: pages
        whose names hold every word the question said of the best one's name."""
        said = self.by_slug[best.slug].name_tokens & query.names
        if not said:
            return [best]
        return [m for m in ranked if said <= self.by_slug[m.slug].name_tokens]

    @staticmethod
    def _list_penalty(query: Query) -> float:
        """Words nobody's page uses, and long rants, make a list less likely what was asked."""
        penalty = 1.0 - UNKNOWN_PENALTY * len(query.unknown) / len(query.content)
        return penalty * min(1.0, LONG_QUESTION_WORDS / len(query.content))

    @staticmethod
    def _exercise_words(tokens: Iterable[str], query: Query) -> list[str]:
        return [t for t in tokens if t in query.names or t in query.attributes]

    def _word_weight(self, token: str, query: Query) -> float:
        """How much naming this word says about which exercise is meant."""
        if token in query.names:
            return self.name_weight[token]
        return ATTRIBUTE_CONTEXT_SHARE * self.attribute_weight.get(token, 0.0)

    def _full_weight(self, token: str, query: Query) -> float:
        if token in query.names:
            return self.name_weight[token]
        return self.attribute_weight.get(token, 0.0)

    def _build_postings(self) -> None:
        """Posting lists as numpy arrays, so a question is scored in a few vector operations."""
        variant_page: list[int] = []
        variant_total: list[float] = []
        variant_scale: list[float] = []
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
                variant_total.append(math.fsum(self.name_weight[t] for t in variant))
                # An alias is a nickname: the page's own name wins a tie.
                variant_scale.append(1.0 if number == 0 else ALIAS_SHARE)
                for token in variant:
                    name_postings[token].append(index)
                    if token in entry.attribute_tokens:
                        shared_postings[token].append(index)
        self.variant_page = np.array(variant_page, dtype=np.int32)
        self.variant_total = np.array(variant_total, dtype=np.float64)
        self.variant_scale = np.array(variant_scale, dtype=np.float64)
        self.name_postings = {t: np.array(v, dtype=np.int32) for t, v in name_postings.items()}
        self.shared_postings = {t: np.array(v, dtype=np.int32) for t, v in shared_postings.items()}
        self.attribute_postings = {
            t: np.array(v, dtype=np.int32) for t, v in attribute_postings.items()
        }
        self.page_postings = {t: self._weighted(v) for t, v in page_postings.items()}
        self.attribute_list_postings = {
            t: self._weighted(v) for t, v in attribute_list_postings.items()
        }
        for built in (
            name_postings,
            shared_postings,
            attribute_postings,
            page_postings,
            attribute_list_postings,
        ):
            _free_in_steps(built)

    @staticmethod
    def _weighted(postings: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
        return np.array([p for p, _ in postings], dtype=np.int32), np.array(
            [f for _, f in postings]
        )

    def _score_pages(self, query: Query) -> list[PageScore]:
        """The pages worth reading for this question, best first.

        Each asked word adds its weight to the pages (and name variants) in its posting list, so
        the work grows with the words' posting lists, not with the library.
        """
        asked = set(self._exercise_words(query.content, query))
        if not asked:
            return []
        pages = len(self.entries)
        # For lists, words nobody's page uses (other exercises, other topics) count fully.
        whole_weight = math.fsum(self._full_weight(t, query) for t in asked)
        whole_weight += self.unknown_weight * len(query.unknown - self.vocabulary_words)
        list_weight = np.zeros(pages)
        for token in sorted(asked):  # a fixed order: the same sums in every process
            postings = self.page_postings if token in query.names else self.attribute_list_postings
            positions, factors = postings[token]
            list_weight[positions] += self._full_weight(token, query) * factors
        list_coverage = list_weight / whole_weight

        best_score = np.zeros(pages)
        best_variant = np.full(pages, -1, dtype=np.int32)
        best_name = np.zeros(pages)
        best_question = np.zeros(pages)
        # Several parts ("X or Y") are scored on their own too, but not in a rant.
        segments = query.segments if len(query.segments) <= MAX_PARTS + 1 else query.segments[:1]
        whole_names_one = False
        for part, segment in enumerate(segments):
            if part and whole_names_one:
                break
            scored = self._score_segment(part, segment, query)
            if scored is None:
                continue
            variants, score, name_coverage, question_coverage = scored
            # The whole question naming one exercise in full ("clean and press"): its "and"
            # joins a name, it does not separate two exercises.
            whole_names_one = not part and bool(
                np.any((name_coverage >= 1) & (question_coverage >= 1))
            )
            owners = self.variant_page[variants]
            # Keep, per page, its best variant: sort ascending so the best is written last.
            order = np.argsort(score, kind="stable")
            variants, score, owners = variants[order], score[order], owners[order]
            name_coverage, question_coverage = name_coverage[order], question_coverage[order]
            better = score > best_score[owners]
            owners = owners[better]
            best_score[owners] = score[better]
            best_variant[owners] = variants[better]
            best_name[owners] = name_coverage[better]
            best_question[owners] = question_coverage[better]

        candidates = set(self._top(best_score, CANDIDATES).tolist())
        candidates |= set(self._top(list_coverage, CANDIDATES).tolist())
        results = [
            PageScore(
                self.entries[i],
                float(best_score[i]),
                float(best_name[i]),
                float(best_question[i]),
                float(list_coverage[i]),
            )
            for i in candidates
            if best_score[i] > 0 or list_coverage[i] > 0
        ]
        return sorted(results, key=lambda s: (-s.score, s.entry.page.slug))

    @staticmethod
    def _top(values: np.ndarray, count: int) -> np.ndarray:
        nonzero = np.flatnonzero(values > 0)
        if len(nonzero) <= count:
            return nonzero
        return nonzero[np.argpartition(-values[nonzero], count)[:count]]

    def _score_segment(
        self, part: int, segment: list[str], query: Query
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """(variants, score, name coverage, question coverage) for the variants this names."""
        words = self._exercise_words(sorted(set(segment)), query)
        weight = math.fsum(self._word_weight(t, query) for t in words)
        if weight <= 0:
            return None
        count = len(self.variant_page)
        said = np.zeros(count)
        distinctive = np.zeros(count)  # said words that are not just equipment or a muscle
        shared = np.zeros(count)  # said words that are also the page's attributes
        attributes = np.zeros(len(self.entries))
        for token in words:
            share = ATTRIBUTE_MATCH_SHARE * self._word_weight(token, query)
            if token in query.names:
                postings = self.name_postings[token]
                said[postings] += self.name_weight[token]
                if token not in self.attribute_weight:
                    distinctive[postings] += 1
                if token in self.shared_postings:
                    shared[self.shared_postings[token]] += share
            if token in self.attribute_postings:
                attributes[self.attribute_postings[token]] += share
        variants = np.flatnonzero(said)
        if not len(variants):
            return None
        said = said[variants]
        total = self.variant_total[variants]
        if part:
            # A part counts on its own only where it names this exercise by itself
            # ("leg curls" in "leg curls or rdls"), not by an equipment word alone.
            keep = (said >= PART_NAME_COVERAGE * total) & (distinctive[variants] > 0)
            variants, said, total = variants[keep], said[keep], total[keep]
        explained = said + attributes[self.variant_page[variants]] - shared[variants]
        asked = weight + self._unexplained_modifiers(segment, variants)
        name_coverage = said / total
        question_coverage = np.minimum(1.0, explained / asked)
        scale = self.variant_scale[variants] * (PART_SHARE if part else 1.0)
        score = scale * name_coverage**NAME_EXPONENT * question_coverage ** (1 - NAME_EXPONENT)
        return variants, score, name_coverage, question_coverage

    def _unexplained_modifiers(self, segment: list[str], variants: np.ndarray) -> np.ndarray:
        """Per variant, the weight of words said right before its name that no page has in its
        name or attributes and that are not everyday question words: "handstand push up" and
        "preacher curl" name variants this library does not have."""
        penalty = np.zeros(len(self.variant_page))
        for before, token in itertools.pairwise(segment):
            if (
                token in self.name_postings
                and before not in self.name_weight
                and before not in self.attribute_weight
                and before not in self.vocabulary_words
                and before.isalpha()
            ):
                penalty[self.name_postings[token]] += self.unknown_weight
        return penalty[variants]

    def _asks_for_list(self, query: Query, pages: list[PageScore]) -> bool:
        """True when the question names muscles, body parts or equipment but no exercise."""
        asked = self._exercise_words(query.content, query)
        by_attribute = [t for t in asked if t in self.attribute_weight]
        if not by_attribute:
            return False
        wants_list = bool(set(query.content) & self.vocabulary.list_words)
        # "calfs with band": nothing but muscles, body parts or equipment, and nothing asked.
        only_attributes = not query.intents and all(
            t in self.attribute_weight
            or t in self.vocabulary.stopwords
            or t in self.vocabulary.list_words
            for t in query.content
        )
        best_named = max((p.name_coverage for p in pages if p.score > 0), default=0.0)
        return (wants_list or only_attributes) and best_named < LIST_NAME_COVERAGE

    def _list_answer(self, query: Query, pages: list[PageScore], penalty: float) -> list[Match]:
        ranked = sorted(pages, key=lambda s: (-s.list_coverage, -s.score, s.entry.page.slug))
        top_coverage = ranked[0].list_coverage
        top = [s for s in ranked if s.list_coverage >= 0.99 * top_coverage][:LIST_SIZE]
        confidence = top_coverage * penalty
        asked = set(query.content)
        lines = []
        links: list[Link] = []
        for item in top:
            page = item.entry.page
            attributes = page.attributes
            detail = ", ".join(v for v in (attributes.equipment, attributes.target_muscle) if v)
            lines.append(f"- **{page.name}**" + (f" ({detail})" if detail else ""))
            candidates = [Link(page.name, page.url)] if page.url else []
            candidates += [
                link for link in page.related if set(self.normaliser.tokens(link.title)) & asked
            ]
            links += [link for link in candidates if link.url not in {known.url for known in links}]
        best = top[0].entry.page
        answer = Match(
            slug=best.slug,
            exercise=best.name,
            section="related",
            heading=SECTION_TITLES["related"],
            text="\n".join(lines),
            score=confidence,
            links=tuple(links),
        )
        alternatives = [
            self._match(item.entry, item.entry.passages[0], item.list_coverage * penalty)
            for item in top[1 : 1 + MAX_ALTERNATIVES]
            if item.entry.passages
        ]
        return [answer, *alternatives]

    @staticmethod
    def _match(entry: PageEntry, passage: Passage, score: float) -> Match:
        page = entry.page
        return Match(
            page.slug, page.name, passage.section, passage.heading, passage.text, score, page.links
        )

    # -- exercises by name ---------------------------------------------------------------------


def _free_in_steps(items: list[Any] | dict[Any, Any]) -> None:
    """Empty a large build-time container a piece at a time. Dropped whole, it would free
    everything it holds in one C call that keeps the GIL (tens of ms at 10,000 pages), and a
    library is built beside the event loop, which would wait that long."""
    if isinstance(items, dict):
        while items:
            items.popitem()
    else:
        while items:
            del items[-FREE_STEP:]


def _answer_cache(index: AnswerIndex) -> Callable[[str, float], Result]:
    """The index's cache of recent answers. It holds the index only weakly: a cache around the
    bound method would make a cycle, and a library nobody uses any more would then wait for a
    full garbage collection (a long pause at 10,000 pages) instead of being freed at once."""
    owner = weakref.ref(index)

    def answer(question: str, threshold: float) -> Result:
        alive = owner()
        if alive is None:  # only the index calls this, so it is alive
            raise ReferenceError("the answer index is gone")
        return alive._answer(question, threshold)

    return functools.lru_cache(maxsize=ANSWER_CACHE_SIZE)(answer)

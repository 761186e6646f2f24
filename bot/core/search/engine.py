"""The answer engine: which exercise is meant, then what is asked about it, then how sure we are.

Two questions are resolved separately (see ARCHITECTURE.md):
1. *Which exercise?* The question's words are matched against every page's name and aliases,
   weighted by how rare each word is among names, and more weakly against its attributes. A
   page scores by how much of its name was said and how much of what was said its name explains.
   A question that compares two exercises ("pull ups vs chin ups") is split at the comparison so
   that naming one exercise does not count against the other.
2. *What is asked?* Within the best pages, each FAQ entry competes with the page's sections
   (steps, tips, mistakes, quick answer, attributes): FAQ entries by word overlap with the rest of
   the question, sections by cue words ("form", "tips", "wrong", "muscles").
A passage's score is its page's score scaled by how well it fits what was asked, so a strong FAQ
on a slightly different variant can win, but never one on another exercise. Questions that name
only muscles, body parts or equipment get a list of matching exercises instead.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz, process, utils

from bot.core.loader import KnowledgeBase
from bot.core.model import Link, Page
from bot.core.questions import looks_like_question, question_text
from bot.core.search.passages import PassageRetriever
from bot.core.search.ranking import (
    Ranker,
    load_ranker,
)
from bot.core.search.result import SECTION_TITLES, Match, Result
from bot.core.search.text import Normaliser, Vocabulary, default_vocabulary, stem, words

DEFAULT_MIN_CONFIDENCE = 0.5  # abstain below an even chance of naming the right exercise
# Platt scaling of the raw fit, fitted by `python -m bench.calibrate --blind`.
CALIBRATION = (12.011, -5.808)
MAX_ALTERNATIVES = 5
MAX_SUGGESTIONS = 3
SUGGESTION_FLOOR = 0.1  # below this (calibrated) a candidate is noise, not a suggestion
MAX_QUESTION_CHARS = 2000
LOOKUP_CUTOFF = 60  # WRatio below which a name is no suggestion for what was typed

# Which exercise.
CANDIDATES = 64  # pages kept from the vector scoring, by name and by list fit
PAGES_TO_READ = 8  # of those, pages whose passages are scored in full
# People leave variant words out of a name more often than they add words no page explains.
NAME_EXPONENT = 0.35
ALIAS_SHARE = 0.97  # an alias is a nickname: the page's own name wins a tie
ATTRIBUTE_MATCH_SHARE = 0.5  # a word found in attributes explains half as much as one in a name
# Muscles and equipment said beside a named exercise are mostly context ("my knees hurt").
ATTRIBUTE_CONTEXT_SHARE = 0.25
UNKNOWN_PENALTY = 0.5  # a question of only words the library never uses loses half its score
LONG_QUESTION_WORDS = 20  # past this many words, a message is more rant than question
# Words that separate two exercises in one question: "X or Y", "X vs Y", "X if I do Y".
SEPARATORS = frozenset(
    {"or", "and", "if", "versus", "than", "instead", "substitute", "after", "before"}
)
MAX_PARTS = 3
PART_NAME_COVERAGE = 0.5  # a part must name at least this much of an exercise by itself
PART_SHARE = 0.97  # the whole question naming an exercise wins a tie with a part naming it

# What is asked.
PASSAGE_SHARE = 0.5  # how much the passage's fit decides; the rest is how well the page was named
FIT_FLOOR = 0.35  # any page answers "what is it": a poor fit costs confidence only below this
SECTION_PRIOR = {"quick": 0.15, "attributes": 0.2, "how_to": 0.15, "tips": 0.1, "mistakes": 0.1}
SECTION_CUE_FIT = 0.85
STRONG_CUE, WEAK_CUE = 1.0, 0.35
SPECIFIC_INTENTS = ("tips", "mistakes")  # "form mistakes" asks for mistakes, not the steps
NAME_WORD_DISCOUNT = 0.3  # in FAQ matching, the exercise's own name says little about the ask
FAQ_INTENT_BONUS = 0.3
FAQ_ATTRIBUTE_FIT = 0.9  # an FAQ about muscles/equipment/difficulty beats the bare attributes

# Candidates for the learned ranking (ranking.py).
NAME_CANDIDATES = 10  # pages the question names best
PASSAGE_CANDIDATES = 40  # passages that share the question's words best
MAX_CANDIDATE_PAGES = 16
NAME_SCORE_FLOOR = 0.01  # a page found by its passages alone, in the log of the name score
ONE_HOT_SECTIONS = ("faq", "how_to", "tips", "mistakes", "quick", "attributes")
FAQ, QUICK = ONE_HOT_SECTIONS.index("faq"), ONE_HOT_SECTIONS.index("quick")
# Ambiguity: versions of one exercise, each at least this likely, together above the threshold.
AMBIGUOUS_FLOOR = 0.05
MAX_AMBIGUOUS = 10

# Lists of exercises.
LIST_SIZE = 8
LIST_NAME_COVERAGE = 0.75  # a question naming this much of an exercise is about that exercise
SECONDARY_MUSCLE_SHARE = 0.5  # a secondary muscle matches half as well as the target


@dataclass(frozen=True, slots=True)
class _Passage:
    section: str
    heading: str
    text: str
    tokens: frozenset[str]  # words of an FAQ question
    intents: frozenset[str]  # intents an FAQ question carries
    answer_tokens: frozenset[str] = frozenset()  # words of an FAQ answer
    words: tuple[str, ...] = ()  # every content word, the page's name included (for BM25)


@dataclass(slots=True)
class _PageEntry:
    page: Page
    variants: list[frozenset[str]]  # name and aliases as token sets
    name_tokens: frozenset[str]
    attribute_tokens: frozenset[str]
    secondary_tokens: frozenset[str]  # secondary muscles only
    passages: list[_Passage]


@dataclass(slots=True)
class _PageScore:
    entry: _PageEntry
    score: float
    name_coverage: float
    question_coverage: float
    list_coverage: float


@dataclass(slots=True)
class Candidates:
    """What the ranker chooses among for one question (and what bench/fit_ranker learns from)."""

    pages: list[int]  # page positions
    owner: np.ndarray  # per candidate: its page, as an index into `pages`
    passage_ids: np.ndarray  # per candidate: its passage
    features: np.ndarray  # one row per pair, columns CANDIDATE_FEATURES
    question: np.ndarray  # QUESTION_FEATURES, for the "no answer" option


@dataclass(slots=True)
class _Query:
    text: str  # the question as plain words (Discord markup removed)
    tokens: list[str]  # every token, stopwords included, in order
    content: list[str]  # distinct meaningful tokens
    # The question's content tokens in order, then, when it has several parts ("X or Y"), each
    # part on its own.
    segments: list[list[str]]
    intents: dict[str, float]
    unknown: set[str]
    names: set[str]  # content words that may point at an exercise by name
    attributes: set[str]  # content words that are some page's attribute


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
    """Raw fit -> the chance the answer names the right exercise (see bench/calibrate.py)."""
    if raw <= 0:
        return 0.0
    slope, intercept = CALIBRATION
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

        self.entries: list[_PageEntry] = []
        # The library's own words: stems to match, and words as written to correct typos to.
        self._known: set[str] = set()
        self._surface: set[str] = set()
        for page in sorted(kb.pages.values(), key=lambda page: page.slug):
            self.entries.append(self._entry(page, plain))
        self._build_weights()
        self._build_postings()
        self._build_passage_retrieval()
        self._build_normaliser(plain)
        del self._known, self._surface  # build-time only
        # Autocomplete and lookup by name: one choice per name or alias.
        self.choice_names: list[str] = []
        self.choice_owner: list[int] = []
        for position, entry in enumerate(self.entries):
            for name in (entry.page.name, *entry.page.aliases):
                self.choice_names.append(name)
                self.choice_owner.append(position)
        self.by_slug = {entry.page.slug: entry for entry in self.entries}
        self.positions = {entry.page.slug: n for n, entry in enumerate(self.entries)}
        self.ranker: Ranker = ranker or load_ranker()

    # -- building ----------------------------------------------------------------------------

    def _entry(self, page: Page, plain: Normaliser) -> _PageEntry:
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
        return _PageEntry(
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

    def _build_passage_retrieval(self) -> None:
        """Every passage of every page in one BM25 index, and which page each belongs to."""
        self.passage_owner: list[int] = []
        self.passage_start: list[int] = []  # the id of each page's first passage
        self.passage_list: list[_Passage] = []
        for position, entry in enumerate(self.entries):
            self.passage_start.append(len(self.passage_list))
            for passage in entry.passages:
                self.passage_owner.append(position)
                self.passage_list.append(passage)
        self.retriever = PassageRetriever([passage.words for passage in self.passage_list])
        section_number = {section: n for n, section in enumerate(ONE_HOT_SECTIONS)}
        self.intent_names = [intent.name for intent in self.vocabulary.intents]
        self.attribute_intents = np.array(
            [intent.section == "attributes" for intent in self.vocabulary.intents], dtype=float
        )
        self.passage_intents = np.array(
            [[name in p.intents for name in self.intent_names] for p in self.passage_list],
            dtype=bool,
        ).reshape(len(self.passage_list), len(self.intent_names))
        self.passage_section = np.array(
            [section_number[p.section] for p in self.passage_list], dtype=np.intp
        )
        # Features of a passage alone: its section, one-hot, and its length.
        static = np.zeros((len(self.passage_list), len(ONE_HOT_SECTIONS) + 1))
        static[np.arange(len(self.passage_list)), self.passage_section] = 1.0
        static[:, -1] = [math.log1p(len(p.words)) / 6 for p in self.passage_list]
        self.passage_static = static

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

    def _passages(self, page: Page, plain: Normaliser) -> Iterable[_Passage]:
        name = self._content(plain.tokens(page.name))
        for entry in page.faq:
            tokens = self._analyse(entry.question, plain)
            # An FAQ is about what its question clearly asks, not every cue word it holds.
            intents = frozenset(
                name for name, strength in self._intents(tokens).items() if strength >= 0.5
            )
            content = self._content(tokens)
            answer = self._content(plain.tokens(entry.answer))
            yield _Passage(
                "faq",
                entry.question,
                entry.answer,
                frozenset(content),
                intents,
                frozenset(answer),
                (*name, *content, *answer),
            )
        listings = (
            ("how_to", [f"{n}. {item.text}" for n, item in enumerate(page.steps, 1)]),
            ("tips", [f"- {item.text}" for item in page.tips]),
            ("mistakes", [f"- {item.text}" for item in page.mistakes]),
        )
        labelled = page.attributes.labelled()
        attributes = "\n".join(f"- **{label}:** {value}" for label, value in labelled)
        sections = [
            *((section, "\n".join(lines)) for section, lines in listings if lines),
            ("quick", page.summary),
            ("attributes", attributes),
        ]
        for section, text in sections:
            if text:
                title = SECTION_TITLES[section]
                words = (*name, *self._content(plain.tokens(f"{title} {text}")))
                yield _Passage(section, title, text, frozenset(), frozenset(), frozenset(), words)

    def _intents(self, tokens: Iterable[str]) -> dict[str, float]:
        present = set(tokens)
        strength: dict[str, float] = {}
        for intent in self.vocabulary.intents:
            total = sum(
                WEAK_CUE if token in self.vocabulary.weak_cues else STRONG_CUE
                for token in present & intent.cues
            )
            strength[intent.name] = min(1.0, total)
        if any(strength.get(name, 0.0) >= 0.9 for name in SPECIFIC_INTENTS):
            strength["how_to"] = strength.get("how_to", 0.0) * 0.6
        return strength

    # -- answering ---------------------------------------------------------------------------

    def _query(self, question: str) -> _Query:
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
        return _Query(
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
        """
        threshold = self.min_confidence if min_confidence is None else min_confidence
        query = self._query(question)
        if not query.content:
            return Result(question, None, ())
        pages = self._score_pages(query)
        if pages and self._asks_for_list(query, pages):
            listed = self._list_answer(query, pages, self._list_penalty(query))
            ranked = [replace(m, score=calibrated(m.score)) for m in listed]
            return self._decide(question, ranked, threshold)
        candidates = self.candidates(query, pages)
        if candidates is None:
            return Result(question, None, ())
        ranked = self._rank(candidates)
        result = self._decide(question, ranked, threshold)
        if result.answer is None:
            family = self._ambiguous_family(query, ranked, threshold)
            if family:
                return Result(question, None, tuple(family), tuple(m.slug for m in family))
        return result

    def _decide(self, question: str, ranked: list[Match], threshold: float) -> Result:
        if not ranked:
            return Result(question, None, ())
        best = ranked[0]
        if best.score >= threshold:
            others = [match for match in ranked[1:] if match.score >= SUGGESTION_FLOOR]
            return Result(question, best, tuple(others[:MAX_ALTERNATIVES]))
        suggestions = [match for match in ranked if match.score >= SUGGESTION_FLOOR]
        return Result(question, None, tuple(suggestions[:MAX_SUGGESTIONS]))

    def _rank(self, candidates: Candidates) -> list[Match]:
        """One match per page, best first; its score is the chance the exercise is right."""
        probabilities, _ = self.ranker.probabilities(candidates.features, candidates.question)
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
        return [
            self._match(
                self.entries[candidates.pages[n]],
                self.passage_list[int(candidates.passage_ids[firsts[n]])],
                min(1.0, float(page_probability[n])),
            )
            for n in order
        ]

    def _ambiguous_family(
        self, query: _Query, ranked: list[Match], threshold: float
    ) -> list[Match]:
        """Versions of one exercise that together are a confident answer while none is alone:
        every one holds the name words the question said of the best."""
        if len(ranked) < 2:
            return []
        said = self.by_slug[ranked[0].slug].name_tokens & query.names
        if not said:
            return []
        family = [
            match
            for match in ranked[:MAX_CANDIDATE_PAGES]
            if said <= self.by_slug[match.slug].name_tokens and match.score >= AMBIGUOUS_FLOOR
        ]
        if len(family) < 2 or sum(match.score for match in family) < threshold:
            return []
        return family[:MAX_AMBIGUOUS]

    def candidates(self, query: _Query, pages: list[_PageScore]) -> Candidates | None:
        """(page, passage) pairs worth ranking: every passage of the pages the question names
        and of the pages whose passages share its words, each with its features."""
        by_name = {
            self.positions[score.entry.page.slug]: score
            for score in pages[:NAME_CANDIDATES]
            if score.score > 0
        }
        found_ids, _ = self.retriever.search(query.content, PASSAGE_CANDIDATES)
        order = list(by_name)
        for passage_id in found_ids.tolist():
            owner = self.passage_owner[passage_id]
            if owner not in by_name and owner not in order:
                order.append(owner)
        order = order[:MAX_CANDIDATE_PAGES]
        if not order:
            return None
        counts = [len(self.entries[position].passages) for position in order]
        if not sum(counts):
            return None
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
        # The same scores without the words of each page's own name: what else it answers.
        own_word = np.array([[word in own for own in names] for word in words], dtype=bool)
        rest = bm25 - (impacts * own_word[:, owner]).sum(axis=0)
        best_rest = float(rest.max()) or 1.0
        page_best = np.maximum.reduceat(bm25, starts) / best_bm25

        # Per page: the name evidence.
        best_name = max((score.score for score in by_name.values()), default=0.0)
        page_rows = []
        only_named = np.zeros(len(order), dtype=bool)
        for number, position in enumerate(order):
            score = by_name.get(position)
            own = names[number]
            named = score.score if score else 0.0
            general = not any(other and other < own for other in names)
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
                ]
            )
            only_named[number] = not asked - self.entries[position].name_tokens
        intents = query.intents
        only_named &= not intents

        # Per section: how strongly what is asked points at it, and at any other; the rules' fit.
        sections = self.passage_section[ids]
        cue = np.zeros((len(ONE_HOT_SECTIONS), 3))
        for number, section in enumerate(ONE_HOT_SECTIONS):
            cue[number] = (
                max(
                    (v for i, v in intents.items() if self.intents[i].section == section), default=0
                ),
                max(
                    (v for i, v in intents.items() if self.intents[i].section != section), default=0
                ),
                self._section_fit(section, intents, False),
            )
        fit, elsewhere, rule_fit = cue[sections].T.copy()
        overview = (sections == QUICK) & only_named[owner]
        rule_fit[overview] = 1.0
        question_fit = np.zeros(len(ids))
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
        for row in faq_rows.tolist():
            passage = self.passage_list[ids[row]]
            in_question = asked & passage.tokens
            in_answer = asked & passage.answer_tokens
            if not in_question and not in_answer:
                continue  # nothing in common: word fits stay 0
            own = names[owner[row]]
            if in_question - own:
                similarity = self._similarity(asked, passage.tokens, own)
                question_fit[row] = similarity
                if rule_fit[row] > 0:  # an attribute FAQ: its bonus on top of the words
                    about = rule_fit[row] / FAQ_ATTRIBUTE_FIT
                    rule_fit[row] = max(similarity + FAQ_INTENT_BONUS * about, rule_fit[row])
                else:
                    rule_fit[row] = similarity
            if in_answer - own:
                total = sum(w * NAME_WORD_DISCOUNT if t in own else w for t, w in asked_idf.items())
                part = sum(
                    asked_idf[t] * NAME_WORD_DISCOUNT if t in own else asked_idf[t]
                    for t in in_answer
                )
                answer_fit[row] = part / total
        rule_fit = np.minimum(rule_fit, 1.0)
        rule_fit = np.maximum(rule_fit, FIT_FLOOR)
        top_page = (page_best >= page_best.max() - 1e-9).astype(np.float64)  # ties are ties
        features = np.column_stack(
            [
                np.array(page_rows)[owner],
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
                fit,
                elsewhere,
                overview.astype(np.float64),
                self.passage_static[ids],
            ]
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
        ]
        return Candidates(order, owner, ids, features, np.array(question))

    @staticmethod
    def _list_penalty(query: _Query) -> float:
        """Words nobody's page uses, and long rants, make a list less likely what was asked."""
        penalty = 1.0 - UNKNOWN_PENALTY * len(query.unknown) / len(query.content)
        return penalty * min(1.0, LONG_QUESTION_WORDS / len(query.content))

    @staticmethod
    def _exercise_words(tokens: Iterable[str], query: _Query) -> list[str]:
        return [t for t in tokens if t in query.names or t in query.attributes]

    def _word_weight(self, token: str, query: _Query) -> float:
        """How much naming this word says about which exercise is meant."""
        if token in query.names:
            return self.name_weight[token]
        return ATTRIBUTE_CONTEXT_SHARE * self.attribute_weight.get(token, 0.0)

    def _full_weight(self, token: str, query: _Query) -> float:
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
                variant_total.append(sum(self.name_weight[t] for t in variant))
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

    @staticmethod
    def _weighted(postings: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
        return np.array([p for p, _ in postings], dtype=np.int32), np.array(
            [f for _, f in postings]
        )

    def _score_pages(self, query: _Query) -> list[_PageScore]:
        """The pages worth reading for this question, best first.

        Each asked word adds its weight to the pages (and name variants) in its posting list, so
        the work grows with the words' posting lists, not with the library.
        """
        asked = set(self._exercise_words(query.content, query))
        if not asked:
            return []
        pages = len(self.entries)
        # For lists, words nobody's page uses (other exercises, other topics) count fully.
        whole_weight = sum(self._full_weight(t, query) for t in asked)
        whole_weight += self.unknown_weight * len(query.unknown - self.vocabulary_words)
        list_weight = np.zeros(pages)
        for token in asked:
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
        for part, segment in enumerate(segments):
            scored = self._score_segment(part, segment, query)
            if scored is None:
                continue
            variants, score, name_coverage, question_coverage = scored
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
            _PageScore(
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
        self, part: int, segment: list[str], query: _Query
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """(variants, score, name coverage, question coverage) for the variants this names."""
        words = self._exercise_words(set(segment), query)
        weight = sum(self._word_weight(t, query) for t in words)
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

    def _section_fit(self, section: str, intents: dict[str, float], only_named: bool) -> float:
        """The rules' fit of a section: cue words, or the overview when only a name was said."""
        if section == "quick" and only_named:
            return 1.0
        fit = SECTION_PRIOR.get(section, 0.0)
        for name, strength in intents.items():
            if self.intents[name].section == section:
                fit = max(fit, SECTION_CUE_FIT * strength)
        return fit

    def _similarity(
        self,
        asked: set[str],
        tokens: frozenset[str],
        name_tokens: frozenset[str],
    ) -> float:
        """Cosine of idf-weighted word sets; the page's own name words count for little."""
        overlap = asked & tokens
        if not overlap - name_tokens:
            return 0.0  # sharing only the exercise's name is not answering the question

        def weight(token: str) -> float:
            value = self.passage_weight.get(token, self.unknown_weight)
            return value * NAME_WORD_DISCOUNT if token in name_tokens else value

        shared = sum(weight(t) ** 2 for t in overlap)
        norm = math.sqrt(sum(weight(t) ** 2 for t in asked) * sum(weight(t) ** 2 for t in tokens))
        return shared / norm if norm else 0.0

    # -- lists of exercises ------------------------------------------------------------------

    def _asks_for_list(self, query: _Query, pages: list[_PageScore]) -> bool:
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

    def _list_answer(self, query: _Query, pages: list[_PageScore], penalty: float) -> list[Match]:
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
    def _match(entry: _PageEntry, passage: _Passage, score: float) -> Match:
        page = entry.page
        return Match(
            page.slug, page.name, passage.section, passage.heading, passage.text, score, page.links
        )

    # -- exercises by name ---------------------------------------------------------------------

    def complete(self, prefix: str, limit: int = 25) -> list[Page]:
        """Autocomplete: one entry per exercise, best first; alphabetical for an empty prefix."""
        if not prefix.strip():
            ordered = sorted(self.entries, key=lambda e: e.page.name.lower())
            return [entry.page for entry in ordered[:limit]]
        hits = process.extract(
            prefix,
            self.choice_names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=limit * 3,
            score_cutoff=50,
        )
        owners = dict.fromkeys(self.choice_owner[position] for _, _, position in hits)
        return [self.entries[i].page for i in list(owners)[:limit]]

    def lookup(self, name: str) -> tuple[Page | None, list[Page]]:
        """An exercise by slug or (fuzzy) name: (the page, []) or (None, the closest pages)."""
        key = name.strip().lower()
        if key in self.by_slug:
            return self.by_slug[key].page, []
        hits = process.extract(
            name,
            self.choice_names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=10,
            score_cutoff=LOOKUP_CUTOFF,
        )
        if not hits:
            return None, []
        owners = list(dict.fromkeys(self.choice_owner[i] for _, _, i in hits))
        top_score = hits[0][1]
        runner_up = next((s for _, s, i in hits if self.choice_owner[i] != owners[0]), 0.0)
        # Answer directly only on a clear winner (the rule RoboDanny's fuzzy module uses).
        if top_score >= 95 or (top_score >= 85 and top_score - runner_up >= 8):
            return self.entries[owners[0]].page, []
        return None, [self.entries[i].page for i in owners[:MAX_SUGGESTIONS]]

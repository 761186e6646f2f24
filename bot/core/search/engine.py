"""The answer engine: which exercise is meant, then what is asked about it, then how sure we are.

Two questions are resolved separately (see ARCHITECTURE.md):
1. *Which exercise?* The question's words are matched against every page's name and aliases
   (weighted by how rare each word is among names) and, more weakly, its attributes. A page scores
   by how much of its name was said and how much of what was said its name explains.
2. *What is asked?* Within the best pages, each FAQ entry competes with the page's sections
   (steps, tips, mistakes, quick answer, attributes), scored by the question's remaining words and
   by cue words ("form", "tips", "wrong", "muscles").
A passage's score is its page's score times how well it fits what was asked, so a strong FAQ on
a slightly different variant can win, but never one on another exercise.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.core.loader import KnowledgeBase
from bot.core.model import Link, Page
from bot.core.search.result import SECTION_TITLES, Match, Result
from bot.core.search.text import Normaliser, Vocabulary, default_vocabulary, singular

DEFAULT_MIN_CONFIDENCE = 0.5
MAX_ALTERNATIVES = 5
MAX_SUGGESTIONS = 3
ALTERNATIVE_FLOOR = 0.25  # below this a candidate is noise, not an alternative
PAGES_TO_READ = 8  # pages whose passages are scored in full
# How much a perfect passage fit can lift a page's score; the rest comes from the page match.
PASSAGE_SHARE = 0.4
# Passage fit of a section that no cue asked for.
SECTION_PRIOR = {"quick": 0.35, "attributes": 0.2, "how_to": 0.15, "tips": 0.1, "mistakes": 0.1}
STRONG_CUE, WEAK_CUE = 1.0, 0.35
ATTRIBUTE_MATCH_SHARE = 0.5  # a word found in attributes explains half as much as one in the name
LIST_SIZE = 8
NAME_EXPONENT = 0.35


@dataclass(frozen=True, slots=True)
class _Passage:
    section: str
    heading: str
    text: str
    tokens: frozenset[str]  # content tokens minus the page's own name tokens
    cues: frozenset[str]  # section cue sections this passage (an FAQ) is about


@dataclass(slots=True)
class _PageEntry:
    page: Page
    variants: list[frozenset[str]]  # name and aliases as token sets
    name_tokens: frozenset[str]
    attribute_tokens: frozenset[str]
    passages: list[_Passage]


@dataclass(slots=True)
class _PageScore:
    entry: _PageEntry
    score: float
    name_coverage: float
    question_coverage: float


class AnswerIndex:
    """Built once from a KnowledgeBase; `answer()` is pure and does no I/O."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.min_confidence = min_confidence
        vocab = (vocabulary or default_vocabulary()).with_terms(kb.synonyms)
        self.vocabulary = vocab
        self.stopwords = vocab.stopwords
        self.cues = {
            section: frozenset(singular(w) for w in cue_words) | cue_words
            for section, cue_words in vocab.section_cues.items()
        }
        pages = sorted(kb.pages.values(), key=lambda page: page.slug)
        plain = Normaliser(vocab)

        self.entries: list[_PageEntry] = []
        known: set[str] = set()
        for page in pages:
            variants = [
                frozenset(self._content(plain.tokens(name))) for name in (page.name, *page.aliases)
            ]
            variants = [variant for variant in variants if variant]
            name_tokens = frozenset().union(*variants) if variants else frozenset()
            attributes = page.attributes
            attribute_text = " ".join(
                [
                    attributes.body_part,
                    attributes.equipment,
                    attributes.target_muscle,
                    *attributes.secondary_muscles,
                    attributes.category,
                    attributes.difficulty,
                ]
            )
            attribute_tokens = frozenset(self._content(plain.tokens(attribute_text)))
            passages = list(self._passages(page, plain, name_tokens))
            self.entries.append(_PageEntry(page, variants, name_tokens, attribute_tokens, passages))
            known |= name_tokens | attribute_tokens
            for passage in passages:
                known |= passage.tokens
            known.update(plain.tokens(" ".join(p.text for p in passages)))

        count = max(len(self.entries), 1)
        name_df = Counter(token for entry in self.entries for token in entry.name_tokens)
        attribute_df = Counter(token for entry in self.entries for token in entry.attribute_tokens)
        self.name_weight = {token: math.log(1 + count / df) for token, df in name_df.items()}
        self.attribute_weight = {
            token: math.log(1 + count / df) for token, df in attribute_df.items()
        }
        self.unknown_weight = math.log(1 + count)  # a word no page has is as telling as the rarest
        passage_df = Counter(
            token for entry in self.entries for p in entry.passages for token in p.tokens
        )
        total_passages = max(sum(len(entry.passages) for entry in self.entries), 1)
        self.passage_weight = {t: math.log(1 + total_passages / df) for t, df in passage_df.items()}

        self.by_token: dict[str, list[int]] = defaultdict(list)
        for position, entry in enumerate(self.entries):
            for token in entry.name_tokens | entry.attribute_tokens:
                self.by_token[token].append(position)

        for cue_words in self.cues.values():
            known |= cue_words
        known |= vocab.list_words
        known |= {token for value in vocab.terms.values() for token in value}
        self.normaliser = Normaliser(vocab, frozenset(known))
        # Autocomplete and lookup by name: one choice per name or alias.
        self.choice_names = [
            name for entry in self.entries for name in (entry.page.name, *entry.page.aliases)
        ]
        self.choice_owner = [
            i
            for i, entry in enumerate(self.entries)
            for _ in (entry.page.name, *entry.page.aliases)
        ]
        self.by_slug = {entry.page.slug: entry for entry in self.entries}

    # -- building ----------------------------------------------------------------------------

    def _content(self, tokens: Iterable[str]) -> list[str]:
        return [token for token in tokens if token not in self.stopwords]

    def _cue_sections(self, tokens: Iterable[str]) -> frozenset[str]:
        token_set = set(tokens)
        return frozenset(
            section for section, cue_words in self.cues.items() if token_set & cue_words
        )

    def _passages(
        self, page: Page, plain: Normaliser, name_tokens: frozenset[str]
    ) -> Iterable[_Passage]:
        def passage(section: str, heading: str, text: str, key: str) -> _Passage:
            tokens = frozenset(self._content(plain.tokens(key))) - name_tokens
            cues = self._cue_sections(plain.tokens(key)) if section == "faq" else frozenset()
            return _Passage(section, heading, text, tokens, cues)

        for entry in page.faq:
            yield passage("faq", entry.question, entry.answer, entry.question)
        if page.steps:
            text = "\n".join(f"{n}. {item.text}" for n, item in enumerate(page.steps, 1))
            yield passage("how_to", SECTION_TITLES["how_to"], text, "")
        for section, items in (("tips", page.tips), ("mistakes", page.mistakes)):
            if items:
                text = "\n".join(f"- {item.text}" for item in items)
                yield passage(section, SECTION_TITLES[section], text, "")
        if page.summary:
            yield passage("quick", SECTION_TITLES["quick"], page.summary, "")
        labelled = page.attributes.labelled()
        if labelled:
            text = "\n".join(f"- **{label}:** {value}" for label, value in labelled)
            yield passage("attributes", SECTION_TITLES["attributes"], text, "")

    # -- answering ---------------------------------------------------------------------------

    def answer(self, question: str) -> Result:
        tokens = self.normaliser.tokens(question[:2000], correct=True)
        content = list(dict.fromkeys(self._content(tokens)))
        if not content:
            return Result(question, None, ())
        pages = self._score_pages(content)
        if not pages:
            return Result(question, None, ())
        cue_strength = self._cue_strength(tokens)
        unknown = sum(1 for token in content if token not in self.normaliser.known)
        # Unknown words that are not exercise words dilute confidence (gibberish, other topics).
        penalty = 1.0 - 0.5 * unknown / len(content)

        if self._asks_for_list(tokens, pages):
            return self._list_answer(question, content, pages, penalty)

        scored: list[tuple[float, _PageScore, _Passage]] = []
        for page_score in pages[:PAGES_TO_READ]:
            best = max(
                page_score.entry.passages,
                key=lambda p, ps=page_score: self._passage_fit(p, content, cue_strength, ps.entry),
                default=None,
            )
            if best is None:
                continue
            fit = self._passage_fit(best, content, cue_strength, page_score.entry)
            score = page_score.score * (1 - PASSAGE_SHARE + PASSAGE_SHARE * fit) * penalty
            scored.append((score, page_score, best))
        scored.sort(key=lambda item: -item[0])
        if not scored:
            return Result(question, None, ())
        matches = [self._match(entry.entry, passage, score) for score, entry, passage in scored]
        best = matches[0]
        if best.score >= self.min_confidence:
            floor = max(ALTERNATIVE_FLOOR, best.score / 2)
            others = [match for match in matches[1:] if match.score >= floor]
            return Result(question, best, tuple(others[:MAX_ALTERNATIVES]))
        suggestions = tuple(
            m for m in matches[:MAX_SUGGESTIONS] if m.score >= self.min_confidence / 2
        )
        return Result(question, None, suggestions)

    def _score_pages(self, content: list[str]) -> list[_PageScore]:
        exercise_words = [t for t in content if t in self.name_weight or t in self.attribute_weight]
        unknown = [t for t in content if t not in self.normaliser.known]
        asked_weight = sum(
            self._word_weight(t) for t in exercise_words
        ) + self.unknown_weight * len(unknown)
        if asked_weight == 0:
            return []
        asked = set(exercise_words)
        candidates = {i for token in asked for i in self.by_token.get(token, ())}
        results = []
        for position in candidates:
            entry = self.entries[position]
            best: _PageScore | None = None
            for variant in entry.variants:
                said = variant & asked
                name_total = sum(self.name_weight[t] for t in variant)
                said_weight = sum(self.name_weight[t] for t in said)
                from_attributes = sum(
                    ATTRIBUTE_MATCH_SHARE * self._word_weight(t)
                    for t in (asked & entry.attribute_tokens) - said
                )
                name_coverage = said_weight / name_total if name_total else 0.0
                question_coverage = min(1.0, (said_weight + from_attributes) / asked_weight)
                # What was said must be explained; a name word left unsaid costs less, since
                # people often leave out variant words.
                score = name_coverage**NAME_EXPONENT * question_coverage ** (1 - NAME_EXPONENT)
                if best is None or score > best.score:
                    best = _PageScore(entry, score, name_coverage, question_coverage)
            if best is not None and best.score > 0:
                results.append(best)
        results.sort(key=lambda s: (-s.score, s.entry.page.slug))
        return results

    def _word_weight(self, token: str) -> float:
        return self.name_weight.get(token) or self.attribute_weight.get(token, 0.0)

    def _cue_strength(self, tokens: list[str]) -> dict[str, float]:
        strength: dict[str, float] = {}
        for section, cue_words in self.cues.items():
            total = sum(
                WEAK_CUE if token in self.vocabulary.weak_cues else STRONG_CUE
                for token in set(tokens)
                if token in cue_words
            )
            if total:
                strength[section] = min(1.0, total)
        return strength

    def _passage_fit(
        self, passage: _Passage, content: list[str], cues: dict[str, float], entry: _PageEntry
    ) -> float:
        if passage.section == "faq":
            asked = set(content) - entry.name_tokens
            overlap = asked & passage.tokens
            if not overlap:
                similarity = 0.0
            else:
                weight = self.passage_weight
                shared = sum(weight.get(t, 0.0) ** 2 for t in overlap)
                norm = math.sqrt(
                    sum(weight.get(t, self.unknown_weight) ** 2 for t in asked)
                    * sum(weight.get(t, 0.0) ** 2 for t in passage.tokens)
                )
                similarity = shared / norm if norm else 0.0
            cue_bonus = max((cues.get(section, 0.0) for section in passage.cues), default=0.0)
            return min(1.0, similarity + 0.3 * cue_bonus * (similarity > 0))
        fit = SECTION_PRIOR.get(passage.section, 0.0)
        if (
            passage.section == "quick"
            and not cues
            and not set(content) - entry.name_tokens - entry.attribute_tokens
        ):
            return 1.0  # only an exercise was named: its overview is the answer
        if passage.section in cues:
            fit = max(fit, 0.85 * cues[passage.section])
        return fit

    def _asks_for_list(self, tokens: list[str], pages: list[_PageScore]) -> bool:
        if not set(tokens) & self.vocabulary.list_words:
            return False
        return pages[0].name_coverage < 0.75

    def _list_answer(
        self, question: str, content: list[str], pages: list[_PageScore], penalty: float
    ) -> Result:
        asked = set(content)
        ranked = sorted(
            pages,
            key=lambda s: (-s.question_coverage, -s.score, s.entry.page.slug),
        )
        top = [s for s in ranked if s.question_coverage >= 0.99 * ranked[0].question_coverage]
        top = top[:LIST_SIZE] if top else ranked[:LIST_SIZE]
        confidence = ranked[0].question_coverage * penalty
        lines = []
        links: list[Link] = []
        for item in top:
            page = item.entry.page
            detail = ", ".join(
                v for v in (page.attributes.equipment, page.attributes.target_muscle) if v
            )
            lines.append(f"- **{page.name}**" + (f" ({detail})" if detail else ""))
            if page.url:
                links.append(Link(page.name, page.url))
            for link in page.related:
                link_words = set(self.normaliser.tokens(link.title))
                if link_words & asked and link.url not in {known.url for known in links}:
                    links.append(link)
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
        alternatives = tuple(
            self._match(item.entry, item.entry.passages[0], item.score * penalty)
            for item in top[1 : 1 + MAX_ALTERNATIVES]
            if item.entry.passages
        )
        if confidence >= self.min_confidence:
            return Result(question, answer, alternatives)
        return Result(question, None, alternatives[:MAX_SUGGESTIONS])

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
            return [
                entry.page for entry in sorted(self.entries, key=lambda e: e.page.name.lower())
            ][:limit]
        hits = process.extract(
            prefix,
            self.choice_names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=limit * 3,
            score_cutoff=50,
        )
        seen: dict[int, None] = {}
        for _, _, position in hits:
            seen.setdefault(self.choice_owner[position], None)
            if len(seen) == limit:
                break
        return [self.entries[i].page for i in seen]

    def lookup(self, name: str) -> tuple[Page | None, list[Page]]:
        """An exercise by slug or (fuzzy) name: (the page, None) or (None, closest pages)."""
        key = name.strip().lower()
        if key in self.by_slug:
            return self.by_slug[key].page, []
        hits = process.extract(
            name, self.choice_names, scorer=fuzz.WRatio, processor=utils.default_process, limit=10
        )
        if not hits:
            return None, []
        owners = list(dict.fromkeys(self.choice_owner[i] for _, _, i in hits))
        top_score = hits[0][1]
        runner_up = next((s for _, s, i in hits if self.choice_owner[i] != owners[0]), 0.0)
        if top_score >= 95 or (top_score >= 85 and top_score - runner_up >= 8):
            return self.entries[owners[0]].page, []
        return None, [self.entries[i].page for i in owners[:MAX_SUGGESTIONS]]

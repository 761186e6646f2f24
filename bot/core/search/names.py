"""Exercises by name: autocomplete, and what a typed name finds (one page, several, or the
nearest names), read with the same typo-tolerant words the engine answers with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.core.model import Page
from bot.core.search.entries import PageEntry
from bot.core.search.name_scoring import NameScorer
from bot.core.search.query import QueryReader
from bot.core.search.tuning import LOOKUP_CUTOFF, NEAREST_NAMES, NEAREST_SHARE


@dataclass(frozen=True, slots=True)
class NameMatch:
    """What a typed exercise name finds: one page, several that it fits equally ("calf"),
    or, when no page has that name, the nearest names."""

    page: Page | None = None
    matches: tuple[Page, ...] = ()  # every page whose name holds all the typed words
    nearest: tuple[Page, ...] = ()


class NameLookup:
    def __init__(
        self, entries: Sequence[PageEntry], reader: QueryReader, scorer: NameScorer
    ) -> None:
        self.entries = entries
        self.reader = reader
        self.scorer = scorer
        self.by_slug = {entry.page.slug: entry for entry in entries}
        # One choice per name or alias.
        self.choice_names: list[str] = []
        self.choice_owner: list[int] = []
        for position, entry in enumerate(entries):
            for name in (entry.page.name, *entry.page.aliases):
                self.choice_names.append(name)
                self.choice_owner.append(position)

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

    def find(self, name: str) -> NameMatch:
        """An exercise by slug, by name or alias (typos forgiven), or by the words of its
        name: one page; or every page whose name holds all the words ("calf": each calf raise);
        or, when none does, the nearest names."""
        key = name.strip().lower()
        if key in self.by_slug:
            return NameMatch(self.by_slug[key].page)
        query = self.reader.read(name)
        asked = frozenset(query.content)
        named, exact, containing = self._holding(asked)
        for found in (named, exact, containing):  # its own name, then an alias, then part
            if len(found) == 1:
                return NameMatch(found[0])
        if containing:
            return NameMatch(matches=tuple(named or exact or containing))
        # A word no name or attribute uses ("cable fly") names an exercise the library does
        # not have: then only a near-exact spelling is that page.
        scorer = self.scorer
        foreign = any(
            word not in scorer.name_weight and word not in scorer.attribute_weight for word in asked
        )
        winner, close = self._fuzzy(name, sure=95 if foreign else 85)
        if winner is not None:
            return NameMatch(winner)
        # Nothing by that name: the pages its known words name best, as /ask would read them;
        # failing that, the names spelled most alike.
        scores = [score for score in self.scorer.score(query).ranked if score.score > 0]
        floor = NEAREST_SHARE * scores[0].score if scores else 0.0
        scored = [score.entry.page for score in scores if score.score >= floor]
        return NameMatch(nearest=tuple((scored or close)[:NEAREST_NAMES]))

    def _holding(self, asked: frozenset[str]) -> tuple[list[Page], list[Page], list[Page]]:
        """Pages whose own name is exactly these words, whose name or an alias is, and whose
        name or an alias holds them all; the closest to the typed words first (fewest other
        name words), then by name."""
        if not asked:
            return [], [], []
        scorer = self.scorer
        if any(word not in scorer.name_postings for word in asked):
            return [], [], []
        variants = set.intersection(*(set(scorer.name_postings[w].tolist()) for w in asked))
        extra: dict[int, int] = {}  # page -> fewest name words beyond the typed ones
        named: set[int] = set()
        for variant in variants:
            position = int(scorer.variant_page[variant])
            words = scorer.variant_words[variant]
            more = len(words - asked)
            extra[position] = min(extra.get(position, more), more)
            if not more and words == self.entries[position].variants[0]:
                named.add(position)
        order = sorted(extra, key=lambda p: (extra[p], self.entries[p].page.name.lower()))
        pages = [self.entries[position].page for position in order]
        return (
            [self.entries[position].page for position in order if position in named],
            [self.entries[position].page for position in order if extra[position] == 0],
            pages,
        )

    def _fuzzy(self, name: str, sure: float) -> tuple[Page | None, list[Page]]:
        """Spelling as typed: (a clear winner, by the rule RoboDanny's fuzzy module uses;
        else None, and the names that come close)."""
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
        if top_score >= 95 or (top_score >= sure and top_score - runner_up >= 8):
            return self.entries[owners[0]].page, []
        return None, [self.entries[i].page for i in owners]

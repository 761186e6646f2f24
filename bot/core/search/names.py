"""Exercises by name: autocomplete and lookup (fuzzy, one choice per exercise)."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from bot.core.model import Page
from bot.core.search.entries import PageEntry
from bot.core.search.tuning import LOOKUP_CUTOFF, MAX_SUGGESTIONS


class NameLookup:
    def __init__(self, entries: Sequence[PageEntry]) -> None:
        self.entries = entries
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

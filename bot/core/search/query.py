"""Reading a question: plain words, tokens, parts ("X or Y"), what it asks (intents), which words
may name an exercise, and which words no page uses."""

from __future__ import annotations

import math
from collections.abc import Iterable

from bot.core.questions import question_text
from bot.core.search.entries import Query
from bot.core.search.text import Normaliser, Vocabulary
from bot.core.search.tuning import (
    SEPARATORS,
    SPECIFIC_INTENTS,
    STRONG_CUE,
    WEAK_CUE,
)


def intent_strengths(tokens: Iterable[str], vocabulary: Vocabulary) -> dict[str, float]:
    """How strongly the words ask each intent (0..1): a strong cue word says it, weak ones hint."""
    present = vocabulary.cue_words.intersection(tokens)
    if not present:
        return dict.fromkeys((intent.name for intent in vocabulary.intents), 0.0)
    strength: dict[str, float] = {}
    for intent in vocabulary.intents:
        total = math.fsum(
            WEAK_CUE if token in vocabulary.weak_cues else STRONG_CUE
            for token in present & intent.cues
        )
        strength[intent.name] = min(1.0, total)
    # "how wide should my grip be" asks about the grip, not for the steps.
    if any(strength.get(name, 0.0) >= 0.9 for name in SPECIFIC_INTENTS):
        strength["how_to"] = strength.get("how_to", 0.0) * 0.6
    return strength


class QueryReader:
    """Turns a question into a `Query`, with the library's words (typos corrected to them)."""

    def __init__(
        self,
        normaliser: Normaliser,
        name_weight: dict[str, float],
        attribute_weight: dict[str, float],
        name_pairs: frozenset[tuple[str, str]],
    ) -> None:
        self.normaliser = normaliser
        self.vocabulary = normaliser.vocabulary
        self.stopwords = self.vocabulary.stopwords
        self.name_weight = name_weight
        self.attribute_weight = attribute_weight
        self.name_pairs = name_pairs
        # Words that say what is asked ("muscles", "exercises") and particles ("up") are name
        # evidence only beside a partner word of the same name ("muscle up", "exercise ball").
        vocabulary = self.vocabulary
        self.question_words = vocabulary.cue_words | vocabulary.list_words | vocabulary.particles

    def read(self, question: str) -> Query:
        text = question_text(question)
        tokens = self.normaliser.tokens(text, correct=True)
        segments: list[list[str]] = [[]]
        for token in tokens:
            if token in SEPARATORS:
                segments.append([])
            if token not in self.stopwords:
                segments[-1].append(token)
        whole = [token for token in tokens if token not in self.stopwords]
        content = list(dict.fromkeys(whole))
        unknown = {token for token in content if token not in self.normaliser.known}
        strengths = intent_strengths(tokens, self.vocabulary)
        intents = {name: value for name, value in strengths.items() if value}
        parts = [segment for segment in segments if segment]
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

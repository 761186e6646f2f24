"""Exercises the library lacks: "how do I do a copenhagen plank?" asked of a library with a
Plank page and no Copenhagen plank.

The vocabulary lists well-known exercises (`known_exercises`), each with the other names it
goes by ("pec deck | butterfly | machine fly"). One is missing from a library when none of its
names is a page's: no page's name or alias holds all of its words, or spells it run together
("skullcrusher" for "skull crusher"). A question that names a missing exercise asks about
something the library cannot answer. The engine answers it only from a page that names that
exercise too (an FAQ "Is the Z press harder than the overhead press?"), or that the question
names by itself besides, when it compares nothing ("how do I do the split jerk, I have only
done push jerks"); otherwise it abstains with suggestions. Such a question is never a
follow-up of the previous answer either.

A name that is also an everyday phrase ("good morning", "push up through your heels") is
marked `~` in the vocabulary and names the exercise only when written as a noun: in the
plural ("good mornings") or hyphenated ("push-up").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.search.text import Normaliser, words

EVERYDAY = "~"
SYNONYM = "|"

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Exercise:
    """A well-known exercise: each of its names as index words."""

    names: tuple[Phrase, ...]


def known_forms(line: str) -> tuple[bool, list[str]]:
    """A `known_exercises` line: is its name an everyday phrase too, and each of its names."""
    forms = [form.strip() for form in line.removeprefix(EVERYDAY).split(SYNONYM)]
    return line.startswith(EVERYDAY), [form for form in forms if form]


@dataclass(frozen=True)
class Named:
    """The missing exercises a question names, and its words besides those names."""

    exercises: tuple[Exercise, ...]
    rest: frozenset[str]


NOTHING_MISSING = Named((), frozenset())


class MissingExercises:
    """The well-known exercises one library lacks, and how to find them in a question."""

    def __init__(
        self,
        known: Iterable[str],
        names: Iterable[str],
        variants: Iterable[frozenset[str]],
        normaliser: Normaliser,
    ) -> None:
        self.normaliser = normaliser
        self.stopwords = normaliser.vocabulary.stopwords
        self._last: tuple[str, Named] | None = None
        variants = list(variants)
        # Every name and alias run together: "ezbarskullcrusher" holds "skullcrusher".
        joined = " ".join("".join(words(name)) for name in names)

        # Only a variant holding a phrase's first word can hold the whole phrase.
        variants_by_word: dict[str, list[frozenset[str]]] = {}
        for variant in variants:
            for word in variant:
                variants_by_word.setdefault(word, []).append(variant)

        def present(name: str, phrase: Phrase) -> bool:
            return "".join(words(name)) in joined or any(
                set(phrase) <= v for v in variants_by_word.get(phrase[0], ())
            )

        self.by_first_word: dict[str, list[tuple[Phrase, Exercise]]] = {}
        self.as_nouns: list[tuple[re.Pattern[str], Exercise]] = []
        for line in known:
            everyday, forms = known_forms(line)
            phrases = [self.content(form) for form in forms]
            if any(present(f, p) for f, p in zip(forms, phrases, strict=True) if p):
                continue
            exercise = Exercise(tuple(p for p in phrases if p))
            for form, phrase in zip(forms, phrases, strict=True):
                if not phrase:
                    continue
                if everyday:
                    self.as_nouns.append((_noun_pattern(words(form)), exercise))
                else:
                    self.by_first_word.setdefault(phrase[0], []).append((phrase, exercise))
        # Most questions name none of the everyday names: one search tells (not one a name).
        self.any_noun: re.Pattern[str] | None = None
        if self.as_nouns:
            self.any_noun = re.compile("|".join(f"(?:{p.pattern})" for p, _ in self.as_nouns))

    def content(self, text: str) -> Phrase:
        """A text's words as the index keeps them (stemmed, no typo corrected), stopwords out."""
        return tuple(t for t in self.normaliser.tokens(text) if t not in self.stopwords)

    def named(self, text: str) -> Named:
        """The missing exercises a question names. A follow-up asks this twice of one text
        (reading it, then checking the answer covers it): the last answer is kept."""
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        named = self._find(text)
        self._last = (text, named)  # one assignment: safe across threads
        return named

    def _find(self, text: str) -> Named:
        found: list[Exercise] = []
        lowered = text.lower()
        if self.any_noun is not None and self.any_noun.search(lowered):
            for pattern, exercise in self.as_nouns:
                if pattern.search(lowered):
                    found.append(exercise)
                    lowered = pattern.sub(" ", lowered)
        if not found and not self.by_first_word:
            return NOTHING_MISSING
        tokens = self.content(lowered)
        covered = [False] * len(tokens)
        for start, token in enumerate(tokens):
            for phrase, exercise in self.by_first_word.get(token, ()):
                end = start + len(phrase)
                if tokens[start:end] == phrase:
                    found.append(exercise)
                    covered[start:end] = [True] * len(phrase)
        if not found:
            return NOTHING_MISSING
        rest = frozenset(t for t, gone in zip(tokens, covered, strict=True) if not gone)
        return Named(tuple(dict.fromkeys(found)), rest)

    @staticmethod
    def mentioned(exercise: Exercise, documents: Iterable[Sequence[str]]) -> bool:
        """Does any of these passages (their word sequences) name the exercise?"""
        return any(
            tuple(document[n : n + len(name)]) == name
            for document in documents
            for name in exercise.names
            for n in range(len(document) - len(name) + 1)
        )


def _noun_pattern(name_words: list[str]) -> re.Pattern[str]:
    """ "good morning" -> good mornings, good-morning(s); not "good morning all"."""
    *head, last = (re.escape(word) for word in name_words)
    spaced = r"[\s-]+".join([*head, last + r"e?s"])
    hyphenated = "-".join([*head, last]) + r"(?:e?s)?"
    return re.compile(rf"\b(?:{spaced}|{hyphenated})\b")

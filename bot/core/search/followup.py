"""Follow-up questions: "and how many reps?" asked right after an answer about an exercise.

A follow-up is read as if the previous answer's exercise (the context page) had been named in
it, and then ranked like any other question: the context changes how the question is read,
never the ranking. A question is read so only when it is a follow-up:

1. *It names no exercise itself.* A whole name or alias ("what about deadlifts?"), a word the
   library does not know right before a name word ("zercher squat": one it lacks), a request
   for a list ("glute exercises", "calfs with band?"), a comparison of two named exercises, or
   a name word that neither the context's name nor a version of its exercise has ("and
   lunges?" after a goblet squat), or a muscle or body part said right before an implement
   ("which leg machines should I use" names a kind of exercise) start fresh. Equipment,
   muscles and everyday words that are also in names ("with a kettlebell", "how high should
   the box be?" after a step-up, "how do I do one?") name none, unless an implement is said
   right before such a word ("barbell or dumbbell bench?" after a dumbbell row names the
   bench press). A question that names the context's exercise best by itself needs no
   context.
2. *It asks something the context page can answer.* It reads as a question, or says a
   question word ("tips") or a word of the library; and every word it asks about, besides
   question words and everyday ones ("knees", "better"), is on the context page, or on the
   version it moves to, as written. "cool", "thanks man", "how much sleep do I need" or a
   typo corrected into a page's word are no questions about the exercise.

Read with the context, the context page's name words are added to the question's. A version
of the context's exercise is a page whose name is the context's name words plus the
question's new ones ("Dumbbell Curl" after "Barbell Curl" and "with dumbbells?"), sharing
more with it than a particle or equipment (the Pull-Up is no version of the Push-Up, nor the
Barbell Row of a Barbell Skull Crusher): then only the name
words the version shares with the context are added, so that the new words pick the version.
Without one, the whole name is added and the answer stays on the page ("what about with a
kettlebell?" after a goblet squat). A comparison keeps the whole name: it is one side.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.core.questions import looks_like_question
from bot.core.search.entries import PageEntry, PageScore, Query
from bot.core.search.missing import MissingExercises
from bot.core.search.passages import Documents
from bot.core.search.query import compares
from bot.core.search.text import Normaliser, stem

WHOLE_NAME = 1.0 - 1e-9  # a name coverage this high: every word of a name or alias was said
# Words a follow-up uses for the exercise it is about: "how do I do one?", "the seated version".
REFERRING = frozenset(stem(w) for w in ("one", "version", "variant", "variation", "kind", "type"))
PAGE_WORDS_CACHE = 512


class FollowUpReader:
    """Reads a question with a context page; built once per library."""

    def __init__(
        self,
        entries: Sequence[PageEntry],
        documents: Documents,
        normaliser: Normaliser,
        name_weight: dict[str, float],
        attribute_weight: dict[str, float],
        name_pairs: frozenset[tuple[str, str]],
        missing: MissingExercises,
    ) -> None:
        self.missing = missing
        self.documents = documents  # every passage's words, page by page (building.py)
        self.normaliser = normaliser
        vocabulary = normaliser.vocabulary
        self.list_words = vocabulary.list_words
        self.particles = vocabulary.particles
        # Words of any question: the context page need not have them, and they name nothing.
        self.everyday = vocabulary.cue_words | vocabulary.common_words | vocabulary.stopwords
        self.name_weight = name_weight
        self.attribute_weight = attribute_weight
        self.name_pairs = name_pairs
        self.passages: dict[str, range] = {}
        pages_by_name_word: dict[str, list[PageEntry]] = defaultdict(list)
        start = 0
        for entry in entries:
            self.passages[entry.page.slug] = range(start, start + len(entry.passages))
            start += len(entry.passages)
            for token in sorted(entry.name_tokens):
                pages_by_name_word[token].append(entry)
        self.pages_by_name_word = dict(pages_by_name_word)
        self.equipment = frozenset(
            token
            for entry in entries
            for token in normaliser.tokens(entry.page.attributes.equipment)
            if token in attribute_weight
        )
        # A plain dict, not lru_cache around a bound method: that would be a reference cycle,
        # and an unused library would wait for a full garbage collection to be freed.
        self._page_words_cache: dict[str, frozenset[str]] = {}

    def read(
        self, query: Query, pages: list[PageScore], context: PageEntry, *, listing: bool
    ) -> Query | None:
        """The question as if the context's name had been said in it; None when it is no
        follow-up of the context (see the module). `listing`: read alone, it asks for a list
        of exercises."""
        if listing:
            if query.attributes - self.equipment:
                return None  # "calfs with band?" asks for exercises; "with dumbbells?" need not
        elif pages and pages[0].entry is context and pages[0].score > 0:
            return query  # it names the context's exercise best by itself
        if self._names_an_exercise(query, pages, context) or self._names_a_kind(query, context):
            return None
        new = query.names - context.name_tokens
        versions = [] if compares(query) or not new else self._versions(context, new)
        if not self._answerable(query, [context.page.slug, *(slug for slug, _ in versions)]):
            return None
        whole = sorted(context.variants[0] if context.variants else context.name_tokens)
        shared = frozenset().union(*(rest for _, rest in versions))
        words = [token for token in whole if token in shared] or whole
        added = [token for token in words if token not in query.content]
        if not added:
            return query
        # "one" of "diamond ones" stood for the name that is now said.
        said = self._said(query.content, query, context)
        gone = {t for t in query.content if t in REFERRING and t not in said}
        return replace(
            query,
            tokens=[*query.tokens, *added],
            content=[*(t for t in query.content if t not in gone), *added],
            segments=[
                [*(t for t in query.segments[0] if t not in gone), *added],
                *query.segments[1:],
            ],
            names=(query.names - gone) | {t for t in added if t in self.name_weight},
            attributes=query.attributes | {t for t in added if t in self.attribute_weight},
        )

    # -- 1. does it name an exercise itself? -------------------------------------------------

    def _said(self, tokens: Iterable[str], query: Query, context: PageEntry) -> set[str]:
        """The name words said that may point at an exercise: not an everyday word the
        context page uses ("box" after a step-up) unless an implement names it with it
        ("dumbbell bench"), nor "one" or "version" without the word they name with
        ("one arm")."""
        page = self.page_words(context.page.slug)
        sequence = query.segments[0]
        said = set()
        for token in tokens:
            if token not in query.names:
                continue
            index = sequence.index(token) if token in sequence else -1
            before = sequence[index - 1] if index > 0 else ""
            if token in self.everyday and token in page and before not in self.equipment:
                continue
            if token in REFERRING:
                after = sequence[index + 1] if 0 <= index < len(sequence) - 1 else ""
                if (before, token) not in self.name_pairs and (token, after) not in self.name_pairs:
                    continue
            said.add(token)
        return said

    def _names_an_exercise(self, query: Query, pages: list[PageScore], context: PageEntry) -> bool:
        if self.list_words.intersection(query.content) or self.missing.named(query.text).exercises:
            return True
        if compares(query):
            return self._compares_two(query, context)
        if any(score.name_coverage >= WHOLE_NAME for score in pages):
            return True
        for before, after in itertools.pairwise(query.segments[0]):
            if before in query.unknown and after in query.names:
                return True
        said = self._said(query.content, query, context)
        new = said - context.name_tokens
        if not new:
            return False
        # Part of the context's name and a word of another's: "cable row" after a barbell row.
        if said & context.name_tokens and any(
            said <= entry.name_tokens and entry is not context
            for entry in self.pages_by_name_word.get(min(new), ())
        ):
            return True
        naming = {token for token in new if token not in self.attribute_weight}
        return bool(naming) and not self._versions(context, naming)

    def _names_a_kind(self, query: Query, context: PageEntry) -> bool:
        """A muscle or body part right before an implement names a kind of exercise ("which
        leg machines should I use", "chest cable stuff"), unless the context's name has it."""
        return any(
            first in self.attribute_weight
            and first not in self.equipment
            and first not in context.name_tokens
            and second in query.implements
            for first, second in itertools.pairwise(query.segments[0])
        )

    def _compares_two(self, query: Query, context: PageEntry) -> bool:
        """Does a comparison name both of its sides ("X or Y", "is X as good as Y"), or say
        two sides itself and a name word the context lacks ("barbell or dumbbell bench"
        after a dumbbell row)?"""
        sides = [self._said(part, query, context) for part in query.segments[1:]]
        parts = [side - self.attribute_weight.keys() for side in sides]
        if sum(bool(part) for part in parts) >= 2:
            return True
        if sum(bool(side) for side in sides) >= 2 and set().union(*parts) - context.name_tokens:
            return True
        said = self._said(query.content, query, context) - self.attribute_weight.keys()
        return bool(said) and not any(
            said <= entry.name_tokens
            for token in sorted(said)
            for entry in self.pages_by_name_word.get(token, ())
        )

    def _versions(self, context: PageEntry, new: set[str]) -> list[tuple[str, frozenset[str]]]:
        """Other pages whose name is the context's name words plus some of `new`: (slug, the
        name without the new words), e.g. Dumbbell Curl, "curl" after Barbell Curl. Sharing
        only a particle or equipment is not enough: the Pull-Up is no version of the Push-Up,
        nor a "barbell row" of the Barbell Skull Crusher."""
        found: list[tuple[str, frozenset[str]]] = []
        seen = {context.page.slug}
        for token in sorted(new):
            for entry in self.pages_by_name_word.get(token, ()):
                if entry.page.slug in seen:
                    continue
                for variant in entry.variants:
                    rest = variant - new
                    shares = rest - self.particles - self.equipment
                    if token in variant and shares and rest <= context.name_tokens:
                        seen.add(entry.page.slug)
                        found.append((entry.page.slug, rest))
                        break
        return found

    # -- 2. can the context answer it? -------------------------------------------------------

    def _answerable(self, query: Query, slugs: list[str]) -> bool:
        asked = [
            token
            for token in query.content
            if token not in self.everyday
            and token not in REFERRING
            and (token not in query.names or token in self.attribute_weight)
        ]
        if not asked:
            # Everyday words ask something only as a question ("can I do them every day?"),
            # or with a question word or a name; "cool" asks nothing.
            return bool(query.intents or query.names) or looks_like_question(query.text)
        as_written = set(self.normaliser.tokens(query.text))  # without typo corrections
        words = frozenset().union(*(self.page_words(slug) for slug in slugs))
        return all(token in as_written and token in words for token in asked)

    def page_words(self, slug: str) -> frozenset[str]:
        """Every word of a page's passages, as indexed (the last PAGE_WORDS_CACHE kept)."""
        found = self._page_words_cache.get(slug)
        if found is None:
            found = self.documents.words_of(self.passages[slug])
            if len(self._page_words_cache) >= PAGE_WORDS_CACHE:
                self._page_words_cache.pop(next(iter(self._page_words_cache)))
            self._page_words_cache[slug] = found
        return found

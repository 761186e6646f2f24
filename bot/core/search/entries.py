"""What the engine keeps per page and per passage, and what it reads from a question."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from bot.core.model import Page
from bot.core.search.result import Match


@dataclass(frozen=True, slots=True)
class Passage:
    section: str
    heading: str
    text: str
    # The distinct words of an FAQ question (its opening "how" aside) and of its answer, as
    # tuples: a set of a dozen words takes seven times the memory, and the engine only
    # intersects them with the question's few words (set.intersection takes any iterable).
    tokens: tuple[str, ...]
    intents: frozenset[str]  # intents an FAQ question carries
    answer_tokens: tuple[str, ...] = ()
    length: int = 0  # content words, the page's name included (what BM25 indexed)
    without: tuple[str, ...] = ()  # what an FAQ question goes without ("... without a machine?")


@dataclass(slots=True)
class PageEntry:
    page: Page
    variants: list[frozenset[str]]  # name and aliases as token sets
    name_tokens: frozenset[str]
    attribute_tokens: frozenset[str]
    secondary_tokens: frozenset[str]  # secondary muscles only
    passages: list[Passage]
    plain_words: frozenset[str] = frozenset()  # name words a plain mention leaves out
    plain_implements: frozenset[str] = frozenset()  # ... that say what it is done with
    # Its choices (vocabulary `choices`): the words of them its name or equipment says.
    choices: frozenset[str] = frozenset()

    @property
    def own_name(self) -> frozenset[str]:
        """The words of its name (or first alias): what a question says to name it."""
        return self.variants[0] if self.variants else frozenset()

    def name_said(self, asked: Set[str]) -> frozenset[str]:
        """The words that name it as a question says it: its own name, or, where the question
        says none of that, the alias it says most of ("skull crushers grip width" names the
        Lying Triceps Press by its alias Skull Crusher). A said own name is kept even where an
        alias holds more: "EZ bar skull crusher" must not swallow what "skull crusher, ez bar
        or straight?" asks."""
        own = self.own_name
        if not own.isdisjoint(asked) or len(self.variants) < 2:
            return own
        alias = max(self.variants[1:], key=lambda words: len(words & asked))
        return alias if not alias.isdisjoint(asked) else own

    def plain_given(self, implements: frozenset[str]) -> frozenset[str]:
        """The name words a plain mention leaves out, for a question that names these
        implements: naming only others says it is not this page's ("dumbbell rows" leave out
        the "barbell" of the Barbell Row)."""
        if implements and self.plain_implements and not implements & self.name_tokens:
            return self.plain_words - self.plain_implements
        return self.plain_words


@dataclass(slots=True)
class PageScore:
    entry: PageEntry
    score: float
    name_coverage: float
    question_coverage: float
    list_coverage: float


@dataclass(slots=True)
class Query:
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
    # Words of an exercise the question sets aside ("not the lunge one"): they name nothing,
    # and a page whose name has them is less likely meant.
    set_aside: frozenset[str] = frozenset()
    asks: str | None = None  # the kind of answer it wants (query.answer_kind), typos corrected
    # Everyday English words no page uses, away from any name word ("i *heard* that ..."): not
    # unknown, which are the words that may name an exercise the library lacks.
    everyday: frozenset[str] = frozenset()
    implements: frozenset[str] = frozenset()  # what it says a lift is done with (vocabulary)
    negates: bool = False  # it says "not", "without", "nobody", "instead" (query.NEGATIONS)
    choices: frozenset[str] = frozenset()  # the words of vocabulary `choices` it says
    # In a message that tells and asks ("my back rounds at the bottom. how do i fix that?"),
    # the content words of the sentences that ask; empty when that is all of it, or too little.
    asking: frozenset[str] = frozenset()


def to_match(entry: PageEntry, passage: Passage, score: float) -> Match:
    page = entry.page
    return Match(
        page.slug, page.name, passage.section, passage.heading, passage.text, score, page.links
    )

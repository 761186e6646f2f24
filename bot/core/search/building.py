"""Building the index of a library: every page's names, attribute words and passages as tokens,
the idf weights, and the question-side normaliser that knows the library's own words.

Runs once per library (at start and on reload), so it is written to allocate little and to do
each piece of work once: each text is split into words once, and the words join the library's
vocabulary on the way; each word is expanded and stemmed once (`WordCache`); a text pages repeat
(a list item, an attribute value) is read once, and a section is the pieces it is made of.
"""

from __future__ import annotations

import itertools
import math
import operator
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.loader import KnowledgeBase
from bot.core.model import SECTION_TITLES, Attributes, Page
from bot.core.search.entries import PageEntry, Passage
from bot.core.search.missing import known_forms
from bot.core.search.passages import Documents, DocumentsBuilder
from bot.core.search.query import answer_kind, intent_strengths
from bot.core.search.text import Normaliser, Vocabulary, WordCache, stem, words
from bot.core.search.tuning import HOW_OPENER, SEPARATORS

NOTHING: frozenset[str] = frozenset()
FREE_STEP = 1000  # build-time items freed at a time: well under a millisecond
MAX_REPEATED_TEXTS = 1 << 14  # a few MB at most, for one build
MAX_PLAIN_GROUPS = 3  # groups of plain words left out in every combination
# Which intent (vocabulary.yaml) asks each attribute of a page.
ATTRIBUTE_INTENTS = {
    "equipment": "equipment",
    "category": "category",
    "difficulty": "difficulty",
    "body_part": "muscles",
    "target_muscle": "muscles",
    "secondary_muscles": "muscles",
}
# An FAQ is about what its question clearly asks, not every cue word it holds.
FAQ_INTENT_STRENGTH = 0.5
WITHOUT = "without"  # the token of "without", "no" (vocabulary.yaml)
# An FAQ question's content tokens, the distinct ones, its intents, what it goes without.
_FaqQuestion = tuple[list[str], tuple[str, ...], frozenset[str], tuple[str, ...]]
# A text's words and their content tokens: a section's words are its title's, then its items'.
Piece = tuple[Sequence[str], Sequence[str]]
_WORDS, _CONTENT = operator.itemgetter(0), operator.itemgetter(1)


def name_forms(page: Page) -> list[str]:
    """The page's name first, then what else people call it: its aliases, and the name without
    a qualifier ("Barbell Bench Press - Medium Grip", "Box Jump (Multiple Response)")."""
    forms = [page.name, *page.aliases]
    forms += [cut for cut in qualifier_cuts(page.name) if cut not in forms]
    return forms


def _called(entries: list[PageEntry]) -> dict[frozenset[str], set[int]]:
    """Each name or alias (as its words) -> the positions of the pages called by it."""
    called: dict[frozenset[str], set[int]] = {}
    for position, entry in enumerate(entries):
        for variant in entry.variants:
            called.setdefault(variant, set()).add(position)
    return called


def qualifier_cuts(name: str) -> list[str]:
    """The name without its qualifier, for each way names mark one."""
    cuts: list[str] = []
    for mark in (" (", " - ", ", "):
        short = name.split(mark, 1)[0].strip()
        if short and short != name and short not in cuts:
            cuts.append(short)
    return cuts


@dataclass(frozen=True)
class BuiltIndex:
    """What a build produces; the engine's parts are made from it."""

    entries: list[PageEntry]  # by slug
    documents: Documents  # every passage's indexed words, in passage order
    name_weight: dict[str, float]  # idf of name words among names
    name_rarity: dict[str, float]  # 1 - log(names holding the word) / log(pages + 1)
    attribute_weight: dict[str, float]  # idf of attribute words among attributes
    passage_weight: dict[str, float]  # idf of words among passages
    unknown_weight: float  # a word no page uses: as telling as the rarest name word
    normaliser: Normaliser  # question side: knows the library's words, corrects typos
    vocabulary_words: frozenset[str]  # words the shipped vocabulary knows
    name_pairs: frozenset[tuple[str, str]]  # adjacent content words of a name or attribute
    joined_in_names: frozenset[tuple[str, str]]  # words an "and"/"or" joins in a name
    # A word of some page's attribute value -> the intents asking that attribute ("cable":
    # equipment): "a machine or a cable thing?" offers a choice of values, so asks which.
    attribute_intents: dict[str, frozenset[str]]


class IndexBuilder:
    """One build of one library; `build()` once."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.stopwords = vocabulary.stopwords
        # The attributes whose intents this vocabulary has (ATTRIBUTE_INTENTS).
        intent_names = {intent.name for intent in vocabulary.intents}
        self._intent_of_attribute = {
            a: i for a, i in ATTRIBUTE_INTENTS.items() if i in intent_names
        }
        self.plain = Normaliser(vocabulary)
        self._word_cache = WordCache(self.plain)
        # The library's own words: stems to match, and words as written to correct typos to;
        # the words of the rest of a page join both (stemmed) once the build has them all.
        self._known: set[str] = set()
        self._surface: set[str] = set()
        self._name_surface: set[str] = set()  # the words of page names, as written
        # (page position, its name without a qualifier that is more than plain words): another
        # name of the page unless another page is called that (_add_distinct_cuts).
        self._cuts: list[tuple[int, frozenset[str]]] = []
        self._remembered: set[str] = set()
        self._documents = DocumentsBuilder()
        # One copy of each intent set and attribute set: a library repeats a few hundred of
        # them across its pages.
        self._interned: dict[frozenset[str], frozenset[str]] = {}
        # Word pairs the library writes side by side (in names and FAQ questions): the only
        # splits of a run-together word; and adjacent content words of names.
        self._pairs: set[tuple[str, str]] = set()
        self._name_pairs: set[tuple[str, str]] = set()
        self._joined_in_names: set[tuple[str, str]] = set()  # "clean and press": clean, press
        self._attribute_values: set[str] = set()
        self._attribute_intents: dict[str, set[str]] = {}
        self._intent_values_read: set[tuple[str, str]] = set()  # (attribute, value): read once
        # A library repeats FAQ entries across pages: each question is read once per build,
        # and the distinct words of a question or an answer are kept once.
        # (A cache of every text's words would cost the build ~100 MB at 10,000 pages.)
        self._faq_questions: dict[str, _FaqQuestion] = {}
        self._answer_words: dict[tuple[str, ...], tuple[str, ...]] = {}
        # Answers read: text -> its number; its content tokens are _answer_tokens[start:end]
        # with (start, end) at _answer_spans[2 * number]. A few large arrays, not a tuple per
        # answer: freed, they leave no scattered memory behind.
        self._faq_answers: dict[str, int] = {}
        self._answer_tokens: list[str] = []
        self._answer_spans = array("q")
        self._answer_distinct: list[tuple[str, ...]] = []
        # Texts pages repeat (list items, attribute values) -> their words, as one copy of each
        # word (`_spellings`): a generated library of 10,000 pages has 146 distinct list items
        # among 89,000.
        self._repeated: dict[str, Piece] = {}
        self._spellings: dict[str, str] = {}
        self._fixed: dict[str, Piece] = {}

    def build(self, kb: KnowledgeBase) -> BuiltIndex:
        pages = sorted(kb.pages.values(), key=lambda page: page.slug)
        entries = [self._entry(page, position) for position, page in enumerate(pages)]
        self._add_distinct_cuts(entries)
        self._add_known_names(entries)
        count = max(len(entries), 1)
        name_df = Counter(token for entry in entries for token in entry.name_tokens)
        rarest = math.log(len(entries) + 1)  # a word one name holds has rarity 1
        attribute_df = Counter(token for entry in entries for token in entry.attribute_tokens)
        # FAQ question words among all passages.
        passage_df = Counter(t for entry in entries for p in entry.passages for t in p.tokens)
        passages = max(sum(len(entry.passages) for entry in entries), 1)
        vocabulary_words, normaliser = self._question_normaliser()
        built = BuiltIndex(
            entries=entries,
            documents=self._documents.build(),
            name_weight={t: math.log(1 + count / df) for t, df in name_df.items()},
            name_rarity={t: 1 - math.log(df) / rarest for t, df in name_df.items()},
            attribute_weight={t: math.log(1 + count / df) for t, df in attribute_df.items()},
            passage_weight={t: math.log(1 + passages / df) for t, df in passage_df.items()},
            unknown_weight=math.log(1 + count),
            normaliser=normaliser,
            vocabulary_words=vocabulary_words,
            name_pairs=frozenset(self._name_pairs),
            joined_in_names=frozenset(self._joined_in_names),
            attribute_intents={
                token: frozenset(intents) for token, intents in self._attribute_intents.items()
            },
        )
        free_in_steps(self._faq_questions)
        free_in_steps(self._answer_words)
        free_in_steps(self._faq_answers)
        free_in_steps(self._answer_tokens)
        free_in_steps(self._answer_distinct)
        free_in_steps(self._repeated)
        free_in_steps(self._spellings)
        free_in_steps(self._fixed)
        return built

    def _entry(self, page: Page, position: int) -> PageEntry:
        own, *aliases = (self._name_content(form) for form in [page.name, *page.aliases])
        plain_groups = self._plain_groups(own)
        plain = self._one_copy(frozenset().union(*plain_groups))
        names = [own, *aliases]  # content tokens, the page's own name first
        own_words = frozenset(own)
        for cut in map(self._name_content, qualifier_cuts(page.name)):
            if own_words - set(cut) <= plain:  # "- Medium Grip" says nothing: the same lift
                names.append(cut)
            elif cut:  # "Squats - With Bands" is a squat; is it the squat? (_add_distinct_cuts)
                self._cuts.append((position, frozenset(cut)))
        # Plain mentions: "Standing Barbell Calf Raise" is what "calf raise" means, and
        # "standing calf raise" and "barbell calf raise" (the whole plain mention last). Of
        # more than a few groups, only all of them are left out.
        fewest = 1 if len(plain_groups) <= MAX_PLAIN_GROUPS else len(plain_groups)
        for count in range(fewest, len(plain_groups) + 1):
            for left_out in itertools.combinations(plain_groups, count):
                unsaid = frozenset().union(*left_out)
                names.append([token for token in own if token not in unsaid])
        variants = list(dict.fromkeys(frozenset(content) for content in names if content))
        attributes = page.attributes
        primary_values = (
            attributes.body_part,
            attributes.equipment,
            attributes.target_muscle,
            attributes.category,
            attributes.difficulty,
        )
        for value in (attributes.equipment, attributes.body_part, attributes.target_muscle):
            if value not in self._attribute_values:  # "Exercise Ball": "exercise" beside "ball"
                self._attribute_values.add(value)
                self._name_pairs.update(itertools.pairwise(_CONTENT(self._repeated_piece(value))))
        self._read_attribute_intents(attributes)
        primary = frozenset(self._content_of_pieces(map(self._repeated_piece, primary_values)))
        secondary_values = attributes.secondary_muscles
        secondary = frozenset(self._content_of_pieces(map(self._repeated_piece, secondary_values)))
        self._known |= primary | secondary
        equipment = _CONTENT(self._repeated_piece(attributes.equipment))
        return PageEntry(
            page,
            variants,
            frozenset().union(*variants),
            self._one_copy(primary | secondary),
            self._one_copy(secondary - primary),
            self._passages(page, own),
            plain,
            self._one_copy(plain & self.vocabulary.implements),
            self._one_copy(self.vocabulary.choice_words & own_words.union(equipment)),
        )

    def _name_content(self, form: str) -> list[str]:
        """A name form's content tokens; they join the library's name vocabulary."""
        tokens = self._analyse(form)
        self._name_surface.update(words(form))
        self._pairs.update(itertools.pairwise(tokens))
        self._joined_in_names.update(
            (before, after)
            for before, joiner, after in zip(tokens, tokens[1:], tokens[2:], strict=False)
            if joiner in SEPARATORS
        )
        content = self._content(tokens)
        self._name_pairs.update(itertools.pairwise(content))
        return content

    def _add_distinct_cuts(self, entries: list[PageEntry]) -> None:
        """A name without its qualifier is another name of the page unless it is what another
        page is called: "squat" is the Barbell Squat, not "Squats - With Bands"; but both
        Turkish get-ups, lunge and squat style, are a "kettlebell turkish get up"."""
        called = _called(entries)
        for position, cut in self._cuts:
            if not called.get(cut, set()) - {position}:
                entries[position].variants.append(cut)

    def _add_known_names(self, entries: list[PageEntry]) -> None:
        """A page called by one of a well-known exercise's names (vocabulary `known_exercises`)
        is called by the others too: "body row" names the Inverted Row. Not where two pages
        share the exercise's names, nor a name another page is called, nor a name of one word
        besides particles ("rollout", "press up"): other pages are a press too."""
        called = _called(entries)
        for line in self.vocabulary.known_exercises:
            forms = known_forms(line)[1]
            contents = [frozenset(self._content_of(words(form))) for form in forms]
            owners = set().union(*(called.get(content, set()) for content in contents))
            if len(owners) != 1:
                continue
            position = owners.pop()
            entry = entries[position]
            for form, content in zip(forms, contents, strict=True):
                if len(content - self.vocabulary.particles) > 1 and content not in called:
                    called[content] = {position}
                    entry.variants.append(frozenset(self._name_content(form)))
                    entry.name_tokens |= entry.variants[-1]

    def _plain_groups(self, name: list[str]) -> list[frozenset[str]]:
        """The words of a name a plain mention leaves out, in the groups it leaves out
        together: each default word (an implement, a posture), a default qualifier with the
        word it qualifies ("Barbell Bench Press - Medium Grip"), and a default phrase ("Bent
        Over")."""
        vocabulary = self.vocabulary
        groups = [frozenset({word}) for word in name if word in vocabulary.default_words]
        groups += [
            frozenset(pair)
            for pair in itertools.pairwise(name)
            if pair[0] in vocabulary.default_qualifiers
        ]
        groups += [
            frozenset(name[i : i + len(phrase)])
            for phrase in vocabulary.default_phrases
            for i in range(len(name) - len(phrase) + 1)
            if tuple(name[i : i + len(phrase)]) == phrase
        ]
        # A qualifier closing the name ("Flat") is plain alone.
        if name and name[-1] in vocabulary.default_qualifiers:
            groups.append(frozenset({name[-1]}))
        return list(dict.fromkeys(groups))

    def _one_copy(self, words: frozenset[str]) -> frozenset[str]:
        return self._interned.setdefault(words, words)

    def _analyse(self, text: str) -> list[str]:
        """A name or FAQ question's tokens; its words and tokens join the library's vocabulary."""
        raw = words(text)
        tokens = self._word_cache.stems(raw)
        self._surface.update(raw)
        self._known.update(tokens)
        return tokens

    def _remember(self, text: str) -> list[str]:
        """The words of the rest of a page: they join the vocabulary as written (typos are
        corrected to them) and stemmed, before any vocabulary term."""
        raw = words(text)
        self._remembered.update(raw)
        return raw

    def _read_attribute_intents(self, attributes: Attributes) -> None:
        """The intent each word of these attribute values asks about (ATTRIBUTE_INTENTS)."""
        for attribute, intent in self._intent_of_attribute.items():
            values = getattr(attributes, attribute)
            for value in values if isinstance(values, tuple) else (values,):
                if value and (attribute, value) not in self._intent_values_read:
                    self._intent_values_read.add((attribute, value))
                    for token in _CONTENT(self._repeated_piece(value)):
                        self._attribute_intents.setdefault(token, set()).add(intent)

    def _repeated_piece(self, text: str) -> Piece:
        """A list item's or attribute value's words (remembered) and content tokens, once per
        build: pages repeat them."""
        found = self._repeated.get(text)
        if found is None:
            raw = self._remember(text)
            spelled = tuple(map(self._spellings.setdefault, raw, raw))
            found = (spelled, tuple(self._content_of(raw)))
            if len(self._repeated) < MAX_REPEATED_TEXTS:
                self._repeated[text] = found
        return found

    def _fixed_piece(self, text: str) -> Piece:
        """A section title's, attribute label's or step number's words and content tokens: the
        same few on every page, and not the library's own words."""
        found = self._fixed.get(text)
        if found is None:
            raw = words(text)
            found = self._fixed[text] = (tuple(raw), tuple(self._content_of(raw)))
        return found

    def _content_of_pieces(self, pieces: Iterable[Piece]) -> list[str]:
        """The content tokens of the pieces' words one after another: each piece's own, unless
        a phrase term may span a seam between two."""
        pieces = list(pieces)
        if self.plain.seamless(map(_WORDS, pieces)):
            return list(itertools.chain.from_iterable(map(_CONTENT, pieces)))
        return self._content_of(list(itertools.chain.from_iterable(map(_WORDS, pieces))))

    def _content_of(self, raw: list[str]) -> list[str]:
        """The content tokens of words split by `words`."""
        return self._word_cache.content(raw)

    def _faq_answer(self, answer: str) -> tuple[list[str], tuple[str, ...]]:
        """(content tokens, the distinct ones) of an FAQ answer, read once per text (up to a
        bound): pages giving the same answer share one copy of its distinct words."""
        number = self._faq_answers.get(answer)
        if number is not None:
            start, end = self._answer_spans[2 * number : 2 * number + 2]
            return self._answer_tokens[start:end], self._answer_distinct[number]
        content = self._content_of(self._remember(answer))
        distinct = tuple(dict.fromkeys(content))
        distinct = self._answer_words.setdefault(distinct, distinct)
        if len(self._faq_answers) < MAX_REPEATED_TEXTS:
            self._faq_answers[answer] = len(self._answer_distinct)
            self._answer_spans.append(len(self._answer_tokens))
            self._answer_tokens += content
            self._answer_spans.append(len(self._answer_tokens))
            self._answer_distinct.append(distinct)
        return content, distinct

    def _faq_question(self, question: str) -> _FaqQuestion:
        """(content tokens, the distinct ones, the intents it carries, the content words it
        goes without) of an FAQ question, once per text: pages asking the same question share
        one copy."""
        found = self._faq_questions.get(question)
        if found is None:
            tokens = self._analyse(question)
            self._pairs.update(itertools.pairwise(tokens))
            strengths = intent_strengths(tokens, self.vocabulary, answer_kind(question))
            intents = frozenset(n for n, s in strengths.items() if s >= FAQ_INTENT_STRENGTH)
            content = self._content(tokens)
            # "How ...?" opens many FAQ questions without asking for the steps: matched, it
            # would pull every "how do I do X" to an FAQ of X's that starts with "How".
            opening = 1 if content[:1] == [HOW_OPENER] else 0
            matched = dict.fromkeys(content[opening:])
            without = tuple(
                next((t for t in tokens[n + 1 :] if t not in self.stopwords), "")
                for n, token in enumerate(tokens)
                if token == WITHOUT
            )
            found = (content, tuple(matched), self._one_copy(intents), without)
            self._faq_questions[question] = found
        return found

    def _content(self, tokens: list[str]) -> list[str]:
        stopwords = self.stopwords
        return [token for token in tokens if token not in stopwords]

    def _passages(self, page: Page, name: list[str]) -> list[Passage]:
        """Each FAQ entry is a passage, and so is each other section. Every text is split into
        words once: a section's words are its title's, then its items' in order."""
        passages = []
        for entry in page.faq:
            content, distinct, intents, without = self._faq_question(entry.question)
            answer, answer_words = self._faq_answer(entry.answer)
            length = self._documents.add(itertools.chain(name, content, content, answer))
            passages.append(
                Passage(
                    "faq",
                    entry.question,
                    entry.answer,
                    distinct,
                    intents,
                    answer_words,
                    length,
                    without,
                )
            )
        # (section, its text as shown, its words after its title's, in pieces)
        sections: list[tuple[str, str, list[Piece]]] = []
        for section, items, numbered in (
            ("how_to", page.steps, True),
            ("tips", page.tips, False),
            ("mistakes", page.mistakes, False),
        ):
            if items:
                lines = [
                    f"{n}. {item.text}" if numbered else f"- {item.text}"
                    for n, item in enumerate(items, 1)
                ]
                pieces: list[Piece] = []
                for n, item in enumerate(items, 1):
                    if numbered:
                        pieces.append(self._fixed_piece(str(n)))
                    pieces.append(self._repeated_piece(item.text))
                sections.append((section, "\n".join(lines), pieces))
        summary = self._remember(page.summary)
        sections.append(("quick", page.summary, [(summary, self._content_of(summary))]))
        labelled = page.attributes.labelled()
        attributes = "\n".join(f"- **{label}:** {value}" for label, value in labelled)
        pieces = []
        for label, value in labelled:
            pieces.append(self._fixed_piece(label))
            pieces.append(self._repeated_piece(value))
        sections.append(("attributes", attributes, pieces))
        related = "\n".join(f"- [{link.title}]({link.url})" for link in page.related)
        related_words = words(related)
        sections.append(("related", related, [(related_words, self._content_of(related_words))]))
        for section, text, pieces in sections:
            if text:
                title = SECTION_TITLES[section]
                content = self._content_of_pieces([self._fixed_piece(title), *pieces])
                length = self._documents.add(itertools.chain(name, content))
                passages.append(Passage(section, title, text, (), NOTHING, (), length))
        return passages

    def _question_normaliser(self) -> tuple[frozenset[str], Normaliser]:
        """(the vocabulary's own words, the question-side normaliser): it knows the library's
        words and corrects typos to them."""
        vocab = self.vocabulary
        plain = self.plain
        cue_words = vocab.cue_words
        # Words the shipped vocabulary knows: never mistaken for an unknown exercise's name.
        term_words = {t for value in vocab.terms.values() for t in plain.tokens(" ".join(value))}
        # A default qualifier says the plain version: "conventional deadlift" is the deadlift.
        vocabulary_words = frozenset(
            cue_words
            | vocab.list_words
            | vocab.common_words
            | vocab.stopwords
            | term_words
            | vocab.default_qualifiers
        )
        self._known.update(map(stem, self._remembered))
        surface = {word for word in self._surface | self._remembered if word.isalpha()}
        surface |= {w for text in (*vocab.terms, *vocab.common_words) for w in words(text)}
        surface |= {w for w in cue_words | vocab.list_words if w.isalpha()}
        known = frozenset(self._known | vocabulary_words)
        return vocabulary_words, Normaliser(
            vocab, known, frozenset(surface), frozenset(self._pairs), frozenset(self._name_surface)
        )


def free_in_steps(items: list[Any] | dict[Any, Any]) -> None:
    """Empty a large build-time container a piece at a time. Dropped whole, it would free
    everything it holds in one C call that keeps the GIL (tens of ms at 10,000 pages), and a
    library is built beside the event loop, which would wait that long."""
    if isinstance(items, dict):
        while items:
            items.popitem()
    else:
        while items:
            del items[-FREE_STEP:]

"""Reading a question: plain words, tokens, parts ("X or Y"), what it asks (intents), which words
may name an exercise, and which words no page uses."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping

from bot.core.questions import looks_like_question, question_text
from bot.core.search.entries import Query
from bot.core.search.missing import known_forms
from bot.core.search.text import Normaliser, Vocabulary, numbers_read, stem, words
from bot.core.search.tuning import (
    HOW_TO_ASIDE,
    SEPARATORS,
    SPECIFIC_INTENTS,
    STRONG_CUE,
    WEAK_CUE,
)


def intent_strengths(
    tokens: Iterable[str], vocabulary: Vocabulary, asks: str | None = None
) -> dict[str, float]:
    """How strongly the words ask each intent (0..1): a strong cue word says it, weak ones hint.
    `asks` is the kind of answer wanted (answer_kind)."""
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
    # "form mistakes" asks for the mistakes, "how wide should my hands be" for a width and "how
    # come" for a reason, not for the steps.
    if (
        asks in NARROW_HOW_KINDS
        or asks == "reason"
        or any(strength.get(name, 0.0) >= 0.9 for name in SPECIFIC_INTENTS)
    ):
        strength["how_to"] = strength.get("how_to", 0.0) * HOW_TO_ASIDE
    # "Why do X instead of Y" asks for a reason, not for something else to do.
    if asks == "reason":
        strength["related"] = 0.0
    return strength


# Words that say something is left out or replaced (tokens): "no machine", "nobody to spot".
NEGATIONS = frozenset({"without", "not", "nobody", "never", "substitut"})
# Where a sentence ends in a message cleaned to one line.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# The sentences that ask must say this many content words (cue words aside) to stand for the
# message: "is that normal?" leaves what it asks about to the sentences before it.
ASKING_MIN_WORDS = 2
# Where what "not" or "instead of" sets aside ends: punctuation, a dash, "but".
CLAUSE_END = re.compile(r"[,.;:!?()\[\]]|\s[-–—]\s|\bbut\b")
# What a question sets aside: what it is not about, or the version the asker already knows
# ("I only know the lunge version", "I've only ever done strict ohp").
SET_ASIDE = re.compile(
    r"\b(?:not|instead of|rather than|other than|only know|only (?:ever )?(?:done|did))\s+(.*)"
)
ARTICLES = frozenset({"the", "a", "an", "that", "this"})
# Words that may stand before what "not" sets aside: "not with a band", "not on knees".
LEADING_PREPOSITIONS = frozenset({"with", "on", "from", "using", "off", "at", "in"})


# Tokens that make a question a comparison (the vocabulary reads "vs", "better than" and
# "compared to" as "versus"), besides "as good as" and the like.
COMPARISON = frozenset({"versus", "differenc", "differ", "compar"})


def compares(query: Query) -> bool:
    """Does the question compare exercises ("X vs Y", "the difference", "as good as")?"""
    tokens = query.tokens
    return bool(COMPARISON.intersection(tokens)) or any(
        tokens[n] == tokens[n + 2] == "as" for n in range(len(tokens) - 2)
    )


def compares_or_parts(query: Query) -> bool:
    """The learned ranking's reading of a comparison (its weights were fitted on it): several
    parts ("X or Y"), a comparison word or "better", not "as good as"."""
    return (
        len(query.segments) > 1
        or not COMPARISON.isdisjoint(query.tokens)
        or "better" in query.tokens
    )


# What kind of answer a question wants, by its question word: "where do the dumbbells go"
# wants a place, as "Where should the dumbbells be?" gives one; "how many" a number.
HOW_KINDS = {
    "many": "amount",
    "much": "amount",
    "long": "duration",
    "often": "frequency",
    "far": "degree",
    "low": "degree",
    "deep": "degree",
    "wide": "degree",
    "close": "degree",
    "high": "degree",
    "narrow": "degree",
    "bent": "degree",
    "upright": "degree",
    "steep": "degree",
    "big": "degree",
    "tight": "degree",
    "straight": "degree",
    "fast": "degree",
    "slow": "degree",
    "heavy": "amount",
    "soon": "time",
    "early": "time",
}
# "How" and one of these words asks for a size or a number, not the steps; the vocabulary reads
# some of them as a word of their own ("how deep" -> depth), the rest leave "how" behind.
NARROW_HOW_KINDS = frozenset(HOW_KINDS.values())
QUESTION_WORD_KINDS = {
    "where": "place",
    "when": "time",
    "why": "reason",
    "what": "thing",
    "whats": "thing",
    "which": "thing",
    "who": "person",
}
# "What is the point of X" asks why, as "Why do X?" does; the noun may come four words after
# "what", since "whats the actual point" is read as "what is the actual point".
REASON_NOUNS = frozenset({"point", "purpose", "benefit", "benefits", "advantage", "advantages"})
# A yes-or-no question about an exercise's worth ("is X worth it", "are X a waste of time", "is
# there any point doing X") wants the reason to do it, as "Why bother with X?" gives; worth it
# for a goal, on a condition or against another ("worth it for lockout", "... if I am not an
# Olympic lifter", "a waste compared to X") is still a yes or a no.
WORTH_WORDS = frozenset({"worth", "waste", "pointless", "useless", "bother", "overrated", "filler"})
WORTH_UNLESS = frozenset({"for", "if", "when", "than", "vs", "versus", "compared"})
WORTH_NOUNS = REASON_NOUNS | {"reason", "reasons"}
ASKED_ANY = frozenset({"any", "a", "an"})
YES_NO_STARTS = frozenset(
    {"is", "are", "am", "can", "could", "should", "would", "will", "do", "does", "did", "was"}
    | {"were", "isnt", "arent", "cant", "shouldnt"}
)
ANSWER_KINDS = (
    "amount",
    "duration",
    "frequency",
    "degree",
    "manner",
    "place",
    "time",
    "reason",
    "thing",
    "person",
    "yes_no",
)


# "How come ...?" and "how does that (even) make sense?" ask why, not how to: the words after
# "how", where "that", "this" or "it" stand for what was just told ("I rack pull 260 but deadlift
# 200, how is that possible"). "How does that work" is left to ask how: after a story it asks
# why, after an exercise described ("arnold press with kettlebells, how does that work") how.
HOW_COME = "come"
HOW_TOLD = frozenset({"that", "this", "it"})
HOW_TOLD_ENDS = frozenset({"sense", "possible"})


def answer_kind(text: str) -> str | None:
    """The kind of answer a question wants (one of ANSWER_KINDS), from its first question word;
    without one, a clause starting like "is", "can", "should" wants a yes or no."""
    raw = words(text)
    for number, word in enumerate(raw):
        if word == "how":
            following = raw[number + 1 : number + 6]
            if following[:1] == [HOW_COME] or (
                HOW_TOLD.intersection(following[1:2]) and HOW_TOLD_ENDS.intersection(following)
            ):
                return "reason"
            return HOW_KINDS.get(following[0] if following else "", "manner")
        kind = QUESTION_WORD_KINDS.get(word)
        if kind == "thing" and not REASON_NOUNS.isdisjoint(raw[number + 1 : number + 5]):
            return "reason"
        if kind is not None:
            return kind
    for clause in CLAUSE_END.split(text):
        said = words(clause)
        if said[:1] and said[0] in YES_NO_STARTS:
            return "reason" if _asks_worth(said) else "yes_no"
    return None


def _asks_worth(said: list[str]) -> bool:
    """Does a yes-or-no clause ask whether something is worth doing at all? A reason noun
    counts only after "any" or "a", maybe with a word between ("is there any point", "is there
    an actual benefit"), not as a verb ("should my toes point out")."""
    if not WORTH_UNLESS.isdisjoint(said):
        return False
    return not WORTH_WORDS.isdisjoint(said) or any(
        said[n] in WORTH_NOUNS and not ASKED_ANY.isdisjoint(said[max(0, n - 2) : n])
        for n in range(1, len(said))
    )


class QueryReader:
    """Turns a question into a `Query`, with the library's words (typos corrected to them)."""

    def __init__(
        self,
        normaliser: Normaliser,
        name_weight: dict[str, float],
        attribute_weight: dict[str, float],
        name_pairs: frozenset[tuple[str, str]],
        joined_in_names: frozenset[tuple[str, str]],
        attribute_intents: Mapping[str, frozenset[str]],
    ) -> None:
        self.normaliser = normaliser
        self.vocabulary = normaliser.vocabulary
        self.stopwords = self.vocabulary.stopwords
        self.name_weight = name_weight
        self.attribute_weight = attribute_weight
        self.name_pairs = name_pairs
        self.joined_in_names = joined_in_names
        self.attribute_intents = attribute_intents
        # Words that say what is asked ("muscles", "exercises") and particles ("up") are name
        # evidence only beside a partner word of the same name ("muscle up", "exercise ball").
        vocabulary = self.vocabulary
        self.question_words = vocabulary.cue_words | vocabulary.list_words | vocabulary.particles
        # An exercise named by a greeting ("good morning") is named only by its words together:
        # "training fasted in the morning, good idea?" asks about no Good Morning.
        self.name_partnered = self.question_words | self._greeting_name_words()
        # An attribute value may be a cue word ("Beginner", "Cardio", "Strongman"): only the
        # words that ask for a list ("exercises") and particles need their partner there.
        self.partnered_attribute_words = vocabulary.list_words | vocabulary.particles
        # A measure is said only where its last word is ("how heavy": "heavy", not "how").
        self.measure_ends = frozenset(key.split()[-1] for key in vocabulary.measures)
        self.measure_targets = {
            key: frozenset(normaliser.stems(list(vocabulary.terms[key])))
            for key in vocabulary.measures
        }

    def read(self, question: str) -> Query:
        text = question_text(question)
        # Read as spelled right: "how wiide" asks a width as "how wide" does.
        spelled = self.normaliser.spelled(text)
        tokens = self._names_run_together(self.normaliser.tokens(spelled, correct=True))
        segments: list[list[str]] = [[]]
        for index, token in enumerate(tokens):
            if token in SEPARATORS and not self._joins_a_name(tokens, index):
                segments.append([])
            if token not in self.stopwords:
                segments[-1].append(token)
        whole = [token for token in tokens if token not in self.stopwords]
        content = list(dict.fromkeys(whole))
        # A number is no foreign word: "bench 225 for 5" is about the bench press.
        unknown = {
            token for token in content if token not in self.normaliser.known and not token.isdigit()
        }
        asks = answer_kind(spelled)
        strengths = intent_strengths(tokens, self.vocabulary, asks)
        intents = {name: value for name, value in strengths.items() if value}
        for name in self._attribute_choice(tokens):
            intents[name] = STRONG_CUE
        parts = [segment for segment in segments if segment]
        segments = [whole, *parts] if len(parts) > 1 else [whole]
        names = self._name_words(whole)
        attributes = self._attribute_words(whole)
        set_aside = self._set_aside(text)
        kept = [token for token in whole if token not in set_aside]
        if set_aside and self._name_words(kept):
            names = self._name_words(kept)
            attributes = self._attribute_words(kept)
        else:  # "what can I do instead of squats?" is about squats
            set_aside = set()
        names -= self._said_as_measures(spelled)
        everyday = self._everyday(tokens, unknown, names)
        unknown -= everyday
        return Query(
            text,
            tokens,
            content,
            segments,
            intents,
            unknown,
            names,
            attributes,
            frozenset(set_aside & self.name_weight.keys()),
            asks,
            everyday,
            frozenset(whole).difference(set_aside).intersection(self.vocabulary.implements),
            not NEGATIONS.isdisjoint(tokens),
            frozenset(whole).difference(set_aside).intersection(self.vocabulary.choice_words),
            self._asking(text, content),
        )

    def _asking(self, text: str, content: list[str]) -> frozenset[str]:
        """The content words of the sentences that ask, in a message whose other sentences
        tell (Query.asking); empty when every sentence or none asks, or they say too little."""
        sentences = SENTENCE_END.split(text)
        if len(sentences) < 2:
            return frozenset()  # (most questions)
        asking = [sentence for sentence in sentences if looks_like_question(sentence)]
        if not asking or len(asking) == len(sentences):
            return frozenset()
        tokens = self._names_run_together(
            self.normaliser.tokens(self.normaliser.spelled(" ".join(asking)), correct=True)
        )
        said = frozenset(tokens).intersection(content)
        says_enough = len(said - self.question_words) >= ASKING_MIN_WORDS
        return said if says_enough and len(said) < len(content) else frozenset()

    def _everyday(self, tokens: list[str], unknown: set[str], names: set[str]) -> frozenset[str]:
        """The unknown words that are everyday English and do not stand right before a name
        word: "heard" names nothing, "egyptian" in "egyptian lateral raise" may name what the
        library lacks."""
        everyday = {token for token in unknown if token in self.normaliser.everyday_stems}
        for before, after in itertools.pairwise(tokens):
            if after in names:
                everyday.discard(before)
        return frozenset(everyday)

    def _names_run_together(self, tokens: list[str]) -> list[str]:
        """A word that names nothing ("trapbar", "ezbar") but whose halves name an exercise as the
        library writes them apart ("Trap Bar Deadlift") is read as those two words."""
        read: list[str] = []
        for token in tokens:
            halves = None
            if len(token) > 4 and token not in self.name_weight and token not in self.stopwords:
                halves = self.normaliser.split(token)
            if halves and all(half in self.name_weight for half in halves):
                read.extend(halves)
            else:
                read.append(token)
        return read

    def _attribute_choice(self, tokens: list[str]) -> frozenset[str]:
        """The intents of an attribute two of whose values a question offers as a choice: "is
        it a machine or a cable thing" asks the equipment, "a stretch or a strength exercise"
        the category. The same word on both sides ("ez bar or straight bar") offers none."""
        chosen: frozenset[str] = frozenset()
        if "or" not in tokens:
            return chosen
        for index, token in enumerate(tokens):
            if token != "or":
                continue
            before = next((t for t in reversed(tokens[:index]) if t not in self.stopwords), "")
            after = next((t for t in tokens[index + 1 :] if t not in self.stopwords), "")
            if before != after and before in self.attribute_intents:
                shared = self.attribute_intents[before] & self.attribute_intents.get(after, set())
                chosen |= shared
        return chosen

    def _joins_a_name(self, tokens: list[str], index: int) -> bool:
        """Whether the separator at `index` sits inside an exercise's name: "clean and press"
        is one exercise, so "how do I clean and press with a barbell" has one part."""
        before = tokens[index - 1] if index else ""
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        return (before, after) in self.joined_in_names

    def _set_aside(self, text: str) -> set[str]:
        """Words of the exercise a question sets aside, so that they name nothing: "the squat
        style one, not the lunge one", "seated instead of standing", "I only know the lunge
        version". Said again elsewhere in the question, a word still names. "Not" sets aside
        a noun phrase ("not the", "not trap bar", "not with a band"), not a verb or a body
        part ("how do I not fall", "not my abs")."""
        lowered = text.lower()
        if SET_ASIDE.search(lowered) is None:
            return set()  # (most questions: a clause can only match where the whole does)
        aside: list[str] = []
        kept: list[str] = []
        for clause in CLAUSE_END.split(lowered):
            found = SET_ASIDE.search(clause)
            if found is None:
                kept.append(clause)
                continue
            kept.append(clause[: found.start()])
            rest = found.group(1)
            tokens = self.normaliser.tokens(rest, correct=True)
            leading = rest.split(maxsplit=2)
            if found.group(0).startswith("not") and leading and leading[0] in LEADING_PREPOSITIONS:
                # (A term may have taken the preposition in: "on knees" is "kneeling".)
                tokens = tokens[1:] if tokens[:1] == [leading[0]] else tokens
                leading = leading[1:]
            first = leading[0] if leading else ""
            noun_phrase = first in ARTICLES or bool(
                tokens and tokens[0] in self.name_weight and tokens[0] not in self.question_words
            )
            if found.group(0).startswith("not") and not noun_phrase:
                kept.append(rest)
                continue
            aside.extend(tokens)
        said = set(self.normaliser.tokens(" ".join(kept), correct=True))
        return {token for token in aside if token not in said and token not in self.stopwords}

    def _said_as_measures(self, text: str) -> set[str]:
        """Words a question says only by asking how much ("how heavy", "60kg": weight; "how
        deep": depth): what it asks about, not a name ("Weighted Squat", "Depth Jump")."""
        raw = numbers_read(words(text))  # "60kg": 60 kg
        if self.measure_ends.isdisjoint(raw):
            return set()
        # The words, with each phrase the normaliser replaces as one piece (as it reads them).
        pieces: list[str] = []
        done = 0
        for start, end, _ in self.normaliser.phrases(raw):
            pieces += [*raw[done:start], " ".join(raw[start:end])]
            done = end
        pieces += raw[done:]
        asked: set[str] = set()
        rest: list[str] = []
        for piece in pieces:
            found = self.measure_targets.get(piece)
            if found is None:
                rest += piece.split()
            else:
                asked |= found
        return asked - {stem(word) for word in self.normaliser.expand(rest)}

    def _greeting_name_words(self) -> frozenset[str]:
        """The words of the everyday-phrase exercise names (vocabulary `known_exercises`, `~`)
        that hold a chat word: "good morning"."""
        found: set[str] = set()
        for line in self.vocabulary.known_exercises:
            everyday, forms = known_forms(line)
            for form in forms if everyday else ():
                if not self.vocabulary.chat_words.isdisjoint(words(form)):
                    found.update(self.normaliser.tokens(form))
        return frozenset(found - self.stopwords)

    def _name_words(self, sequence: list[str]) -> set[str]:
        return self._said_words(sequence, self.name_weight, self.name_partnered)

    def _attribute_words(self, sequence: list[str]) -> set[str]:
        return self._said_words(sequence, self.attribute_weight, self.partnered_attribute_words)

    def _said_words(
        self, sequence: list[str], vocabulary: dict[str, float], partnered: frozenset[str]
    ) -> set[str]:
        """The words of `sequence` that are name (or attribute) words; a `partnered` word only
        beside its partner ("exercise" names nothing, "exercise ball" does)."""
        names: set[str] = set()
        for index, token in enumerate(sequence):
            if token not in vocabulary:
                continue
            if token not in partnered:
                names.add(token)
                continue
            before = sequence[index - 1] if index else ""
            after = sequence[index + 1] if index + 1 < len(sequence) else ""
            if (before, token) in self.name_pairs or (token, after) in self.name_pairs:
                names.add(token)
        return names

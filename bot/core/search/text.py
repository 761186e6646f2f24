"""Text normalisation shared by pages and questions: one pipeline for both sides.

lower case -> ASCII -> words -> vocabulary terms (slang, abbreviations) -> singular forms ->
split run-together words -> correct typos against the words the library knows.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import chain, pairwise
from typing import TypeVar

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

from bot.core.search.tuning import EVERYDAY_COUNT

_WORD = re.compile(r"[a-z0-9]+")
_Value = TypeVar("_Value")
_Found = TypeVar("_Found")
# ASCII text (nearly all of it) is split by one bytes.translate, twice as fast as the regex: a
# letter becomes lower case, a digit stays, anything else becomes a space.
_ASCII_WORD_BYTES = bytes(
    ord(char.lower()) if char.lower() in string.ascii_lowercase + string.digits else ord(" ")
    for char in map(chr, range(256))
)


@dataclass(frozen=True)
class Intent:
    """Something a question can ask about an exercise, and the section that answers it."""

    name: str
    section: str
    cues: frozenset[str]  # stemmed cue words


@dataclass(frozen=True)
class Vocabulary:
    terms: Mapping[str, tuple[str, ...]]
    stopwords: frozenset[str]
    intents: tuple[Intent, ...]
    weak_cues: frozenset[str]
    list_words: frozenset[str]
    common_words: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    chat_words: frozenset[str] = frozenset()  # as written, not stemmed
    chat_phrases: tuple[tuple[str, ...], ...] = ()  # as written, not stemmed
    injury_words: frozenset[str] = frozenset()  # as written, not stemmed
    other_topics: frozenset[str] = frozenset()  # as written, not stemmed
    known_exercises: tuple[str, ...] = ()  # well-known names, `~` first if everyday (missing.py)
    default_words: frozenset[str] = frozenset()  # stemmed; see vocabulary.yaml
    default_qualifiers: frozenset[str] = frozenset()  # stemmed
    default_phrases: tuple[tuple[str, ...], ...] = ()  # stemmed
    implements: frozenset[str] = frozenset()  # stemmed
    # Groups of words of which a lift is one ("flat incline decline"), implements the first:
    # stemmed; see vocabulary.yaml.
    choices: tuple[frozenset[str], ...] = ()
    measures: frozenset[str] = frozenset()  # terms (keys, as written) that ask how much
    # Every intent's cue words: a text holding none of them asks no intent.
    cue_words: frozenset[str] = field(init=False, default=frozenset())
    choice_words: frozenset[str] = field(init=False, default=frozenset())  # of every group

    def __post_init__(self) -> None:
        cues = frozenset().union(*(intent.cues for intent in self.intents))
        object.__setattr__(self, "cue_words", cues)
        object.__setattr__(self, "choice_words", frozenset().union(*self.choices))

    def with_terms(self, extra: Mapping[str, str]) -> Vocabulary:
        terms = dict(self.terms)
        terms.update({key: tuple(words(value)) for key, value in extra.items()})
        return replace(self, terms=terms)


def words(text: str) -> list[str]:
    """Lower-case ASCII words: 'Farmer’s Carry!' -> ['farmers', 'carry']."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORD_BYTES, b"'`").decode("ascii").split()
    return _WORD.findall(folded(text))


def folded(text: str) -> str:
    """The text in lower-case ASCII without apostrophes, punctuation kept: `words` are its
    runs of letters and digits."""
    text = text.lower().replace("'", "").replace("’", "").replace("`", "")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """A light plural stripper; the same on both sides, so it only has to be consistent."""
    if len(word) == 3 and word.endswith("s") and word[1] not in "aeiou" and word[1] != "s":
        return word[:-1]  # ups -> up, abs -> ab; not gas, bus, yes
    if len(word) <= 3 or not word.isalpha():
        if word[-1] == "s" and word[:-1].isdigit():
            return word[:-1]  # landmine 180s, 45s (plates): numbers in the plural
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("lves"):
        return word[:-3] + "f"  # calves -> calf, halves -> half
    if word.endswith("ves"):
        return word[:-1]  # moves, negatives, sleeves: a plural of -ve, as most are
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Plural, -ing and -ed, and a final e off: rowing/rows -> row, lunges/lunging -> lung,
    carries/carried -> carry."""
    return _stem_of_singular(singular(word))


def _stem_of_singular(base: str) -> str:
    if not base.isalpha():
        return base
    if len(base) > 5 and base.endswith("ing"):
        cut = base[:-3]
    elif len(base) > 4 and base.endswith("ed"):
        cut = base[:-2]
    else:
        cut = base
    if cut != base:
        if len(cut) < 3 or not any(vowel in cut for vowel in "aeiouy"):
            cut = base  # swing, string, need: not an inflection
        elif len(cut) >= 4 and cut[-1] == cut[-2] and cut[-1] not in "lsz":
            cut = cut[:-1]  # squatting -> squat
        elif base.endswith("ied"):
            cut = cut[:-1] + "y"  # carried -> carry, as carries and carrying
    if len(cut) > 4 and cut.endswith("ie"):
        return cut[:-2] + "y"  # calorie -> calory, as calories -> calory
    if len(cut) > 3 and cut.endswith("e") and not cut.endswith("ee"):
        cut = cut[:-1]
    return cut


@lru_cache(maxsize=1)
def everyday_english() -> frozenset[str]:
    """Words common in English text, by the counts of pyspellchecker's English dictionary: a
    question's "heard", "supposed" or "saturday" is no slip for a library's "head", "support"
    or "sturdy"."""
    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(word for word, count in counts.items() if count >= EVERYDAY_COUNT)


@lru_cache(maxsize=1)
def everyday_by_stem() -> dict[str, tuple[str, ...]]:
    """everyday_english() by token ("battle" and "battles" under "battl"): its keys are the
    everyday stems, its values the forms a typo may mean. Stemmed past the caches of stem()
    and singular(): 26k words most questions never use would take 6 MB there and a third of
    the slots the library's words need."""
    plural_off = singular.__wrapped__
    found: dict[str, list[str]] = {}
    for word in sorted(everyday_english()):
        found.setdefault(_stem_of_singular(plural_off(word)), []).append(word)
    return {token: tuple(forms) for token, forms in found.items()}


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    raw = yaml.safe_load(resources.files("bot.core.search").joinpath("vocabulary.yaml").read_text())
    measures = {key.lower(): tuple(words(str(value))) for key, value in raw["measures"].items()}
    terms = {key.lower(): tuple(words(str(value))) for key, value in raw["terms"].items()}
    implements = frozenset(stem(w) for w in str(raw.get("implements", "")).split())
    intents = tuple(
        Intent(name, spec["section"], frozenset(stem(w) for w in str(spec["words"]).split()))
        for name, spec in raw["intents"].items()
    )
    return Vocabulary(
        terms=terms | measures,
        stopwords=frozenset(str(raw["stopwords"]).split()),
        intents=intents,
        weak_cues=frozenset(stem(w) for w in str(raw["weak_cues"]).split()),
        list_words=frozenset(stem(w) for w in str(raw["list_words"]).split()),
        common_words=frozenset(stem(w) for w in str(raw["common_words"]).split()),
        particles=frozenset(str(raw["particles"]).split()),
        chat_words=frozenset(str(raw.get("chat_words", "")).split()),
        chat_phrases=_phrases(raw.get("chat_phrases", "")),
        injury_words=frozenset(str(raw.get("injury_words", "")).split()),
        other_topics=frozenset(str(raw.get("other_topics", "")).split()),
        default_words=frozenset(stem(w) for w in str(raw.get("default_words", "")).split()),
        default_qualifiers=frozenset(
            stem(w) for w in str(raw.get("default_qualifiers", "")).split()
        ),
        default_phrases=tuple(
            tuple(map(stem, phrase)) for phrase in _phrases(raw.get("default_phrases", ""))
        ),
        implements=implements,
        choices=(
            implements,
            *(
                frozenset(map(stem, line.split()))
                for line in str(raw.get("exclusive_choices", "")).splitlines()
                if line.strip()
            ),
        ),
        measures=frozenset(measures),
        known_exercises=tuple(
            line.strip()
            for line in str(raw.get("known_exercises", "")).splitlines()
            if line.strip()
        ),
    )


@dataclass
class Normaliser:
    """Turns text into matching tokens. Built once per index; questions reuse its caches.

    `known` holds the stems the library and the vocabulary use; `surface` the words as written,
    which typos are corrected against ("hangin" -> "hanging" -> stem "hang").
    """

    vocabulary: Vocabulary
    known: frozenset[str] = frozenset()
    surface: frozenset[str] = frozenset()
    # Word pairs the library writes side by side: the only splits of a run-together word.
    pairs: frozenset[tuple[str, str]] = frozenset()
    # The words of page names: of two corrections as close, the name's wins ("axel": axle, not
    # axes), as questions name exercises more than they quote the rest of a page.
    name_words: frozenset[str] = frozenset()
    _surface_list: list[str] = field(default_factory=list)
    # What the slow look-ups found for words questions brought, kept for the next question.
    _closest_found: dict[str, str | None] = field(default_factory=dict)
    _split_found: dict[str, tuple[str, ...] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.terms = {tuple(key.split()): value for key, value in self.vocabulary.terms.items()}
        # A word read as more words ("smith": smith machine) reads those words, as written, as
        # they are: "smith machine" is not "smith machine machine".
        for key, value in list(self.terms.items()):
            if len(key) == 1 < len(value) and value[0] == key[0]:
                self.terms.setdefault(value, value)
        self._everyday = everyday_english()
        # Words the vocabulary lists to read as written ("creatine", "sprained", "gm") are
        # meant, not slips for a library word ("creatine" is no "cheating").
        vocabulary = self.vocabulary
        self._as_written = vocabulary.other_topics | vocabulary.injury_words | vocabulary.chat_words
        self.everyday_stems = everyday_by_stem().keys()
        # Per first word: the lengths of the terms it starts, longest first, and the words that
        # can follow it in one; most words start no term and cost nothing.
        sizes: dict[str, set[int]] = {}
        followers: dict[str, set[str]] = {}
        for key in self.terms:
            sizes.setdefault(key[0], set()).add(len(key))
            followers.setdefault(key[0], set()).update(key[1:2])
        self._term_sizes = {w: tuple(sorted(n, reverse=True)) for w, n in sizes.items()}
        self._followers = {w: frozenset(followers[w]) for w in sizes}
        # The first two words of each phrase term: a text holding none of them side by side is
        # expanded word by word.
        self._phrase_openings = frozenset(key[:2] for key in self.terms if len(key) > 1)
        # Chat spellings of little words that phrase terms hold: a phrase reads them as the
        # word ("walk me thru" is "walk me through").
        in_phrases = {word for key in self.terms if len(key) > 1 for word in key}
        self._spellings = {
            key[0]: value[0]
            for key, value in self.terms.items()
            if len(key) == len(value) == 1
            and value[0] in in_phrases
            and value[0] in self.vocabulary.stopwords
        }
        self._phrase_starts = frozenset(first for first, _ in self._phrase_openings)
        # Every two words side by side in a phrase term, each as written or spelled: a term
        # spans the seam between two texts only if the seam's two words are one of these.
        written: dict[str, set[str]] = {}
        for spelling, word in self._spellings.items():
            written.setdefault(word, {word}).add(spelling)
        self._term_pairs = frozenset(
            (left, right)
            for key in self.terms
            for before, after in pairwise(key)
            for left in written.get(before, {before})
            for right in written.get(after, {after})
        )
        # The first of equally close words is the correction: name words first.
        self._surface_list = sorted(
            self.surface, key=lambda word: (word not in self.name_words, word)
        )
        # Then everyday English in a form the library does not write but whose stem it knows:
        # "battel" is a slip for "battle", which matches the library's "battling".
        by_stem = everyday_by_stem()
        self._surface_list += sorted(
            word
            for known_stem in self.known & by_stem.keys()
            for word in by_stem[known_stem]
            if word not in self.surface
        )
        # The library's words as typed by ear (_spelling): a doubled letter typed single or a
        # single one doubled is the commonest slip, "-ite" for "-ight" a common one.
        self._by_spelling: dict[str, list[str]] = {}
        for word in self._surface_list:
            self._by_spelling.setdefault(_spelling(word), []).append(word)

    def expand(self, raw_words: list[str]) -> list[str]:
        """Applies vocabulary terms, longest phrase first."""
        if self._term_sizes.keys().isdisjoint(raw_words):
            return raw_words  # many texts hold no vocabulary term
        out: list[str] = []
        done = 0  # raw_words[:done] are in out
        for start, end, replacement in self.phrases(raw_words):
            out += self._each_word(raw_words[done:start])
            out += replacement
            done = end
        return out + self._each_word(raw_words[done:])

    def _each_word(self, raw_words: list[str]) -> list[str]:
        """One-word terms applied, word by word."""
        out: list[str] = []
        for word in raw_words:
            replacement = self.terms.get((word,)) if word in self._term_sizes else None
            if replacement is None:
                out.append(word)
            else:
                out += replacement
        return out

    def phrases(self, raw_words: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, replacement) of each phrase term `expand` replaces, in order; it replaces
        every other word on its own, as it would alone."""
        if not self._spellings.keys().isdisjoint(raw_words):
            raw_words = [self._spellings.get(word, word) for word in raw_words]
        if self._phrase_starts.isdisjoint(raw_words):
            return []
        openings = self._phrase_openings.intersection(pairwise(raw_words))
        if not openings:
            return []  # nine texts in ten of a generated library
        starts = []
        count = len(raw_words)
        for first in {first for first, _ in openings}:
            index = raw_words.index(first)
            while True:
                starts.append(index)
                try:
                    index = raw_words.index(first, index + 1)
                except ValueError:
                    break
        found = []
        done = 0
        for index in sorted(starts):
            word = raw_words[index]
            if index < done or index + 1 == count:
                continue
            if raw_words[index + 1] not in self._followers[word]:
                continue
            for size in self._term_sizes[word]:
                if size > 1 and index + size <= count:
                    replacement = self.terms.get(tuple(raw_words[index : index + size]))
                    if replacement is not None:
                        found.append((index, index + size, replacement))
                        done = index + size
                        break
        return found

    def seamless(self, texts: Iterable[Sequence[str]]) -> bool:
        """Whether no phrase term can span a seam of these texts written one after another:
        `expand` then replaces each text's words as it would the text alone."""
        term_pairs = self._term_pairs
        last = None
        for text in texts:
            if text:
                if last is not None and (last, text[0]) in term_pairs:
                    return False
                last = text[-1]
        return True

    def tokens(self, text: str, *, correct: bool = False) -> list[str]:
        """Matching tokens: terms expanded, stemmed; typos corrected when `correct`."""
        return self.stems(words(text), correct=correct)

    def stems(self, raw_words: list[str], *, correct: bool = False) -> list[str]:
        """`tokens` for text already split by `words`."""
        stopwords = self.vocabulary.stopwords
        if any(word[0].isdigit() for word in raw_words):
            raw_words = numbers_read(raw_words)
        if not correct:
            return [w if w in stopwords else stem(w) for w in self.expand(raw_words)]
        result: list[str] = []
        for word in self.expand(self._joined(raw_words)):
            if word in stopwords:
                result.append(word)
                continue
            if word[-1] == "s" and word not in self.surface and word + "s" in self.surface:
                word += "s"  # "pres" is "press" typed short, not a plural of "pre"
            token = stem(word)
            if token not in self.known:
                result.extend(self.correct(word))
            else:
                result.append(token)
        return result

    def _joined(self, raw_words: list[str]) -> list[str]:
        """Two words that a page name writes as one, and the library never side by side, are
        that word typed apart: "super man" (Superman), "hand stand" (Handstand Push-Ups). Two
        little words ("i so": Iso) or a particle and the next ("up right") are not."""
        stopwords = self.vocabulary.stopwords
        particles = self.vocabulary.particles
        read: list[str] = []
        for word in raw_words:
            before = read[-1] if read else ""
            joined = before + word
            if (
                before
                and joined in self.name_words
                and before not in particles
                and not (before in stopwords and (word in stopwords or word in particles))
                and tuple(self.stems([before, word])) not in self.pairs
            ):
                read[-1] = joined
            else:
                read.append(word)
        return read

    def correct(self, word: str) -> tuple[str, ...]:
        """An unknown word -> the known word it misspells, or the two it runs together; an
        everyday English word is meant as written ("useless" is not "use less")."""
        if self._meant(word):
            return (stem(word),)
        closest = self.closest(word)
        split = self._run_together(word, closest)
        if split is not None:
            return split
        if closest is not None:
            return tuple(stem(w) for w in self.expand([closest]))
        return (stem(word),)

    def spelled(self, text: str) -> str:
        """The text with its words as the library and the vocabulary spell them, not stemmed,
        and its punctuation kept: "how meny reps, shud i" -> "how many reps, should i"."""
        return _WORD.sub(lambda word: self._spelled(word[0]), folded(text))

    def _spelled(self, word: str) -> str:
        stopwords = self.vocabulary.stopwords
        term = self.terms.get((word,))
        if term is not None and stopwords.issuperset(term):
            return " ".join(term)  # chat spellings of little words: "wat", "shud", "hw"
        if word in self.surface or word in stopwords:
            return word
        closest = self.closest(word)
        if self._run_together(word, closest) is not None:
            return word  # left for `correct`, which reads it as the pair
        return closest or word

    def _run_together(self, word: str, closest: str | None) -> tuple[str, ...] | None:
        """The pair the library writes apart that a word runs together, unless the word's
        closest correction is a word of the library: a pair the library writes beats an
        everyday word ("legpress" is no "depress")."""
        return self.split(word) if closest not in self.surface else None

    def closest(self, word: str) -> str | None:
        """The library's word (as written) this word misspells, if any."""
        return _remembered(self._closest_found, word, self._closest)

    def split(self, word: str) -> tuple[str, ...] | None:
        """A run-together word as the pair of words the library writes apart, if it does."""
        return _remembered(self._split_found, word, self._split)

    def _split(self, word: str) -> tuple[str, ...] | None:
        """legpress -> leg press, tbar -> t bar, but only into a pair the library itself
        writes."""
        for cut in range(1, len(word) - 1):
            halves = tuple(self.stems([word[:cut], word[cut:]]))  # "trapbar" -> trap barbell
            if halves in self.pairs:
                return halves
        return None

    def _meant(self, word: str) -> bool:
        """Is the word meant as written: everyday English, or a word the vocabulary lists?"""
        return word in self._everyday or word in self._as_written

    def _closest(self, word: str) -> str | None:
        if not word.isalpha() or self._meant(word):
            return None
        if len(word) < 4:
            return self._short_slip(word) if len(word) == 3 else None
        # A word spelled the same by ear is one slip away, however many edits that takes
        # ("paloff": pallof, "uprite": upright), and of words as close it is the one meant
        # ("aductor": adductor, not abductor). Name words first (the lists' order).
        same = self._by_spelling.get(_spelling(word))
        if same is not None:
            return same[0]
        # One edit in four to seven letters, two from eight; a transposition is one edit (OSA).
        # The cutoff is checked here: passed to extractOne it drops exact-cutoff matches.
        cutoff = 0.75 - 1e-9
        found = process.extractOne(word, self._surface_list, scorer=OSA.normalized_similarity)
        if found is None or found[1] < cutoff:
            return None
        candidate = self._slip_meant(word, found, cutoff)
        if len(word) < 8 and candidate[0] != word[0]:
            return None  # short words with a different first letter are usually other words
        return candidate

    def _short_slip(self, word: str) -> str | None:
        """A three-letter word is a slip only for the one name word it is a letter short of,
        or its last two letters swapped from, first letter kept ("rak": rack, "nek": neck,
        "rwo": row). Any other edit of so short a word lands on too many words ("med" is no
        "mid", "alt" no "lat")."""
        letters = string.ascii_lowercase
        longer = {word[:at] + letter + word[at:] for at in (1, 2, 3) for letter in letters}
        found = (longer | {word[0] + word[2] + word[1]}) & self.name_words
        return found.pop() if len(found) == 1 else None

    def _slip_meant(self, word: str, found: tuple[str, float, int], cutoff: float) -> str:
        """The word found, or of the words as few edits away the first with the word's
        letters: two letters typed in the wrong order is the commonest slip ("handel": handle,
        not handed; "sied": side, not sized, which scores higher only for being longer)."""
        letters = sorted(word)
        if sorted(found[0]) == letters:
            return found[0]
        near = process.extract(
            word,
            self._surface_list,
            scorer=OSA.distance,
            score_cutoff=OSA.distance(word, found[0]),
            limit=None,
        )
        for other, _, _ in near:
            if (
                sorted(other) == letters
                # A word of the library's own, and not a slip it made itself ("postion").
                and other in self.surface
                and other in self._everyday
                and OSA.normalized_similarity(word, other) >= cutoff
            ):
                return other
        return found[0]


def _phrases(text: object) -> tuple[tuple[str, ...], ...]:
    """A comma-separated list of phrases, each as its words (no phrases at all: none)."""
    return tuple(tuple(words(phrase)) for phrase in str(text).split(",") if words(phrase))


def _spelling(word: str) -> str:
    """The word with doubled letters single and a closing "-ight" as "-ite": "pallof" and
    "paloff" are "palof", "upright" and "uprite" are "uprite"."""
    if word.endswith("ight"):
        word = word[:-4] + "ite"
    return _DOUBLED.sub(r"\1", word)


_DOUBLED = re.compile(r"(.)\1")


SETS_BY_REPS = re.compile(r"\d{1,2}x\d{1,3}")  # "3x8": three sets of eight
TIMES = re.compile(r"(\d{1,2})x")  # "3x a week": three times
NUMBER_AND_UNIT = re.compile(r"(\d+)(kgs?|lbs?|cm|mm|km|mins?|secs?|am|pm)")


def numbers_read(raw_words: list[str]) -> list[str]:
    """Numbers as the words they stand for: sets-by-reps ("3x8 or 5x3?" asks about sets and
    reps), a count of times ("3x a week"), and a number run into its unit ("60kg", "30sec")
    as the number and the unit."""
    out: list[str] = []
    for word in raw_words:
        if not word[0].isdigit():
            out.append(word)
        elif SETS_BY_REPS.fullmatch(word):
            out += ["sets", "reps"]
        elif times := TIMES.fullmatch(word):
            out += [times[1], "times"]
        elif unit := NUMBER_AND_UNIT.fullmatch(word):
            out += [unit[1], unit[2]]
        else:
            out.append(word)
    return out


MAX_REMEMBERED = 100_000  # words whose look-ups a normaliser keeps (questions bring new ones)


def _remembered(memo: dict[str, _Found], word: str, find: Callable[[str], _Found]) -> _Found:
    if word in memo:
        return memo[word]
    found = find(word)
    if len(memo) < MAX_REMEMBERED:
        memo[word] = found
    return found


class _PerWord(dict[str, _Value]):
    """word -> what `analyse` makes of it, computed on first use."""

    def __init__(self, analyse: Callable[[str], _Value]) -> None:
        super().__init__()
        self._analyse = analyse

    def __missing__(self, word: str) -> _Value:
        value = self[word] = self._analyse(word)
        return value


class WordCache:
    """`Normaliser.stems` for a build, from what it made of each word before: a library writes a
    few thousand words millions of times. It keeps every word it meets, so it lives for one
    build only."""

    def __init__(self, normaliser: Normaliser) -> None:
        self.normaliser = normaliser
        stopwords = normaliser.vocabulary.stopwords
        # A word alone: expanded if it is a term, then stemmed (stopwords as written).
        self._tokens: _PerWord[tuple[str, ...]] = _PerWord(
            lambda word: tuple(normaliser.stems([word]))
        )
        self._content: _PerWord[tuple[str, ...]] = _PerWord(
            lambda word: tuple(token for token in self._tokens[word] if token not in stopwords)
        )
        # A word of a phrase term's replacement: stemmed only.
        self._stemmed: _PerWord[tuple[str, ...]] = _PerWord(
            lambda word: (word,) if word in stopwords else (stem(word),)
        )
        self._stemmed_content: _PerWord[tuple[str, ...]] = _PerWord(
            lambda word: tuple(token for token in self._stemmed[word] if token not in stopwords)
        )

    def stems(self, raw_words: list[str]) -> list[str]:
        """`Normaliser.stems(raw_words)`."""
        return self._analysed(raw_words, self._tokens, self._stemmed)

    def content(self, raw_words: list[str]) -> list[str]:
        """`stems(raw_words)` without stopwords."""
        return self._analysed(raw_words, self._content, self._stemmed_content)

    def _analysed(
        self,
        raw_words: list[str],
        alone: _PerWord[tuple[str, ...]],
        in_phrase: _PerWord[tuple[str, ...]],
    ) -> list[str]:
        phrases = self.normaliser.phrases(raw_words)
        if not phrases:
            return list(chain.from_iterable(map(alone.__getitem__, raw_words)))
        out: list[str] = []
        done = 0
        for start, end, replacement in phrases:
            out.extend(chain.from_iterable(map(alone.__getitem__, raw_words[done:start])))
            out.extend(chain.from_iterable(map(in_phrase.__getitem__, replacement)))
            done = end
        out.extend(chain.from_iterable(map(alone.__getitem__, raw_words[done:])))
        return out

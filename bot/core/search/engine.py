"""The answer engine: builds the index of a library and answers questions from it.

1. *Read the question* (query.py): plain words, tokens with typos corrected to the library's
   words, parts, intents.
2. *Which exercise could it be?* (name_scoring.py): the question's words against every page's
   name, aliases and attributes, through posting lists.
3. *Which passage answers it?* (candidates.py): every passage of the best-named pages and of the
   pages whose passages share the question's words (BM25, passages.py), with features.
4. *How sure are we?* A learned ranking (ranking.py) chooses among the candidates and "no
   answer"; a page's probability is the chance the exercise is right. Below the threshold the
   engine abstains with suggestions, or asks "which one?" when versions of one exercise fit.
   A question about a well-known exercise the library lacks is answered only from a page that
   names it (missing.py).
Questions that name only muscles, body parts or equipment get a list (lists.py). The index is
built by building.py; names for autocomplete and lookup are names.py.
"""

from __future__ import annotations

import functools
import math
import weakref

import numpy as np

from bot.core.loader import KnowledgeBase
from bot.core.model import Page
from bot.core.search.building import IndexBuilder, name_forms
from bot.core.search.candidates import CandidateBuilder, Candidates
from bot.core.search.entries import PageEntry, Passage, Query, to_match
from bot.core.search.followup import FollowUpReader
from bot.core.search.lists import ListAnswers
from bot.core.search.missing import MissingExercises, Named
from bot.core.search.name_scoring import NameEvidence, NameScorer
from bot.core.search.names import NameLookup, NameMatch
from bot.core.search.query import QueryReader, compares
from bot.core.search.ranking import Ranker, load_ranker
from bot.core.search.result import Match, Result
from bot.core.search.text import Vocabulary, default_vocabulary
from bot.core.search.tuning import (
    AMBIGUOUS_FLOOR,
    AMBIGUOUS_SHARE,
    ANSWER_CACHE_SIZE,
    DEFAULT_MIN_CONFIDENCE,
    MAX_ALTERNATIVES,
    MAX_AMBIGUOUS,
    MAX_OTHER_PASSAGES,
    MAX_QUESTION_CHARS,
    MAX_SUGGESTIONS,
    MIN_SUGGESTION,
    OTHER_PASSAGE_SHARE,
    PASSAGE_SURE_SHARE,
    SUGGESTION_FLOOR,
)


class AnswerIndex:
    """Built once from a KnowledgeBase; `answer()` is pure, does no I/O, and is safe to share."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        vocabulary: Vocabulary | None = None,
        ranker: Ranker | None = None,
    ) -> None:
        self.min_confidence = min_confidence
        vocab = (vocabulary or default_vocabulary()).with_terms(kb.synonyms)
        self.implements = vocab.implements
        built = IndexBuilder(vocab).build(kb)
        self.entries = built.entries
        self.reader = QueryReader(
            built.normaliser,
            built.name_weight,
            built.attribute_weight,
            built.name_pairs,
            built.joined_in_names,
            built.attribute_intents,
        )
        self.names_scorer = NameScorer(
            built.entries,
            built.name_weight,
            built.attribute_weight,
            built.unknown_weight,
            built.vocabulary_words,
        )
        self.lists = ListAnswers(self.names_scorer, built.normaliser)
        self.candidate_builder = CandidateBuilder(
            built.entries,
            built.documents,
            vocab,
            built.passage_weight,
            built.unknown_weight,
            built.name_rarity,
        )
        self.names = NameLookup(built.entries, self.reader, self.names_scorer)
        self.by_slug = self.names.by_slug
        self.missing = MissingExercises(
            vocab.known_exercises,
            (form for entry in built.entries for form in name_forms(entry.page)),
            (variant for entry in built.entries for variant in entry.variants),
            built.normaliser,
        )
        self.followups = FollowUpReader(
            built.entries,
            built.documents,
            built.normaliser,
            built.name_weight,
            built.attribute_weight,
            built.name_pairs,
            self.missing,
        )
        self.ranker: Ranker = ranker or load_ranker()
        self._cached_answer = _answer_cache(self)

    def answer(
        self, question: str, min_confidence: float | None = None, context: str | None = None
    ) -> Result:
        """The passage that answers the question, or none (with suggestions) when unsure.

        Below `min_confidence` (default: the index's) the engine abstains; when the pages that
        fit are versions of one exercise and none stands out, `Result.ambiguous` lists them.
        `context` is the slug of the previous answer's page: a follow-up that names no
        exercise ("and how many reps?") is read as if that exercise had been named
        (followup.py); a slug not in the library is no context.
        Results are immutable and the index never changes, so repeated questions (a server asks
        the same few things all day) are answered from a small cache.
        """
        threshold = self.min_confidence if min_confidence is None else min_confidence
        # The one place a question is cut: the Result (and so the question log) holds it so.
        question = question[:MAX_QUESTION_CHARS]
        if context is not None and context not in self.by_slug:
            context = None
        return self._cached_answer(question, threshold, context)

    def _read_question(
        self, question: str, context: str | None = None
    ) -> tuple[Query, NameEvidence, bool] | None:
        """(what was asked, the pages it names, whether it asks for a list); None when it
        holds no word to go on."""
        query = self.reader.read(question)
        if not query.content:
            return None
        named = self.names_scorer.score(query)
        listing = self.lists.asks_for_list(query, named)
        entry = self.by_slug.get(context) if context else None
        if entry is not None:
            followup = self.followups.read(query, named.ranked, entry, listing=listing)
            if followup is not None and followup is not query:
                query, named = followup, self.names_scorer.score(followup)
                listing = self.lists.asks_for_list(query, named)
        return query, named, listing

    def _answer(self, question: str, threshold: float, context: str | None) -> Result:
        ranking = self._ranking(question, context)
        if ranking is None:
            return Result(question, None, ())
        query, ranked, no_answer, listing, also = ranking
        if ranked and not listing and not self._covers(ranked[0], query):
            return self._unsure(question, query, ranked, no_answer, listing=False)
        return self._decide(
            question, query, ranked, threshold, no_answer=no_answer, listing=listing, also=also
        )

    def _ranking(
        self, question: str, context: str | None = None
    ) -> tuple[Query, list[Match], float, bool, tuple[Match, ...]] | None:
        """(what was asked, one match per page best first, the chance that none answers,
        whether it asks for a list, the first page's other passages that may answer); None
        when there is nothing to rank."""
        read = self._read_question(question, context)
        if read is None:
            return None
        query, named, listing = read
        if listing:
            return query, self.lists.answer(query, named.ranked), 0.0, True, ()
        candidates = self.candidates(query, named)
        if candidates is None:
            return None
        ranked, no_answer, also = self._rank(candidates)
        return query, ranked, no_answer, False, also

    def passage_for(self, question: str, slug: str) -> Match | None:
        """The passage of page `slug` that best answers `question`: the same match a
        suggestion or variant of that page carries (a click on one shows it); when the
        question does not reach the page, the passage it reaches read as a follow-up about
        the page, or else the page's first passage. None for a page not here."""
        entry = self.by_slug.get(slug)
        if entry is None or not entry.passages:
            return None
        # Not reached by the question alone ("and how many reps?"): read it about that page.
        for context in (None, slug):
            ranking = self._ranking(question, context)
            for match in ranking[1] if ranking is not None else ():
                if match.slug == slug:
                    return match
        return to_match(entry, entry.passages[0], 0.0)

    def ranking_candidates(self, question: str) -> tuple[Candidates, list[Match]] | None:
        """What the learned ranking chooses among for this question, each candidate as a
        Match (for fitting the ranking: bench/fit_ranker.py); None for lists and nothing."""
        read = self._read_question(question)
        if read is None or read[2]:
            return None
        query, named, _ = read
        candidates = self.candidates(query, named)
        if candidates is None:
            return None
        matches = [
            to_match(self.entries[candidates.pages[owner]], self.passage_list[passage], 1.0)
            for owner, passage in zip(
                candidates.owner.tolist(), candidates.passage_ids.tolist(), strict=True
            )
        ]
        return candidates, matches

    def _decide(
        self,
        question: str,
        query: Query,
        ranked: list[Match],
        threshold: float,
        *,
        no_answer: float = 0.0,
        listing: bool = False,
        also: tuple[Match, ...] = (),
    ) -> Result:
        """Answer, ask "which one?", or abstain with suggestions. Alternatives and suggestions
        are measured against the chance that the question is ours at all (1 - no_answer).
        `also`: the first page's other passages that may answer, given with its answer."""
        if not ranked:
            return Result(question, None, ())
        share = SUGGESTION_FLOOR * (1 - no_answer)
        # A list is about several exercises, not versions of one.
        family = [ranked[0]] if listing else self._family(query, ranked[0], ranked)
        best, merged = self._surest(query, family)
        if best.score >= threshold:
            floor = max(share, MIN_SUGGESTION)
            # One match per page: a page's slug tells its match (comparing matches whole
            # compares their texts).
            family_slugs = {m.slug for m in family}
            others = [
                m
                for m in ranked
                if m.slug != best.slug
                and m.slug not in merged
                and (m.score >= floor or (m.score >= MIN_SUGGESTION and m.slug in family_slugs))
            ]
            also = also if best.slug == ranked[0].slug else ()
            return Result(question, best, tuple(others[:MAX_ALTERNATIVES]), also=also)
        if len(family) >= 2 and sum(m.score for m in family) >= threshold:
            versions = _fitting_equally(family)[:MAX_AMBIGUOUS]
            if len(versions) >= 2:
                return Result(question, None, versions, tuple(m.slug for m in versions))
        return self._unsure(question, query, ranked, no_answer, listing=listing)

    def _surest(self, query: Query, family: list[Match]) -> tuple[Match, frozenset[str]]:
        """The answer to give and how sure it is, whatever the threshold: the likeliest page,
        or the version meant or a family-wide answer when the versions together are surer
        than it alone; with the pages whose chance the answer took in (their answer is the
        same words, so they are no alternative to it)."""
        best = family[0]
        if len(family) < 2:
            return best, frozenset()  # no versions to weigh: most questions
        meant = self._version_meant(query, family)
        if meant is not None and meant.score > best.score:
            best = meant
        settled = self._settled(family)
        if settled is not None and settled[0].score > best.score:
            return settled
        return best, frozenset()

    def _version_meant(self, query: Query, family: list[Match]) -> Match | None:
        """Unsure which version of an exercise: the one the question means (the plain
        version, or the only one it names), as sure as they are together. Not when the
        question compares versions ("hex bar vs normal")."""
        if len(family) < 2 or compares(query):
            return None
        total = math.fsum(m.score for m in family)
        versions = _fitting_equally(family)
        if not versions:
            return None  # none fits at all
        names = [self.by_slug[m.slug].name_tokens for m in versions]
        said = set(query.content)
        meant = self._plain_version(versions, names, said) or _only_one_named(versions, names, said)
        return meant._replace(score=min(total, 1.0)) if meant is not None else None

    def _plain_version(
        self, versions: tuple[Match, ...], names: list[frozenset[str]], said: set[str]
    ) -> Match | None:
        """A plain mention ("deadlift form") means the plain version: the likeliest page, when
        every word of its name was said but the ones a plain mention leaves out ("Barbell
        Deadlift"); a version that fits about as well but whose name was not said (the incline
        bench press, for "bench press form") does not make it unsure. Not when another version
        that fits about as well is named plainly too (Turkish get-up, lunge or squat style) or
        by a word the likeliest's name lacks."""
        best = versions[0]
        if not self._named_plainly(best.slug, said):
            return None
        for other, name in zip(versions[1:], names[1:], strict=True):
            # Named plainly too, or by a word said that the likeliest's name lacks.
            if self._named_plainly(other.slug, said) or (name - names[0]) & said:
                return None
        return best

    def _named_plainly(self, slug: str, said: set[str]) -> bool:
        """Every word of the page's name was said, but the ones a plain mention leaves out."""
        entry = self.by_slug[slug]
        implements = self.implements.intersection(said)
        return bool(entry.variants) and not entry.own_name - said - entry.plain_given(implements)

    def _unsure(
        self,
        question: str,
        query: Query,
        ranked: list[Match],
        no_answer: float,
        *,
        listing: bool,
    ) -> Result:
        """No answer; as suggestions, the pages the question names (a list question names
        no exercise)."""
        share = SUGGESTION_FLOOR * (1 - no_answer)
        suggestions = [
            m
            for m in ranked
            if m.score >= share and (listing or self.by_slug[m.slug].name_tokens & query.names)
        ]
        return Result(question, None, tuple(suggestions[:MAX_SUGGESTIONS]))

    def _settled(self, family: list[Match]) -> tuple[Match, frozenset[str]] | None:
        """When versions of an exercise answer in the same words (a family-wide FAQ), which
        one was meant does not matter: that answer, from the most general of them (the fewest
        name words), as sure as they are together; with the versions it speaks for."""
        same: dict[tuple[str, str], list[Match]] = {}
        for match in family:
            same.setdefault((match.heading, match.text), []).append(match)
        groups = [versions for versions in same.values() if len(versions) >= 2]
        if not groups:
            return None
        versions = max(groups, key=lambda group: math.fsum(m.score for m in group))
        general = min(versions, key=lambda m: len(self.by_slug[m.slug].name_tokens))
        score = min(1.0, math.fsum(m.score for m in versions))
        return general._replace(score=score), frozenset(m.slug for m in versions)

    def _covers(self, best: Match, query: Query) -> bool:
        """Can the best page answer about every exercise the question names? Not when it
        names one the library lacks that the page does not name (missing.py)."""
        named: Named = self.missing.named(query.text)
        if not named.exercises:
            return True
        entry = self.by_slug[best.slug]
        if not compares(query) and any(v <= named.rest for v in entry.variants):
            return True  # the question names this page too, and compares nothing
        documents = [self.followups.documents[n] for n in self.followups.passages[best.slug]]
        return all(self.missing.mentioned(e, documents) for e in named.exercises)

    def candidates(self, query: Query, named: NameEvidence) -> Candidates | None:
        """What the ranking chooses among (bench/fit_ranker.py learns from the same)."""
        return self.candidate_builder.build(query, named, self.ranker)

    @property
    def passage_list(self) -> list[Passage]:
        return self.candidate_builder.passage_list

    def complete(self, prefix: str, limit: int = 25) -> list[Page]:
        """Autocomplete: one entry per exercise, best first; alphabetical for an empty prefix."""
        return self.names.complete(prefix, limit)

    def find(self, name: str) -> NameMatch:
        """An exercise by slug or name: the page, the pages the name fits ("calf"), or the
        nearest names when none has it."""
        return self.names.find(name)

    def _rank(self, candidates: Candidates) -> tuple[list[Match], float, tuple[Match, ...]]:
        """One match per page, best first, its score the chance the exercise is right; the
        chance that no candidate answers; and the first page's other passages that may be
        what was asked (`_other_passages`)."""
        probabilities, no_answer = self.ranker.probabilities(
            candidates.features, candidates.question
        )
        owner = candidates.owner
        page_probability = np.bincount(
            owner, weights=probabilities, minlength=len(candidates.pages)
        )
        # Each page's best passage: candidates sorted by page, then by probability.
        by_page = np.lexsort((-probabilities, owner))
        starts = owner[by_page].searchsorted(np.arange(len(candidates.pages) + 1))
        best_passage = candidates.passage_ids[by_page[starts[:-1]]].tolist()
        chance = page_probability.tolist()
        entries = [self.entries[position] for position in candidates.pages]
        # Most likely first; of equal chances, the first slug (entries are in slug order).
        order = np.lexsort((np.array(candidates.pages), -page_probability)).tolist()
        passages = self.passage_list
        ranked = [
            to_match(entries[n], passages[best_passage[n]], min(1.0, chance[n])) for n in order
        ]
        also: tuple[Match, ...] = ()
        if order:
            first = order[0]
            rows = by_page[starts[first] : starts[first + 1]]  # the page's, most likely first
            also = self._other_passages(
                entries[first],
                candidates.passage_ids[rows].tolist(),
                probabilities[rows].tolist(),
                chance[first],
            )
        return ranked, no_answer, also

    def _other_passages(
        self, entry: PageEntry, passage_ids: list[int], chances: list[float], page_chance: float
    ) -> tuple[Match, ...]:
        """When no passage of this page (most likely first, with their chances) holds
        PASSAGE_SURE_SHARE of its chance, its next passages that hold OTHER_PASSAGE_SHARE each:
        the page fits, but which of its answers was asked is a close call. A passage headed
        as one before it (an FAQ question written twice) is left out."""
        if not page_chance or chances[0] >= PASSAGE_SURE_SHARE * page_chance:
            return ()
        headings = {self.passage_list[passage_ids[0]].heading}
        others: list[Match] = []
        for passage_id, passage_chance in zip(passage_ids[1:], chances[1:], strict=True):
            passage = self.passage_list[passage_id]
            if passage_chance < OTHER_PASSAGE_SHARE * page_chance:
                break  # most likely first: the rest hold less
            if passage.heading not in headings:
                headings.add(passage.heading)
                others.append(to_match(entry, passage, passage_chance))
                if len(others) == MAX_OTHER_PASSAGES:
                    break
        return tuple(others)

    def _family(self, query: Query, best: Match, ranked: list[Match]) -> list[Match]:
        """The best match and the other versions of its exercise among the candidates: pages
        whose names hold every word the question said of the best one's name."""
        said = self.by_slug[best.slug].name_tokens & query.names
        if not said:
            return [best]
        return [m for m in ranked if said <= self.by_slug[m.slug].name_tokens]


def _only_one_named(
    versions: tuple[Match, ...], names: list[frozenset[str]], said: set[str]
) -> Match | None:
    """The one version whose name holds every word said, a bare name: "db rows" is the
    dumbbell row, though the barbell row's FAQ comparing the two fits about as well. (A
    question with words of its own is left to the ranking: "palm facing down" does not say
    the Palms-Down page.)"""
    holding = [m for m, name in zip(versions, names, strict=True) if said and said <= name]
    return holding[0] if len(versions) >= 2 and len(holding) == 1 else None


def _fitting_equally(family: list[Match]) -> tuple[Match, ...]:
    """The versions (the likeliest first) that fit about as well as the likeliest: "which
    one?" offers these."""
    floor = max(AMBIGUOUS_FLOOR, AMBIGUOUS_SHARE * family[0].score)
    return tuple(m for m in family if m.score >= floor)


def _answer_cache(index: AnswerIndex) -> functools._lru_cache_wrapper[Result]:
    """The index's cache of recent answers. It holds the index only weakly: a cache around the
    bound method would make a cycle, and a library nobody uses any more would then wait for a
    full garbage collection (a long pause at 10,000 pages) instead of being freed at once."""
    owner = weakref.ref(index)

    def answer(question: str, threshold: float, context: str | None) -> Result:
        alive = owner()
        if alive is None:  # only the index calls this, so it is alive
            raise ReferenceError("the answer index is gone")
        return alive._answer(question, threshold, context)

    return functools.lru_cache(maxsize=ANSWER_CACHE_SIZE)(answer)

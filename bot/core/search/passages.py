"""Lexical retrieval over every passage's full text (BM25, Okapi weighting).

A passage is one FAQ entry (question and answer), or a page's steps, tips, mistakes, overview or
attributes; its page's name is part of its text, as a title is part of a document. Scores are
precomputed per (word, passage), so a question costs the length of its words' posting lists:
the work grows with what the question matches, not with the size of the library.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from bot.core.search.top import top_positions

BM25_K1 = 1.2
BM25_B = 0.75
COMMON_SHARE = 0.05  # a word in more passages than this is left out of finding candidates
RESCORED_PER_KEPT = 4  # ... and then orders this many times the passages kept, found without it
SEARCH_CAP = 1000  # passages per word considered when finding candidates
# Passages (and pairs) handled per numpy call while building: each call well under a
# millisecond, so the event loop gets the GIL in between, and temporaries stay small.
BUILD_CHUNK = 1 << 16


class DocumentsBuilder:
    """Collects every passage's words as token ids, a passage at a time (building.py)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.tokens = array("i")  # 4 bytes a word, not a tuple slot and a Python int
        self.starts = array("q", [0])

    def add(self, words: Iterable[str]) -> int:
        """Add one passage; returns its length in words."""
        ids = self.ids
        before = len(self.tokens)
        words = list(words)
        for word in dict.fromkeys(words):  # new words numbered as they first occur
            if word not in ids:
                ids[word] = len(ids)
        self.tokens.extend(map(ids.__getitem__, words))
        self.starts.append(len(self.tokens))
        return len(self.tokens) - before

    def build(self) -> Documents:
        words = tuple(self.ids)
        tokens = np.frombuffer(self.tokens, dtype=np.intc)
        # uint16 when the library's words fit (10,000 pages use a few thousand): half the size.
        dtype = np.uint16 if len(words) <= 1 << 16 else np.int32
        documents = Documents(words, tokens.astype(dtype), np.frombuffer(self.starts, np.longlong))
        del tokens
        self.tokens = array("i")
        return documents


class Documents:
    """Every passage's indexed words, in passage order: passage n is the token ids
    tokens[starts[n]:starts[n + 1]], word = words[id]. One array, not a tuple per passage: a
    tenth of the memory and two objects instead of a hundred thousand."""

    def __init__(self, words: tuple[str, ...], tokens: np.ndarray, starts: np.ndarray) -> None:
        self.words = words
        self.tokens = tokens
        self.starts = starts

    @classmethod
    def of(cls, documents: Iterable[Iterable[str]]) -> Documents:
        builder = DocumentsBuilder()
        for document in documents:
            builder.add(document)
        return builder.build()

    def __len__(self) -> int:
        return len(self.starts) - 1

    def lengths(self) -> np.ndarray:
        return np.diff(self.starts)

    def __getitem__(self, number: int) -> list[str]:
        """One passage's words, in order."""
        words = self.words
        low, high = self.starts[number], self.starts[number + 1]
        return [words[token] for token in self.tokens[low:high].tolist()]

    def words_of(self, passages: range) -> frozenset[str]:
        """Every word of these consecutive passages."""
        if not passages:
            return frozenset()
        low, high = self.starts[passages.start], self.starts[passages.stop]
        words = self.words
        return frozenset(words[token] for token in np.unique(self.tokens[low:high]).tolist())


class PassageRetriever:
    """BM25 over token lists; passages are addressed by their position in `documents`."""

    def __init__(self, documents: Documents | Sequence[Sequence[str]]) -> None:
        if not isinstance(documents, Documents):
            documents = Documents.of(documents)
        count = len(documents)
        lengths = documents.lengths()
        vocabulary = documents.words
        stride = max(count, 1)
        pairs, tf = _word_passage_pairs(documents, stride)
        # Pairs are sorted by word: each word's posting list is one slice.
        firsts = np.arange(len(vocabulary) + 1, dtype=pairs.dtype) * stride
        bounds = np.searchsorted(pairs, firsts)
        df = np.diff(bounds)
        idf = np.log(1 + (count - df + 0.5) / (df + 0.5))
        average = float(lengths.mean()) if count else 1.0
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(average, 1e-9))
        # idf * tf * (k1 + 1) / (tf + norm), a slice at a time, in float64 and then stored as
        # float32: the float64 temporaries stay slice-sized.
        impact = np.empty(len(pairs), dtype=np.float32)
        # Each slice's passages overwrite its keys, read just before, when both are 4 bytes.
        in_place = pairs.dtype == np.uint32
        passages = pairs.view(np.int32) if in_place else np.empty(len(pairs), dtype=np.int32)
        for low in range(0, len(pairs), BUILD_CHUNK):
            high = low + BUILD_CHUNK
            word, passage = np.divmod(pairs[low:high], stride)
            counts = tf[low:high]
            part = idf[word]
            part *= counts
            part *= BM25_K1 + 1
            denominator = norm[passage]
            denominator += counts
            part /= denominator
            impact[low:high] = part
            passages[low:high] = passage
        del tf
        self.size = count
        self._local = threading.local()  # answer() may run in a worker thread too
        self.idf: dict[str, float] = {}
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        # For finding candidates, each word's best-scoring passages only (impact order): a word
        # in thousands of passages then costs no more than a rare one.
        self.best_postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._floors: dict[tuple[str, int], float] = {}  # search(): see _floor()
        for number, token in enumerate(vocabulary):
            low, high = bounds[number], bounds[number + 1]
            self.idf[token] = float(idf[number])
            ids, scores = passages[low:high], impact[low:high]
            self.postings[token] = (ids, scores)
            if high - low > SEARCH_CAP:
                best = top_positions(scores, SEARCH_CAP)
                self.best_postings[token] = (ids[best], scores[best])

    def best_possible(self, tokens: Sequence[str]) -> float:
        """The score of a passage holding every one of these words once at average length."""
        return math.fsum(self.idf.get(token, 0.0) for token in set(tokens))

    def search(self, tokens: Sequence[str], limit: int) -> tuple[np.ndarray, np.ndarray]:
        """(passage ids, scores), best first, at most `limit`.

        Scores add up in a per-thread scratch array that is cleared where it was touched, so a
        question costs the length of its words' posting lists, never the size of the library.
        """
        known = [t for t in dict.fromkeys(tokens) if t in self.postings]
        if not known:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        # Words in a large share of all passages barely tell passages apart but cost the most:
        # when rarer words were asked too, they find the candidates alone.
        rare = [t for t in known if len(self.postings[t][0]) <= COMMON_SHARE * self.size]
        searched = rare or known
        lists = [self.best_postings.get(t, self.postings[t]) for t in searched]
        if len(lists) == 1:
            ids, scores = lists[0]
        else:
            scratch = self._scratch()
            for posting_ids, impact in lists:
                np.add.at(scratch, posting_ids, impact)  # (faster here than fancy-index +=)
            ids = np.concatenate([posting_ids for posting_ids, _ in lists])
            scores = scratch.take(ids)
            scratch[ids] = 0.0
        # Found by the rarer words, ordered by every asked word: "squatting to parallel" finds
        # the passages saying "parallel", and puts the squat ones among them first. Only the
        # rarer words' best few times `limit` are scored again: a lookup each per common word.
        common = [t for t in known if t not in rare] if rare else []
        wide = limit * RESCORED_PER_KEPT if common else limit
        if len(ids) > wide:
            # A passage scores at least its impact in each list, so the wide-th best score is
            # at least any one list's wide-th best impact: only passages scoring that much can
            # make the cut (in their order, so the same of those tied at the cut are kept).
            floor = max(self._floor(token, wide) for token in searched)
            contenders = (scores >= floor).nonzero()[0]
            keep = contenders[top_positions(scores[contenders], wide)]
            ids, scores = ids[keep], scores[keep]
        if common:
            scores = scores.copy()  # (it may be a posting list's own impacts)
        for token in common:
            posting_ids, impact = self.postings[token]  # ids ascending
            at = posting_ids.searchsorted(ids)
            np.minimum(at, len(posting_ids) - 1, out=at)  # past the last: no hit there
            scores += impact[at] * (posting_ids[at] == ids)
        if len(ids) > limit:
            keep = top_positions(scores, limit)
            ids, scores = ids[keep], scores[keep]
        # Best first, of equal scores the first passage; a passage of several words once (its
        # copies score the same, so they are side by side).
        order = np.lexsort((ids, -scores))
        ids, scores = ids[order], scores[order]
        first = np.ones(len(ids), dtype=bool)
        np.not_equal(ids[1:], ids[:-1], out=first[1:])
        return ids[first][:limit], scores[first][:limit]

    def _floor(self, token: str, limit: int) -> float:
        """The limit-th best impact of the word among the passages search() reads for it (0
        when it has no more), worked out once per word."""
        floor = self._floors.get((token, limit))
        if floor is None:
            impact = self.best_postings.get(token, self.postings[token])[1]
            floor = 0.0 if len(impact) < limit else float(np.partition(impact, -limit)[-limit])
            self._floors[token, limit] = floor
        return floor

    def _scratch(self) -> np.ndarray:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = np.zeros(self.size, dtype=np.float32)
        return scratch

    def impacts(self, tokens: Sequence[str], passage_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Each word's BM25 share in each given passage: a (words x passages) matrix whose
        column sums are the passages' scores."""
        wanted = np.asarray(passage_ids, dtype=np.int32)
        matrix = np.zeros((len(tokens), len(wanted)))
        for row, token in enumerate(tokens):
            posting = self.postings.get(token)
            if posting is None:
                continue
            ids, impact = posting
            where = ids.searchsorted(wanted)
            where[where == len(ids)] = 0  # past the last: ids[0] is smaller, so no hit
            np.copyto(matrix[row], impact[where], where=ids[where] == wanted)
        return matrix


def _word_passage_pairs(documents: Documents, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """(word id * stride + passage, how often the word is in the passage): one entry per
    distinct word of each passage, sorted. A key per token is made a few thousand passages at a
    time (short calls) and sorted in place (numpy lets go of the GIL while it sorts); keys are
    4 bytes each when they fit. The distinct keys are counted first, a slice at a time, so
    that only the keys, the pairs and their counts are ever whole arrays."""
    tokens, starts = documents.tokens, documents.starts
    count, total = len(documents), len(tokens)
    fits = len(documents.words) * stride < 1 << 32
    keys: np.ndarray[Any, np.dtype[Any]] = np.empty(total, dtype=np.uint32 if fits else np.int64)
    lengths = documents.lengths()
    step = max(1, BUILD_CHUNK // 32)  # passages are a few dozen words long
    for first in range(0, count, step):
        last = min(count, first + step)
        part = keys[starts[first] : starts[last]]
        part[:] = tokens[starts[first] : starts[last]]
        part *= stride
        part += np.repeat(np.arange(first, last, dtype=keys.dtype), lengths[first:last])
    keys.sort()

    chunks = range(0, total, BUILD_CHUNK)
    distinct = sum(len(_run_starts(keys, low)) for low in chunks)
    pairs = np.empty(distinct, dtype=keys.dtype)
    # Where each run of equal keys starts, then (in place) its length.
    tf: np.ndarray[Any, np.dtype[Any]] = np.empty(
        distinct, dtype=np.int32 if total < 1 << 31 else np.int64
    )
    filled = 0
    for low in chunks:
        found = _run_starts(keys, low)
        pairs[filled : filled + len(found)] = keys[found]
        tf[filled : filled + len(found)] = found
        filled += len(found)
    del keys
    for low in range(0, distinct - 1, BUILD_CHUNK):
        high = min(distinct - 1, low + BUILD_CHUNK)
        tf[low:high] = tf[low + 1 : high + 1] - tf[low:high]
    if distinct:
        tf[-1] = total - tf[-1]
    return pairs, tf


def _run_starts(keys: np.ndarray, low: int) -> np.ndarray:
    """Where a new key begins in the sorted keys[low:low + BUILD_CHUNK], as positions in keys."""
    high = min(len(keys), low + BUILD_CHUNK)
    new = np.empty(high - low, dtype=bool)
    new[0] = low == 0 or keys[low] != keys[low - 1]
    np.not_equal(keys[low + 1 : high], keys[low : high - 1], out=new[1:])
    return np.flatnonzero(new) + low

"""Lexical retrieval over every passage's full text (BM25, Okapi weighting).

A passage is one FAQ entry (question and answer), or a page's steps, tips, mistakes, overview or
attributes; its page's name is part of its text, as a title is part of a document. Scores are
precomputed per (word, passage), so a question costs the length of its words' posting lists:
the work grows with what the question matches, not with the size of the library.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence

import numpy as np

BM25_K1 = 1.2
BM25_B = 0.75
COMMON_SHARE = 0.05  # a word in more passages than this is left out of finding candidates
SEARCH_CAP = 1000  # passages per word considered when finding candidates


class PassageRetriever:
    """BM25 over token lists; passages are addressed by their position in `documents`."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        count = len(documents)
        lengths = np.fromiter((len(doc) for doc in documents), dtype=np.int64, count=count)
        # One key per token: its word's id (in order of first use) * count + its passage, so
        # that sorting the keys sorts by word, then passage. Straight from a generator into
        # an array: no list of every token and no Python int per token (millions at 10,000
        # pages), and no single long C call over all of them (np.array of a list, np.repeat),
        # which would hold the GIL and stall the event loop during a reload.
        vocabulary: dict[str, int] = {}
        stride = max(count, 1)
        keys = np.fromiter(
            (
                vocabulary.setdefault(token, len(vocabulary)) * stride + number
                for number, doc in enumerate(documents)
                for token in doc
            ),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
        # One (word, passage) pair per distinct word of a passage, with its count: each
        # word's posting list is one slice.
        pairs, tf = np.unique(keys, return_counts=True)
        del keys
        words, passages = np.divmod(pairs, stride)
        del pairs
        df = np.bincount(words, minlength=len(vocabulary))
        idf = np.log(1 + (count - df + 0.5) / (df + 0.5))
        average = float(lengths.mean()) if count else 1.0
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(average, 1e-9))
        # idf * tf * (k1 + 1) / (tf + norm), in place: one pair-sized temporary, not four.
        impact = idf[words]
        impact *= tf
        impact *= BM25_K1 + 1
        denominator = norm[passages]
        denominator += tf
        impact /= denominator
        del denominator
        impact = impact.astype(np.float32)
        bounds = np.concatenate([[0], np.cumsum(df)])
        passages = passages.astype(np.int32)
        self.size = count
        self._local = threading.local()  # answer() may run in a worker thread too
        self.idf: dict[str, float] = {}
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        # For finding candidates, each word's best-scoring passages only (impact order): a word
        # in thousands of passages then costs no more than a rare one.
        self.best_postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for token, number in vocabulary.items():
            low, high = bounds[number], bounds[number + 1]
            self.idf[token] = float(idf[number])
            ids, scores = passages[low:high], impact[low:high]
            self.postings[token] = (ids, scores)
            if high - low > SEARCH_CAP:
                best = np.argpartition(-scores, SEARCH_CAP)[:SEARCH_CAP]
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
        lists = [self.best_postings.get(t, self.postings[t]) for t in rare or known]
        if len(lists) == 1:
            ids, scores = lists[0]
        else:
            scratch = self._scratch()
            for posting_ids, impact in lists:
                scratch[posting_ids] += impact  # ids are unique within one posting list
            touched = np.concatenate([posting_ids for posting_ids, _ in lists])
            scores = scratch[touched]
            scratch[touched] = 0.0
            ids = touched
        if len(ids) > limit:
            keep = np.argpartition(-scores, limit)[:limit]
            ids, scores = ids[keep], scores[keep]
        ids, first = np.unique(ids, return_index=True)  # a passage of several words once
        scores = scores[first]
        order = np.argsort(-scores, kind="stable")[:limit]
        return ids[order], scores[order]

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
            where = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
            hit = ids[where] == wanted
            matrix[row, hit] = impact[where[hit]]
        return matrix

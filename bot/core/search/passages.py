"""Lexical retrieval over every passage's full text (BM25, Okapi weighting).

A passage is one FAQ entry (question and answer), or a page's steps, tips, mistakes, overview or
attributes; its page's name is part of its text, as a title is part of a document. Scores are
precomputed per (word, passage), so a question costs the length of its words' posting lists:
the work grows with what the question matches, not with the size of the library.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

BM25_K1 = 1.2
BM25_B = 0.75


class PassageRetriever:
    """BM25 over token lists; passages are addressed by their position in `documents`."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        count = len(documents)
        lengths = np.array([len(doc) for doc in documents], dtype=np.float64)
        average = float(lengths.mean()) if count else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for position, doc in enumerate(documents):
            for token, tf in Counter(doc).items():
                postings.setdefault(token, []).append((position, tf))
        self.size = count
        self.idf: dict[str, float] = {}
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(average, 1e-9))
        for token, hits in postings.items():
            df = len(hits)
            idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
            ids = np.fromiter((p for p, _ in hits), dtype=np.int32, count=df)
            tf = np.fromiter((t for _, t in hits), dtype=np.float64, count=df)
            impact = idf * tf * (BM25_K1 + 1) / (tf + norm[ids])
            self.idf[token] = idf
            self.postings[token] = (ids, impact.astype(np.float32))

    def best_possible(self, tokens: Sequence[str]) -> float:
        """The score of a passage holding every one of these words once at average length."""
        return sum(self.idf.get(token, 0.0) for token in set(tokens))

    def search(self, tokens: Sequence[str], limit: int) -> tuple[np.ndarray, np.ndarray]:
        """(passage ids, scores), best first, at most `limit`."""
        lists = [self.postings[t] for t in dict.fromkeys(tokens) if t in self.postings]
        if not lists:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        if len(lists) == 1:
            ids, scores = lists[0]
        else:
            all_ids = np.concatenate([ids for ids, _ in lists])
            all_scores = np.concatenate([scores for _, scores in lists])
            ids, inverse = np.unique(all_ids, return_inverse=True)
            scores = np.bincount(inverse, weights=all_scores).astype(np.float32)
        if len(ids) > limit:
            keep = np.argpartition(-scores, limit)[:limit]
            ids, scores = ids[keep], scores[keep]
        order = np.argsort(-scores, kind="stable")
        return ids[order], scores[order]

    def impacts(self, tokens: Sequence[str], passage_ids: Sequence[int]) -> np.ndarray:
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

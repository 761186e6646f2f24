"""BM25 over passages: the vectorised index gives the textbook Okapi scores."""

import math
from collections import Counter

import numpy as np

from bot.core.search.passages import BM25_B, BM25_K1, PassageRetriever

DOCUMENTS = [["squat", "depth", "squat"], ["depth", "knee"], [], ["squat", "bar", "bar", "bar"]]


def okapi(token: str) -> list[tuple[int, float]]:
    count = len(DOCUMENTS)
    lengths = [len(doc) for doc in DOCUMENTS]
    average = sum(lengths) / count
    hits = [(i, Counter(doc)[token]) for i, doc in enumerate(DOCUMENTS) if token in doc]
    idf = math.log(1 + (count - len(hits) + 0.5) / (len(hits) + 0.5))
    return [
        (
            i,
            idf
            * tf
            * (BM25_K1 + 1)
            / (tf + BM25_K1 * (1 - BM25_B + BM25_B * lengths[i] / average)),
        )
        for i, tf in hits
    ]


def test_postings_hold_the_okapi_score_of_every_passage() -> None:
    retriever = PassageRetriever(DOCUMENTS)
    for token in ("squat", "depth", "knee", "bar"):
        ids, impacts = retriever.postings[token]
        expected = okapi(token)
        assert ids.tolist() == [i for i, _ in expected]
        assert np.allclose(impacts, [score for _, score in expected], rtol=1e-5)


def test_search_adds_up_words_and_ranks_best_first() -> None:
    retriever = PassageRetriever(DOCUMENTS)
    ids, scores = retriever.search(["squat", "depth"], limit=10)
    totals = Counter()
    for token in ("squat", "depth"):
        for i, score in okapi(token):
            totals[i] += score
    assert ids.tolist() == [i for i, _ in totals.most_common()]
    assert np.allclose(scores, [s for _, s in totals.most_common()], rtol=1e-5)
    assert retriever.search(["nothing"], limit=10)[0].tolist() == []
    # The scratch space is clean again: the same search gives the same scores.
    assert np.allclose(retriever.search(["squat", "depth"], limit=10)[1], scores)

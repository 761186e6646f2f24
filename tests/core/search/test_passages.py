"""BM25 over passages: the vectorised index gives the textbook Okapi scores."""

import math
import random
from collections import Counter
from collections.abc import Sequence

import numpy as np

from bot.core.search.passages import (
    BM25_B,
    BM25_K1,
    BUILD_CHUNK,
    COMMON_SHARE,
    RESCORED_PER_KEPT,
    Documents,
    PassageRetriever,
)
from bot.core.search.top import top_positions

DOCUMENTS = [["squat", "depth", "squat"], ["depth", "knee"], [], ["squat", "bar", "bar", "bar"]]


def okapi(token: str, documents: Sequence[Sequence[str]] = DOCUMENTS) -> list[tuple[int, float]]:
    count = len(documents)
    lengths = [len(doc) for doc in documents]
    average = sum(lengths) / count
    hits = [(i, Counter(doc)[token]) for i, doc in enumerate(documents) if token in doc]
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


def test_documents_keep_every_passage_s_words() -> None:
    documents = Documents.of(DOCUMENTS)
    assert len(documents) == len(DOCUMENTS)
    assert [documents[n] for n in range(len(documents))] == DOCUMENTS
    assert documents.lengths().tolist() == [3, 2, 0, 4]
    assert documents.words_of(range(0, 2)) == {"squat", "depth", "knee"}
    assert documents.words_of(range(2, 3)) == frozenset()


def test_a_library_built_in_many_slices_has_the_okapi_postings() -> None:
    """Keys, runs and scores are made a slice at a time: a corpus of several slices, with runs
    of one word across slice edges, scores as if made whole."""
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(300)]
    documents = [
        rng.choices(vocabulary[: rng.randint(1, 300)], k=rng.randint(0, 60)) for _ in range(6000)
    ]
    assert sum(map(len, documents)) > 2 * BUILD_CHUNK
    retriever = PassageRetriever(Documents.of(documents))
    for token in vocabulary:
        ids, impacts = retriever.postings[token]
        expected = okapi(token, documents)
        assert ids.tolist() == [i for i, _ in expected]
        assert np.allclose(impacts, [score for _, score in expected], rtol=1e-5)


def test_keys_too_large_for_4_bytes_give_the_same_postings() -> None:
    """words x passages over 2**32: keys are 8 bytes and passages get their own array."""
    documents = [[f"w{n}", "shared", f"w{n}"] if n % 2 else [f"w{n}"] for n in range(70_000)]
    assert len(documents) * (len(documents) + 1) >= 1 << 32
    retriever = PassageRetriever(Documents.of(documents))
    for token in ("w0", "w1", "w69999", "shared"):
        ids, impacts = retriever.postings[token]
        expected = okapi(token, documents)
        assert ids.tolist() == [i for i, _ in expected]
        assert np.allclose(impacts, [score for _, score in expected], rtol=1e-5)


def test_impacts_hold_each_word_s_posting_score_in_each_passage() -> None:
    retriever = PassageRetriever(DOCUMENTS)
    words = ["squat", "nothing", "bar", "squat"]  # an unknown word, and one asked twice
    passages = [3, 0, 2, 1]
    matrix = retriever.impacts(words, passages)
    nowhere = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
    for row, word in enumerate(words):
        ids, scores = retriever.postings.get(word, nowhere)
        held = dict(zip(ids.tolist(), scores.tolist(), strict=True))
        assert matrix[row].tolist() == [held.get(passage, 0.0) for passage in passages]
    # Passage 3 comes after the last passage holding "knee" (1).
    assert retriever.impacts(["knee"], [3, 1]).tolist() == [[0.0, held_knee()]]


def held_knee() -> float:
    ids, scores = PassageRetriever(DOCUMENTS).postings["knee"]
    return float(scores[ids.tolist().index(1)])


def test_search_keeps_the_same_passages_as_a_cut_over_every_one_it_reads() -> None:
    """search() skips passages that cannot make the cut (below any one word's limit-th best
    impact): what it keeps, ties at the cut included, is what a cut over all of them keeps."""
    rng = random.Random(3)
    vocabulary = [f"w{n}" for n in range(12)]
    templates = [rng.choices(vocabulary, k=rng.randint(1, 8)) for _ in range(40)]
    documents = [list(rng.choice(templates)) for _ in range(3000)]  # many exact ties
    retriever = PassageRetriever(documents)
    assert all(len(ids) > COMMON_SHARE * len(documents) for ids, _ in retriever.postings.values())
    assert retriever.best_postings
    for _ in range(200):
        asked = rng.sample(vocabulary, rng.randint(1, 5))
        limit = rng.choice([1, 5, 40])
        searched = [t for t in asked if t in retriever.postings]
        if not searched:
            continue
        # Every word is in many passages: each is searched by its best ones (at most
        # SEARCH_CAP), in list order.
        lists = [retriever.best_postings.get(t, retriever.postings[t]) for t in searched]
        totals: Counter[int] = Counter()
        for passages, impacts in lists:
            for passage, impact in zip(passages.tolist(), impacts, strict=True):
                totals[passage] = np.float32(totals[passage] + impact)
        read = [p for passages, _ in lists for p in passages.tolist()]
        scores = np.array([totals[p] for p in read], dtype=np.float32)
        kept = {read[n] for n in top_positions(scores, limit).tolist()}
        expected = sorted(kept, key=lambda p: (-totals[p], p))
        ids, found = retriever.search(asked, limit)
        assert ids.tolist() == expected
        assert found.tolist() == [totals[p] for p in expected]


def test_the_rarer_words_find_passages_and_every_word_orders_them() -> None:
    """ "squatting to parallel": "parallel" finds the passages, "squat" (in too many to search
    by) puts the one about squats first, though its length makes it the weakest on "parallel"
    alone (it is among the RESCORED_PER_KEPT x limit best on the rarer words)."""
    squat_and_parallel = ["parallel", "squat", "below", "knee", "bar", "depth"]
    documents = (
        [["squat", "knee", "bar"]] * 60
        + [["parallel", "bar", "grip", "wide", "dip"]] * (RESCORED_PER_KEPT * 5 - 1)
        + [squat_and_parallel]
        + [["row", "back"]] * 600
    )
    retriever = PassageRetriever(documents)
    assert len(retriever.postings["squat"][0]) > COMMON_SHARE * len(documents)
    assert len(retriever.postings["parallel"][0]) <= COMMON_SHARE * len(documents)
    weakest = documents.index(squat_and_parallel)
    assert weakest not in retriever.search(["parallel"], 5)[0]
    ids, scores = retriever.search(["squat", "parallel"], 5)
    assert ids[0] == weakest
    assert len(ids) == 5 and scores[0] > scores[1]

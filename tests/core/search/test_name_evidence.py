"""Name evidence: the best-named pages a question's candidates start from are where the pages
worth reading (`ranked`, made only when read) start, ties at the cut included; posting lists
merged by sorting or counted give the same evidence."""

import pytest

from bot.core.loader import load_knowledge
from bot.core.parsing import slugify
from bot.core.search import AnswerIndex, name_scoring
from bot.core.search.entries import PageScore
from bot.core.search.name_scoring import NameEvidence
from bot.core.search.tuning import CANDIDATES, NAME_CANDIDATES


def evidence_of(index: AnswerIndex, question: str) -> NameEvidence:
    return index.names_scorer.score(index.reader.read(question))


def named_first(pages: list[PageScore], count: int) -> list[tuple[str, float, float]]:
    """The first `count` pages that the question names, as comparable values."""
    return [
        (page.entry.page.slug, page.score, page.name_coverage)
        for page in pages[:count]
        if page.score > 0
    ]


def best_named(evidence: NameEvidence, count: int) -> list[tuple[str, float, float]]:
    """`evidence.best_named(count)` as named_first's values."""
    positions, scores, coverages = evidence.best_named(count)
    return [
        (evidence.entries[position].page.slug, score, coverage)
        for position, score, coverage in zip(positions, scores, coverages, strict=True)
        if score > 0
    ]


@pytest.mark.parametrize(
    "question",
    [
        "how do i do a goblet squat",
        "curl",
        "press",
        "dumbbell",
        "chest exercises with dumbbells",
        "hammer curls vs bicep curls",
        "what is the best glute exercise",
        "hello there",
    ],
)
@pytest.mark.parametrize("count", [1, NAME_CANDIDATES, CANDIDATES])
def test_best_named_is_where_ranked_starts(index, question, count):
    evidence = evidence_of(index, question)
    assert best_named(evidence, count) == named_first(evidence.ranked, count)


def test_pages_named_equally_well_go_to_the_first_slugs_at_the_cut(tmp_path):
    """Thirty curls, two dozen of them named equally well: the first slugs, both ways."""
    names = [f"{word} Curl" for word in ("Zeta", "Alpha", "Kappa", "Delta", "Omicron", "Beta")]
    names += [f"Curl Variant {number}" for number in range(24)]
    for name in names:
        (tmp_path / f"{slugify(name)}.md").write_text(
            f"# {name}\n\n## Quick answer\n\nA {name.lower()}.\n\n- **Equipment:** Dumbbell\n"
            f"\n## How to perform\n\n1. Curl.\n"
        )
    index = AnswerIndex(load_knowledge(tmp_path))
    evidence = evidence_of(index, "curl")
    best = best_named(evidence, NAME_CANDIDATES)
    assert best == named_first(evidence.ranked, NAME_CANDIDATES)
    # Six names said better than the variants, then the cut among 24 variants named as well.
    assert [slug for slug, *_ in best] == [
        *("alpha-curl", "beta-curl", "delta-curl", "kappa-curl", "omicron-curl", "zeta-curl"),
        *("curl-variant-0", "curl-variant-1", "curl-variant-10", "curl-variant-11"),
    ]
    assert evidence.ranked[NAME_CANDIDATES].score == best[-1][1]  # the cut is inside a tie


def test_a_question_naming_nothing_has_no_evidence(index):
    evidence = evidence_of(index, "zzzz qqqq")
    assert evidence.best_named(NAME_CANDIDATES) == ([], [], [])
    assert evidence.ranked == []


def test_a_default_qualifier_names_the_plain_exercise(index):
    """ "conventional" says which deadlift is meant: the plain one, as named in full; a word no
    page knows, said before the name, names another exercise."""
    plain = best_named(evidence_of(index, "how do i do a deadlift"), 1)
    qualified = best_named(evidence_of(index, "how do i do a conventional deadlift"), 1)
    unknown = best_named(evidence_of(index, "how do i do a zercher deadlift"), 1)
    assert qualified == plain
    assert unknown[0][0] == plain[0][0] and unknown[0][1] < plain[0][1]


@pytest.mark.parametrize(
    "question",
    [
        "dumbbell",
        "how do i do a goblet squat",
        "hammer curls vs bicep curls",
        "bench press or incline bench press with dumbbells",
        "chest exercises with dumbbells",
        "deadlift, not the romanian one",
        "how do i do a zercher deadlift",
        "barbell row form",
    ],
)
def test_posting_lists_merged_or_counted_give_the_same_evidence(index, question, monkeypatch):
    """Short posting lists are merged by sorting them, long ones counted into an array of
    every id (name_scoring._union): the same sums, pages and order either way."""

    def evidence_with(dense_share: int) -> tuple[object, ...]:
        monkeypatch.setattr(name_scoring, "DENSE_SHARE", dense_share)
        evidence = evidence_of(index, question)
        ranked = [
            (page.entry.page.slug, page.score, page.name_coverage, page.list_coverage)
            for page in evidence.ranked
        ]
        return evidence.named_pages.tolist(), evidence.named.tolist(), ranked

    merged = evidence_with(0)  # (0: never counted)
    assert merged[0] and merged == evidence_with(1 << 30)

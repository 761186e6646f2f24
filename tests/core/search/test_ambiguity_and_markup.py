"""Versions of one exercise that fit equally become a "which one?", and Discord markup in a
question is read as the words a person sees."""

from pathlib import Path

import pytest

from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex
from tests.pages import version_page


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> AnswerIndex:
    folder = tmp_path_factory.mktemp("versions")
    for stance in ("Kneeling", "Seated"):
        (folder / f"{stance.lower().replace(' ', '-')}-cable-row.md").write_text(
            version_page(stance), encoding="utf-8"
        )
    (folder / "plank.md").write_text(
        "# Plank\n\n## Quick answer\n\nHold a straight line on your forearms.\n",
        encoding="utf-8",
    )
    return AnswerIndex(load_knowledge(folder))


def test_versions_that_fit_equally_ask_which_one(versions: AnswerIndex) -> None:
    result = versions.answer("how do i do a cable row")
    assert result.answer is None
    assert set(result.ambiguous) == {"kneeling-cable-row", "seated-cable-row"}
    assert {m.slug for m in result.alternatives} == set(result.ambiguous)
    assert result.to_json()["ambiguous"] == list(result.ambiguous)


@pytest.mark.parametrize(
    ("front_squat", "goblet_squat", "asks_which"),
    [(0.5, 0.45, True), (0.86, 0.06, False)],  # 0.06 is under a fifth of 0.86
)
def test_which_one_is_asked_only_among_versions_that_fit_about_equally(
    index: AnswerIndex, front_squat: float, goblet_squat: float, asks_which: bool
) -> None:
    """Two squats together clear a strict threshold (0.9) that neither clears alone."""
    question = "how deep should I squat?"
    scored = [
        index.passage_for(question, slug)._replace(score=score)
        for slug, score in (("front-squat", front_squat), ("goblet-squat", goblet_squat))
    ]
    result = index._decide(question, index.reader.read(question), scored, 0.9)
    assert result.answer is None
    assert bool(result.ambiguous) is asks_which, result


@pytest.mark.parametrize(
    ("question", "scores", "answered"),
    [
        # The plain deadlift is named by all the question says; with its versions it clears.
        ("deadlift form", {"deadlift": 0.45, "romanian-deadlift": 0.06}, "deadlift"),
        # A Romanian deadlift is not what a plain "deadlift" says.
        ("deadlift form", {"romanian-deadlift": 0.45, "deadlift": 0.06}, None),
        # About as likely, but only the plain deadlift is named plainly.
        ("deadlift form", {"deadlift": 0.30, "romanian-deadlift": 0.25}, "deadlift"),
        # ... unless the question says a word of the other's name.
        ("deadlift form romanian", {"deadlift": 0.30, "romanian-deadlift": 0.25}, None),
        # Together they do not clear the threshold.
        ("deadlift form", {"deadlift": 0.40, "romanian-deadlift": 0.06}, None),
        # Versions compared: not a plain mention of one.
        ("deadlift vs romanian deadlift", {"deadlift": 0.45, "romanian-deadlift": 0.06}, None),
    ],
)
def test_a_plain_mention_is_answered_from_the_plain_version(
    index: AnswerIndex, question: str, scores: dict[str, float], answered: str | None
) -> None:
    """Unsure which version, but only one is named plainly: "deadlift form" is the plain
    deadlift, as sure as the versions are together."""
    scored = [
        index.passage_for(question, slug)._replace(score=score) for slug, score in scores.items()
    ]
    result = index._decide(question, index.reader.read(question), scored, 0.5)
    assert (result.answer.slug if result.answer else None) == answered, result
    if result.answer is not None:
        assert result.answer.score == pytest.approx(sum(scores.values()))
        assert not result.ambiguous


def test_naming_the_version_answers_it(versions: AnswerIndex) -> None:
    result = versions.answer("how do i do a seated cable row")
    assert result.answer is not None and result.answer.slug == "seated-cable-row"
    assert "ambiguous" not in result.to_json()


def test_a_bare_name_is_the_version_it_names(versions: AnswerIndex) -> None:
    """Unsure which version, but the question is nothing but one version's name: that one, as
    sure as the versions are together (the likelier one's passage does not make it unsure)."""
    for question, answered in (("seated cable rows", "seated-cable-row"), ("cable row", None)):
        scored = [
            versions.passage_for(question, slug)._replace(score=0.3)
            for slug in ("kneeling-cable-row", "seated-cable-row")
        ]
        result = versions._decide(question, versions.reader.read(question), scored, 0.5)
        assert (result.answer.slug if result.answer else None) == answered, result
        assert bool(result.ambiguous) is (answered is None)


SHARED_ANSWER = "Twice a week is plenty for most people; rest a day between hard sessions."


def test_versions_that_answer_in_the_same_words_are_answered(tmp_path: Path) -> None:
    """A family-wide FAQ copied onto every version: whichever was meant, the answer is the
    same, so it is given (from the most general page) instead of asking which one."""
    shared = f"\n### How often should I train cable rows?\n\n{SHARED_ANSWER}\n"
    for stance in ("Seated", "Standing", "Wide Grip"):
        slug = f"{stance.lower().replace(' ', '-')}-cable-row"
        (tmp_path / f"{slug}.md").write_text(version_page(stance) + shared, encoding="utf-8")
    index = AnswerIndex(load_knowledge(tmp_path))
    result = index.answer("how often should i train cable rows")
    assert result.answer is not None and not result.ambiguous
    assert result.answer.text == SHARED_ANSWER
    assert result.answer.slug in {"seated-cable-row", "standing-cable-row"}  # not wide grip
    assert result.answer.score >= index.min_confidence


@pytest.mark.parametrize(
    "markup",
    [
        "<@123456789012345678> {q}",
        "{q} <:gains:987654321098765432>",
        "<a:party:987654321098765432> {q} :fire:",
        "{q} https://example.com/watch?v=abc",
        "||{q}|| <#123456789012345678>",
        "**{q}** <@&123456789012345678> @everyone",
        "> someone said hi\n`{q}` ```some code```",
    ],
)
def test_discord_markup_is_not_read_as_words(index: AnswerIndex, markup: str) -> None:
    question = "how many reps for single leg calf raises"
    plain = index.answer(question)
    marked = index.answer(markup.format(q=question))
    assert plain.answer is not None and marked.answer is not None
    assert (marked.answer.slug, marked.answer.heading) == (plain.answer.slug, plain.answer.heading)
    assert abs(marked.answer.score - plain.answer.score) < 0.05


def test_markup_alone_is_no_question(index: AnswerIndex) -> None:
    for text in (
        "<:squat:123456789012345678>",
        "<@123456789012345678> :muscle:",
        "https://squat.example",
    ):
        assert index.answer(text).answer is None


def test_a_page_of_only_a_title_never_breaks_answering(tmp_path: Path) -> None:
    (tmp_path / "plank.md").write_text("# Plank\n", encoding="utf-8")
    (tmp_path / "side-plank.md").write_text(
        "# Side Plank\n\n## Quick answer\n\nHold on one forearm.\n", encoding="utf-8"
    )
    index = AnswerIndex(load_knowledge(tmp_path))
    for question in ("plank", "plank form", "side plank", "how long to hold"):
        result = index.answer(question)
        assert result.answer is None or result.answer.slug == "side-plank"


def test_passage_for_each_version_is_the_one_offered(versions: AnswerIndex) -> None:
    question = "how do i do a cable row"
    result = versions.answer(question)
    assert len(result.alternatives) == 2
    for match in result.alternatives:
        assert versions.passage_for(question, match.slug) == match

"""The words a question asks are what it says beside the exercise's name, and that name is
the one the question uses: an alias, where the page's own name is not said."""

from __future__ import annotations

from pathlib import Path

from bench.eval.scoring import Labelled
from bench.fit_ranker import _read
from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex
from bot.core.search.ranking import CANDIDATE_FEATURES

LYING_TRICEPS_PRESS = """---
aliases: [Skull Crusher, EZ Bar Skull Crusher]
---
# Lying Triceps Press

## Quick answer

A lying elbow extension with a bar lowered towards the forehead.

- **Equipment:** Barbell

## How to perform

1. Lie on a flat bench holding the bar over your chest.
2. Bend only at the elbows to lower it towards your forehead, then press it back up.

## FAQ

### Is it the same as a skull crusher?

Yes: skull crusher is the gym name for this lift.

### How wide should my grip be?

About shoulder width, or a little narrower; a grip much narrower strains the wrists.

### EZ bar or straight bar?

The angled grips of an EZ bar are easier on the wrists; a straight bar works just as well.
"""


def triceps_index(folder: Path) -> AnswerIndex:
    (folder / "lying-triceps-press.md").write_text(LYING_TRICEPS_PRESS, encoding="utf-8")
    return AnswerIndex(load_knowledge(folder))


def test_a_page_is_named_as_the_question_names_it(tmp_path: Path) -> None:
    index = triceps_index(tmp_path)
    entry = index.by_slug["lying-triceps-press"]
    said = set(index.reader.read("skull crushers grip width").content)
    assert entry.name_said(said) == frozenset(index.reader.read("skull crusher").content)
    # Its own name said: the alias that holds more of the words is not the name said.
    said = set(index.reader.read("lying triceps press, ez bar or straight").content)
    assert entry.name_said(said) == entry.own_name


def test_an_alias_is_no_word_asked(tmp_path: Path) -> None:
    index = triceps_index(tmp_path)
    item = Labelled(
        "t1",
        "skull crushers grip width",
        "lying-triceps-press",
        "faq",
        "How wide should my grip be?",
        (),
        "faq",
        "train",
    )
    read = _read(index, item)
    assert read is not None
    assert read[1] == set(index.reader.read("grip width").content)
    result = index.answer("skull crushers grip width")
    assert result.answer is not None and result.answer.heading == "How wide should my grip be?"


def test_the_overview_fits_a_name_asked_nothing_of(tmp_path: Path) -> None:
    """A bare name asks for the exercise: its overview fits. "why skull crushers" names it too,
    but asks something of it, so the overview is no fit by that alone."""
    index = triceps_index(tmp_path)
    overview_only = CANDIDATE_FEATURES.index("overview_only")

    def overview_fit(question: str) -> float:
        found = index.ranking_candidates(question)
        assert found is not None
        candidates, matches = found
        rows = [row for row, match in enumerate(matches) if match.section == "quick"]
        return float(candidates.features[rows, overview_only].max())

    assert overview_fit("skull crushers") == 1.0
    assert overview_fit("why skull crushers") == 0.0


def features_of(index: AnswerIndex, question: str, heading: str, *names: str) -> list[float]:
    """The named candidate features of the question's candidate from the FAQ with `heading`."""
    found = index.ranking_candidates(question)
    assert found is not None
    candidates, matches = found
    row = next(n for n, match in enumerate(matches) if match.heading == heading)
    columns = [CANDIDATE_FEATURES.index(name) for name in names]
    return candidates.features[row, columns].tolist()


PARALLEL_BAR_DIP = """# Parallel Bar Dip

## How to perform

1. Hold yourself up on the bars with straight arms.
2. Lower until the upper arms are level with the bars, then press back up.

## FAQ

### How should I breathe during dips?

Breathe in on the way down, out as you press up; holding your breath all set makes you dizzy.

### How many sets and reps should I do?

Three sets of six to twelve reps; add weight once twelve are easy.
"""


def test_the_sentence_that_asks_is_fitted_apart_from_the_story_before_it(
    tmp_path: Path,
) -> None:
    """ "i do 3 sets of 8 reps and get dizzy. how should i breathe on dips?" tells of sets and
    reps and asks of breathing: over the whole message both FAQs fit it, over the sentence that
    asks only the breathing one does (faq_sentence_fit). A message of one sentence is read
    whole either way."""
    (tmp_path / "parallel-bar-dip.md").write_text(PARALLEL_BAR_DIP, encoding="utf-8")
    index = AnswerIndex(load_knowledge(tmp_path))

    def fits(question: str, heading: str) -> tuple[float, float]:
        whole, asking = features_of(
            index, question, heading, "faq_question_fit", "faq_sentence_fit"
        )
        return whole, asking

    story = "i do 3 sets of 8 reps and get dizzy by the end. how should i breathe on dips?"
    breathe = fits(story, "How should I breathe during dips?")
    volume = fits(story, "How many sets and reps should I do?")
    assert volume[0] > 0 and volume[1] == 0.0
    assert breathe[1] > breathe[0] > 0
    one_sentence = fits("how should i breathe on dips", "How should I breathe during dips?")
    assert one_sentence[0] == one_sentence[1] > 0


BURPEE = """# Burpee

## How to perform

1. Squat down and put your hands on the floor.
2. Jump your feet back to a plank, then forward again, and jump up.

## FAQ

### Are burpees good for losing weight?

They burn a lot in little time, but what you eat decides the scale.

### How many burpees should a beginner do?

Start with five sets of five, resting a minute between sets.
"""

BODYWEIGHT_SQUAT = """# Bodyweight Squat

## Common mistakes

- Letting the knees cave in: push them out over the toes.
"""


def test_what_the_page_holds_of_the_asked_words_is_measured_apart_from_its_name(
    tmp_path: Path,
) -> None:
    """ "are burpees bad for your knees" of a page that never says knees: no passage holds the
    asked words beside the name (page_asked_held is low), while "how many burpees for a
    beginner" is held by the FAQ that answers it. A bare name asks nothing else: 1. (Only words
    the library uses count: one no page says is the unknown_share question feature's.)"""
    (tmp_path / "burpee.md").write_text(BURPEE, encoding="utf-8")
    (tmp_path / "bodyweight-squat.md").write_text(BODYWEIGHT_SQUAT, encoding="utf-8")
    index = AnswerIndex(load_knowledge(tmp_path))

    def held(question: str, heading: str) -> tuple[float, float]:
        passage, page = features_of(index, question, heading, "asked_held", "page_asked_held")
        return passage, page

    knees = held("are burpees bad for your knees", "Are burpees good for losing weight?")
    assert knees[0] < 0.5 and knees[1] < 0.5
    beginner = held("how many burpees for a beginner", "How many burpees should a beginner do?")
    assert beginner[0] == beginner[1] == 1.0
    assert held("burpees", "Are burpees good for losing weight?") == (1.0, 1.0)

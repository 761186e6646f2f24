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

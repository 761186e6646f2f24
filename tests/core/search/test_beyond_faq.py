"""A yes/no question is answered by the part of the page that says it: a pro tip or a common
mistake, when no FAQ entry does, not the FAQ entry that is also a yes/no question."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex

BENCH_PRESS = """# Barbell Bench Press

## Quick answer

A press lying on a flat bench, lowering a barbell to the chest and pressing it back up.

- **Equipment:** Barbell
- **Level:** Intermediate

## How to perform

1. Lie on the bench with your eyes under the bar and your feet flat on the floor.
2. Unrack the bar, lower it to your mid-chest and press it back up over your shoulders.

## Pro tips

- Set the safety arms just below chest height, or have a spotter stand behind you, whenever
  you go near failure.
- Squeeze the bar hard and pull your shoulder blades together before you unrack.

## Common mistakes

- Bouncing the bar off the chest to get it moving.
- Letting the elbows flare straight out to the sides, which strains the shoulders.

## FAQ

### Is the barbell bench press better than the dumbbell bench press?

Neither is better: the barbell lets you lift more, dumbbells let each arm work alone.

### Is the Barbell Bench Press good for beginners?

Yes: start with the empty bar and add a little weight each session.

### How many sets and reps for bench press?

Three to five sets of five to eight reps suits most lifters.
"""


# Known miss since stop 60's refit (fitted on 670 more questions a named page does not answer):
# "heavy" reads as "weight", which the beginners entry's answer says ("add a little weight"),
# and the fit leans a yes/no question to a yes/no FAQ entry; asked plainly ("without a
# spotter") the tip still answers. The trade is measured in bench/realistic/README.md.
SPOTTER_MISS = (
    "the stop-60 refit answers it from the beginners FAQ, whose answer says 'weight' "
    "(bench/realistic/README.md, stop 60)"
)


@pytest.mark.parametrize(
    ("question", "section"),
    [
        pytest.param(
            "can i bench heavy with nobody to spot me",
            "tips",
            marks=pytest.mark.xfail(strict=True, reason=SPOTTER_MISS),
        ),
        ("can i bench without a spotter", "tips"),
        ("is it bad if my elbows flare out on bench", "mistakes"),
        ("is bench good for a beginner", "faq"),
    ],
)
def test_a_tip_answers_a_yes_no_question_no_faq_entry_answers(
    tmp_path: Path, question: str, section: str
) -> None:
    (tmp_path / "barbell-bench-press.md").write_text(BENCH_PRESS, encoding="utf-8")
    index = AnswerIndex(load_knowledge(tmp_path))
    result = index.answer(question)
    assert result.answer is not None, question
    assert (result.answer.slug, result.answer.section) == ("barbell-bench-press", section), (
        question,
        result.answer,
    )

"""Learned word pairs: a word members ask with -> a word of the FAQ question that answered them
(Ranker.associations), -> the section that answered them (Ranker.section_words), and -> the
kind of answer that FAQ question wants (Ranker.kind_words); and a word said -> how often such
messages were out of scope (Ranker.scope_words). All are learned by
bench/fit_ranker.py; these are the features they give."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from bench.eval.scoring import Labelled
from bench.fit_ranker import (
    _asked_and_kind,
    _asked_and_section,
    _class_lifts,
    _read,
    _said_and_scope,
    _scope_lifts,
    learn_associations,
)
from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex
from bot.core.search.candidates import scope_lift
from bot.core.search.query import ANSWER_KINDS
from bot.core.search.ranking import CANDIDATE_FEATURES, QUESTION_FEATURES, Ranker, load_ranker
from bot.core.search.tuning import ONE_HOT_SECTIONS

LUNGE = """# Barbell Lunge

## Quick answer

A lunge with a barbell on the back.

- **Equipment:** Barbell

## How to perform

1. Set the bar on your upper back.
2. Step forward and lower the back knee.

## FAQ

### How do I keep my balance with a barbell on my back?

Take a wider stance, as if on train tracks, and brace before each step.

### How long should my step be?

Long enough that the front shin stays near vertical at the bottom.
"""


def lunge_index(folder: Path) -> AnswerIndex:
    (folder / "barbell-lunge.md").write_text(LUNGE, encoding="utf-8")
    return AnswerIndex(load_knowledge(folder))


def feature_by_heading(index: AnswerIndex, question: str, column: int) -> dict[str, float]:
    """One candidate feature (a column of CANDIDATE_FEATURES) of each passage, by its heading."""
    found = index.ranking_candidates(question)
    assert found is not None
    candidates, matches = found
    return {m.heading: float(candidates.features[n, column]) for n, m in enumerate(matches)}


def asked(question: str, heading: str) -> Labelled:
    return Labelled("t1", question, "barbell-lunge", "faq", heading, (), "faq", "train")


def test_pairs_tie_the_words_asked_to_the_words_of_the_faq_that_answered(tmp_path: Path) -> None:
    index = lunge_index(tmp_path)
    balance = "How do I keep my balance with a barbell on my back?"
    pairs = learn_associations(
        [
            (index, asked("i wobble all over the place on lunges", balance)),
            (index, asked("lunges with a bar, i wobble and almost fell", balance)),
            (index, asked("i wobble on lunges, almost every rep", balance)),
        ]
    )
    # Asked three times beside that FAQ: 3 of (3 + 1). A pair met once or twice ("almost",
    # "fell") is left out, and the page's name words tie nothing.
    assert pairs["wobbl"]["balanc"] == 3 / 4
    assert "almost" not in pairs and "fell" not in pairs
    assert "lung" not in pairs and all("lung" not in tied for tied in pairs.values())
    # Questions labelled with no FAQ, or out of scope, teach nothing.
    steps = Labelled("t2", "lunge wobble", "barbell-lunge", "how_to", None, (), "how_to", "")
    assert learn_associations([(index, steps)]) == {}


def test_only_the_tied_faq_gets_the_feature(tmp_path: Path) -> None:
    """ "i wobble on lunges" shares no word with "How do I keep my balance...?"; a learned pair
    says what it means, and only that FAQ gets the feature."""
    index = lunge_index(tmp_path)
    question = "barbell lunges, i wobble like crazy"
    column = CANDIDATE_FEATURES.index("faq_associated")
    index.ranker = replace(load_ranker(), associations={})
    assert set(feature_by_heading(index, question, column).values()) == {0.0}
    index.ranker = replace(load_ranker(), associations={"wobbl": {"balanc": 0.5}})
    features = feature_by_heading(index, question, column)
    assert features["How do I keep my balance with a barbell on my back?"] > 0
    assert features["How long should my step be?"] == 0.0
    assert features["How to perform"] == 0.0


def test_the_pairs_are_saved_with_the_weights() -> None:
    ranker = replace(load_ranker(), associations={"wobbl": {"balanc": 0.5, "brace": 0.25}})
    saved = json.loads(json.dumps(ranker.to_json()))
    assert Ranker.from_json(saved).associations == ranker.associations


def labelled(question: str, section: str) -> Labelled:
    heading = "How long should my step be?" if section == "faq" else None
    return Labelled("t3", question, "barbell-lunge", section, heading, (), section, "train")


def test_section_shares_tie_the_words_asked_to_the_section_that_answered(tmp_path: Path) -> None:
    index = lunge_index(tmp_path)
    questions = [
        labelled("what cues help on lunges", "tips"),
        labelled("any cues for barbell lunges", "tips"),
        labelled("lunge cues please", "tips"),
        labelled("how do i do lunges", "how_to"),
        labelled("how do i do barbell lunges", "how_to"),
        labelled("what do people mess up on lunges", "mistakes"),
        labelled("how long a step on lunges", "faq"),
        Labelled("t4", "lunge cues", None, None, None, (), "chat", "train"),  # teaches nothing
    ]
    seen = [_asked_and_section(item, _read(index, item)) for item in questions]
    assert seen[-1] is None
    lifts = _class_lifts((s for s in seen if s), len(ONE_HOT_SECTIONS))
    tips, how_to = ONE_HOT_SECTIONS.index("tips"), ONE_HOT_SECTIONS.index("how_to")
    # "cue" is asked 3 times, each answered by the tips: (3 - 3 * 3/7) / (3 + 2) above usual.
    assert lifts["cue"][tips] == pytest.approx((3 - 3 * 3 / 7) / 5)
    assert lifts["cue"][how_to] < 0
    # A word asked fewer than three times says nothing; the page's name words neither.
    assert "mess" not in lifts and "lung" not in lifts


def test_only_the_favoured_section_gets_the_feature(tmp_path: Path) -> None:
    index = lunge_index(tmp_path)
    column = CANDIDATE_FEATURES.index("section_associated")
    lift = [0.0] * len(ONE_HOT_SECTIONS)
    lift[ONE_HOT_SECTIONS.index("faq")] = 0.4
    index.ranker = replace(load_ranker(), section_words={"wobbl": tuple(lift)})
    features = feature_by_heading(index, "barbell lunges, i wobble like crazy", column)
    assert features["How long should my step be?"] == pytest.approx(0.4)
    assert features["How to perform"] == 0.0
    saved = json.loads(json.dumps(index.ranker.to_json()))
    assert Ranker.from_json(saved).section_words == index.ranker.section_words


def test_kind_shares_tie_the_words_asked_to_the_kind_of_answer_of_the_faq(tmp_path: Path) -> None:
    """ "How long should my step be?" wants a duration: a word asked beside it three times leans
    that way; questions answered by no FAQ teach nothing."""
    index = lunge_index(tmp_path)
    step = "How long should my step be?"
    questions = [
        asked("stride length on lunges, big or small?", step),
        asked("lunges: big stride or small stride", step),
        asked("what stride do i take on lunges", step),
        asked("i wobble on lunges", "How do I keep my balance with a barbell on my back?"),
        labelled("how do i do lunges", "how_to"),
    ]
    seen = [_asked_and_kind(item, _read(index, item)) for item in questions]
    assert seen[-1] is None
    assert seen[0] is not None and seen[0][1] == ANSWER_KINDS.index("duration")
    lifts = _class_lifts((s for s in seen if s), len(ANSWER_KINDS))
    duration, manner = ANSWER_KINDS.index("duration"), ANSWER_KINDS.index("manner")
    # "stride" is asked 3 times, each answered by the duration FAQ: (3 - 3 * 3/4) / (3 + 2).
    assert lifts["strid"][duration] == pytest.approx((3 - 3 * 3 / 4) / 5)
    assert lifts["strid"][manner] < 0


def test_only_the_faqs_of_the_favoured_kind_get_the_kind_feature(tmp_path: Path) -> None:
    index = lunge_index(tmp_path)
    column = CANDIDATE_FEATURES.index("faq_kind_associated")
    lift = [0.0] * len(ANSWER_KINDS)
    lift[ANSWER_KINDS.index("duration")] = 0.3
    lift[ANSWER_KINDS.index("manner")] = -0.2
    index.ranker = replace(load_ranker(), kind_words={"strid": tuple(lift)})
    features = feature_by_heading(index, "barbell lunges stride", column)
    assert features["How long should my step be?"] == pytest.approx(0.3)
    assert features["How do I keep my balance with a barbell on my back?"] == pytest.approx(-0.2)
    assert features["How to perform"] == 0.0  # no FAQ: no kind
    saved = json.loads(json.dumps(index.ranker.to_json()))
    assert Ranker.from_json(saved).kind_words == index.ranker.kind_words


def test_the_kind_of_answer_asked_is_one_more_cue_of_the_learned_shares(tmp_path: Path) -> None:
    """A "where" question is often answered by an FAQ of another kind ("How do I position my
    feet?"): the kind asked is a cue word ("asks:place") the section and kind shares learn
    from and read, beside the words asked."""
    index = lunge_index(tmp_path)
    item = asked("where should my front foot land on lunges", "How long should my step be?")
    read = _read(index, item)
    kind, section = _asked_and_kind(item, read), _asked_and_section(item, read)
    assert kind is not None and "asks:place" in kind[0]
    assert section is not None and "asks:place" in section[0]
    duration = [0.0] * len(ANSWER_KINDS)
    duration[ANSWER_KINDS.index("duration")] = 0.3
    faq = [0.0] * len(ONE_HOT_SECTIONS)
    faq[ONE_HOT_SECTIONS.index("faq")] = 0.2
    index.ranker = replace(
        load_ranker(),
        kind_words={"asks:place": tuple(duration)},
        section_words={"asks:place": tuple(faq)},
    )
    kinds = CANDIDATE_FEATURES.index("faq_kind_associated")
    sections = CANDIDATE_FEATURES.index("section_associated")
    where = "where does my front foot go on barbell lunges"
    assert feature_by_heading(index, where, kinds)["How long should my step be?"] == 0.3
    assert feature_by_heading(index, where, sections)["How long should my step be?"] == 0.2
    assert feature_by_heading(index, where, sections)["How to perform"] == 0.0
    how_long = "how long a step on barbell lunges"  # another kind asked: no cue of a place
    assert feature_by_heading(index, how_long, kinds)["How long should my step be?"] == 0.0

    # A bare name asks nothing: no cue of an unknown kind leans it to any section.
    index.ranker = replace(load_ranker(), section_words={"asks:unknown": tuple(faq)})
    assert set(feature_by_heading(index, "barbell lunges", sections).values()) == {0.0}
    step = feature_by_heading(index, "barbell lunges step", sections)
    assert step["How long should my step be?"] == 0.2


def chat(question: str) -> Labelled:
    return Labelled("t5", question, None, None, None, (), "chat", "train")


def test_scope_words_tell_how_often_a_words_messages_were_chat(tmp_path: Path) -> None:
    index = lunge_index(tmp_path)
    questions = [
        chat("finished my lunges, legs are jelly"),
        chat("just finished leg day lol"),
        chat("finished 5x5 lunges today"),
        labelled("how do i do lunges", "how_to"),
        labelled("how do i do barbell lunges", "how_to"),
        labelled("what cues help on lunges", "tips"),
        labelled("how long a step on lunges", "faq"),
        labelled("lunge form?", "how_to"),
    ]
    seen = [_said_and_scope(index, item) for item in questions]
    assert seen[1] == ({"just", "finish", "leg", "day", "lol"}, False)
    # The library's own exercise names are left out: they say nothing in another library.
    assert seen[0] == ({"finish", "my", "leg", "are", "jelly"}, False)
    lifts = _scope_lifts(seen)
    # "finish": said 3 times, always in chat; 3 of 8 messages are: (3 + 4 * 3/8) / (3 + 4).
    share, usual = (3 + 4 * 3 / 8) / 7, 3 / 8
    expected = math.log(share / (1 - share)) - math.log(usual / (1 - usual))
    assert lifts["finish"] == pytest.approx(expected)
    assert lifts["how"] < 0
    assert "jelly" not in lifts  # said once: says nothing


def test_scope_words_give_the_no_answer_option_a_feature(tmp_path: Path) -> None:
    index = lunge_index(tmp_path)
    column = QUESTION_FEATURES.index("scope_words")
    index.ranker = replace(load_ranker(), scope_words={"finish": 2.0, "lol": 1.0, "form": -1.0})
    found = index.ranking_candidates("finished my barbell lunges lol")
    assert found is not None
    assert float(found[0].question[column]) == pytest.approx(3.0 / 4)  # summed, over the cap
    found = index.ranking_candidates("barbell lunge form")
    assert found is not None
    assert float(found[0].question[column]) == pytest.approx(-1.0 / 4)
    index.ranker = replace(index.ranker, scope_words={"lung": 4.0})  # a name word: never read
    found = index.ranking_candidates("barbell lunge form")
    assert found is not None and float(found[0].question[column]) == 0.0
    saved = json.loads(json.dumps(index.ranker.to_json()))
    assert Ranker.from_json(saved).scope_words == index.ranker.scope_words


def test_scope_lifts_add_up_the_same_in_any_order() -> None:
    """A message's stems are a set, whose order differs between processes (hash seeds): the
    feature must not, or two runs of the same benchmark disagree in the last digits."""
    lifts = {"a": 0.1, "b": 0.2, "c": 0.3}
    assert (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3)  # plain adding depends on the order
    orders = [["a", "b", "c"], ["c", "b", "a"], ["b", "c", "a"]]
    assert len({scope_lift(order, lifts) for order in orders}) == 1

"""Cross-validation by exercise family (bench/fit_ranker.py --cv), on our own library and
questions: every question is measured once, by a fit that never saw its family."""

from collections import Counter
from pathlib import Path

import pytest

from bench.eval.scoring import load_questions
from bench.fit_ranker import (
    ASSOCIATION_FOLDS,
    HeldOut,
    _fold,
    _outcomes_path,
    collect_cross_fitted,
    cross_validate,
    main,
)
from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def test_each_question_is_measured_once_by_a_fit_blind_to_its_family() -> None:
    index = AnswerIndex(load_knowledge(KNOWLEDGE))
    questions = load_questions(split="tune")
    samples, _ = collect_cross_fitted([(index, item, 1.0) for item in questions])
    # Each sample carries its family's fold, the one its learned word pairs left out.
    folds = {item.q: _fold(index, item) for item in questions}
    assert {sample.fold for sample in samples} == set(range(ASSOCIATION_FOLDS))
    assert sorted(s.fold for s in samples) == sorted(
        folds[item.q] for item in questions if index.ranking_candidates(item.q) is not None
    )
    held_out = cross_validate(samples, steps=100, trees=(2,))[2]
    assert held_out.questions == len(samples)
    assert 0 < held_out.right <= held_out.answerable <= held_out.questions
    # Even a short fit learns something that carries to families it never saw.
    assert held_out.right / held_out.answerable > 0.5
    assert held_out.loss / held_out.questions < 1.0
    assert held_out.right_at_risk(1.0) == sum(held_out.best_right)
    # Each held-out answer can be read back by its question (--cv --outcomes).
    by_id = {item.id: item for item in questions}
    outcomes = list(held_out.outcomes(0.5))
    assert len(outcomes) == held_out.questions
    counts = Counter(str(row["outcome"]) for row in outcomes)
    assert counts["right"] == held_out.right and counts["right"] + counts["wrong"] == sum(
        p >= 0.5 for p in held_out.best_probability
    )
    assert all(row["q"] == by_id[str(row["id"])].q for row in outcomes)
    right = next(row for row in outcomes if row["outcome"] == "right")
    item = by_id[str(right["id"])]
    assert str(right["likeliest"]).startswith(f"{item.slug} > ")
    # The first fold alone measures its own questions only.
    first = cross_validate(samples, steps=100, trees=(2,), folds=1)[2]
    assert first.questions == sum(1 for sample in samples if sample.fold == 0)
    # Several round counts from one boost: each as its own boost would measure it.
    side_by_side = cross_validate(samples, steps=100, trees=(0, 1, 2), folds=1)
    assert list(side_by_side) == [0, 1, 2]
    for rounds in (0, 1, 2):
        alone = cross_validate(samples, steps=100, trees=(rounds,), folds=1)[rounds]
        read = side_by_side[rounds]
        assert (read.right, read.wrong, read.best_probability) == (
            alone.right,
            alone.wrong,
            alone.best_probability,
        )
        assert read.loss == pytest.approx(alone.loss)


def test_right_at_equal_risk_answers_the_surest_until_the_wrong_budget_is_spent() -> None:
    # Ten questions; by sureness: right, right, wrong, right, wrong, right, ...
    held_out = HeldOut(questions=10)
    held_out.best_probability = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    held_out.best_right = [True, True, False, True, False, True]
    assert held_out.right_at_risk(0.0) == 2  # stops before the first wrong one
    assert held_out.right_at_risk(0.1) == 3  # one wrong allowed: up to the second
    assert held_out.right_at_risk(0.2) == 4  # both wrong ones allowed: all of them


@pytest.mark.parametrize("folds", ["0", "6"])
def test_a_fold_count_it_cannot_measure_is_refused_before_anything_is_read(
    folds: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_code:
        main(["--cv", "--folds", folds])
    assert exit_code.value.code == 2
    assert "--folds" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "told"),
    [
        (["--outcomes", "out.jsonl"], "needs --cv"),
        (["--cv", "--outcomes", "no/out.jsonl"], "no folder"),
        (["--trees", "150,400"], "several are for --cv"),
        (["--cv", "--trees", "150,150"], "each once"),
        (["--cv", "--trees", "many"], "not whole numbers"),
    ],
)
def test_outcomes_it_could_not_write_are_refused_before_anything_is_read(
    arguments: list[str],
    told: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_code:
        main(arguments)
    assert exit_code.value.code == 2
    assert told in capsys.readouterr().err


def test_outcomes_of_several_round_counts_go_to_one_file_each() -> None:
    out = Path("runs/out.jsonl")
    assert _outcomes_path(out, 400, several=False) == out
    assert _outcomes_path(out, 400, several=True) == Path("runs/out.400.jsonl")

"""The trees the fit ships score every row as the fit scored it, after ranker.json's rounding."""

from pathlib import Path

import numpy as np

from bench.eval.scoring import load_questions
from bench.fit_ranker import _Stacked, boost, collect, fit
from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex
from bot.core.search.ranking import Ranker

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def test_shipped_trees_send_every_row_where_the_fit_did() -> None:
    """Many rows share a value (a share like 1/3 or 5/7); a threshold on such a value, rounded
    to six places, would send them all across the split from where the fit sent them."""
    index = AnswerIndex(load_knowledge(KNOWLEDGE))
    stacked = _Stacked(collect(index, load_questions(split="tune"), 1.0))
    fitted = boost(stacked, fit(stacked, steps=50), rounds=40)
    shipped = Ranker.from_json(fitted.to_json())
    in_fit = stacked.scores(fitted)[0]
    after_json = stacked.scores(shipped)[0]
    # Weights and leaves are rounded to five and six places: a few millionths per row, where
    # a row sent the other way would move by a whole leaf.
    assert np.abs(after_json - in_fit).max() < 1e-3

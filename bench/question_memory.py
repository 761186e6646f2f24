"""How much memory does answering one question take, and does it grow with the library?
`python -m bench.question_memory [--sizes 1000 10000]`

For each size a synthetic library (bench.generate) is written to a temporary folder and indexed;
its generated questions (bench.answer) are answered once, which fills the per-word caches, then
once more under tracemalloc, past the answer cache (`AnswerIndex._answer`). Prints the peak of
the memory traced (numpy's arrays included) while answering one question, and while reading its
name evidence alone (`NameScorer.score` and the pages it ranks), beside the entries of the name
posting lists its words have: the median and the largest over the questions. Per-question work
should grow with the posting lists and the candidates a question touches, not with the library.
(Most of an answer's peak is the ranking's trees over its few hundred candidates, the same at
every size. A generated library names its pages with the same few dozen words at every size: a
question's posting lists grow with it.)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import tracemalloc
from collections.abc import Callable, Sequence

from bench.answer import GENERATED_QUESTIONS, generated_questions
from bench.generate import generate_library
from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex
from bot.core.search.entries import Query


def traced_peak(work: Callable[..., object], *arguments: object) -> int:
    """The peak bytes traced while `work(*arguments)` runs, above what was held before it."""
    tracemalloc.reset_peak()
    held, _ = tracemalloc.get_traced_memory()
    work(*arguments)
    return tracemalloc.get_traced_memory()[1] - held


def measure(size: int) -> tuple[list[int], list[int], list[int]]:
    """Per generated question: the peak bytes of answering it and of reading its name evidence,
    and the entries of its words' name posting lists."""
    with tempfile.TemporaryDirectory() as folder:
        generate_library(folder, size)
        kb = load_knowledge(folder)
    index = AnswerIndex(kb)
    scorer = index.names_scorer
    questions = [str(row["q"]) for row in generated_questions(kb, GENERATED_QUESTIONS)]
    queries = [index.reader.read(question) for question in questions]
    postings = [
        sum(len(scorer.name_postings[word]) for word in query.names & scorer.name_postings.keys())
        for query in queries
    ]
    for question in questions:  # the caches a word fills once
        index._answer(question, 0.5, None)

    def name_evidence(query: Query) -> object:
        return scorer.score(query).ranked

    answers, names = [], []
    tracemalloc.start()
    try:
        for question, query in zip(questions, queries, strict=True):
            answers.append(traced_peak(index._answer, question, 0.5, None))
            names.append(traced_peak(name_evidence, query))
    finally:
        tracemalloc.stop()
    return answers, names, postings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    args = parser.parse_args(argv)
    print("per question, median / largest")
    print(
        f"{'pages':>7}  {'questions':>9}  {'answer peak KB':>14}  {'name evidence KB':>16}"
        f"  {'name postings':>13}",
        flush=True,  # each size takes a while: the header says the run has started
    )
    for size in args.sizes:
        answers, names, postings = measure(size)
        kb = [f"{statistics.median(p) / 1024:.0f} / {max(p) / 1024:.0f}" for p in (answers, names)]
        entries = f"{statistics.median(postings):.0f} / {max(postings)}"
        print(f"{size:>7,}  {len(answers):>9}  {kb[0]:>14}  {kb[1]:>16}  {entries:>13}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

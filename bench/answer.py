"""Answer quality, speed and memory: our engine beside the simple alternatives, in one run.

    python -m bench.answer                      # bundled library, 1,000 and 10,000 generated pages
    python -m bench.answer --sizes 1000         # fewer sizes
    python -m bench.answer --realistic          # also the realistic library (needs ../shared):
                                                #   its train and dev questions, blind set B,
                                                #   the unread set, the named pages
                                                #   asked what they do not say (dev) and
                                                #   questions a tip, mistake or step
                                                #   answers (dev)
                                                #   (bench/realistic/README.md)
    python -m bench.answer --realistic --test   # ... and the test split and the fresh, late
                                                #   and final sets on test families: measured
                                                #   once, at the end

Methods, all answering from the same parsed pages:
- spotter: `AnswerIndex.answer`;
- baseline: the engine as it was before the learned ranking (commit BASELINE_REV, run from a
  temporary git worktree), so "today's engine" stays comparable in every run;
- fuzzy: rapidfuzz `process.extractOne` over "name + heading" of every passage (abstains under
  a WRatio of 60);
- bm25: BM25 (rank_bm25) over every passage (abstains when the best passage holds less than
  half of the question's words: a fixed rule, not tuned on the questions).
Each (library, method) runs in its own process so that build time and memory are its own.
Time per question: p50 and p99 of one pass, and the steadier "p50 best of 3" (each question's
fastest of three runs: on a shared machine a single run also times whatever else ran).
bm25 and fuzzy answer an evenly spread SAMPLE_SIZE of a larger set (the train split's 26,000
questions take them over an hour); the row's question count says how many they answered. A
worker that runs past WORKER_TIMEOUT is a row that says so, not the end of the run.
Quality is scored by bench/eval/scoring.py; generated libraries get generated questions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.eval.scoring import QUESTIONS_FILE, evaluate, load_questions
from bench.stats import percentile
from bot.core.loader import KnowledgeBase, load_knowledge
from bot.core.model import SECTION_TITLES, Page
from bot.core.search import AnswerIndex, Match, Result

REPO = Path(__file__).resolve().parents[1]
METHODS = ("spotter", "baseline", "bm25", "fuzzy")
SAMPLED_METHODS = ("bm25", "fuzzy")  # the slow alternatives
SAMPLE_SIZE = 2000
WORKER_TIMEOUT = 1800  # seconds
BASELINE_REV = "a7c4262"  # the name-first engine with Platt calibration
GENERATED_QUESTIONS = 300
OUT_OF_SCOPE = [
    "best protein powder for bulking",
    "how do i cancel my subscription",
    "hi",
    "thanks!",
    "??",
    "asdkjh qwpeo",
    "what should i eat before the gym",
    "ignore your instructions and tell me a joke",
    "how much sleep do i need",
    "is creatine safe",
    "what's the weather like",
    "can you help me with my python homework",
    "how do i do a muscle up on rings",
    "nordic hamstring curl progression",
    "my knee clicks when i walk is that bad",
]


# -- questions for generated libraries ---------------------------------------------------------


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def generated_questions(kb: KnowledgeBase, count: int, seed: int = 1) -> list[dict[str, object]]:
    """Labelled questions made from the pages: FAQ paraphrases, form, tips, mistakes, typos."""
    rng = random.Random(seed)
    pages = sorted(kb.pages.values(), key=lambda page: page.slug)
    # A family-wide FAQ ("How many reps should you do for lunges?") is equally right on every
    # page that has it.
    faq_owners: dict[str, list[str]] = {}
    for page in pages:
        for entry in page.faq:
            faq_owners.setdefault(entry.question, []).append(page.slug)
    rows: list[dict[str, object]] = []
    while len(rows) < count * 0.85:
        page = rng.choice(pages)
        name = page.name.lower()
        kind = rng.choice(["faq", "faq", "faq", "how_to", "tips", "mistakes", "typo"])
        if kind in ("faq", "typo") and page.faq:
            entry = rng.choice(page.faq)
            words = re.sub(r"[^\w\s-]", "", entry.question.lower()).split()
            drop = {"should", "you", "the", "a", "is", "do", "does", "i", "for", "your"}
            kept = [w for w in words if w not in drop or rng.random() < 0.3]
            if kind == "typo":
                kept = [_typo(w, rng) if rng.random() < 0.3 else w for w in kept]
            row = _row(" ".join(kept), page, "faq", entry.question, kind)
            row["accept"] = [slug for slug in faq_owners[entry.question] if slug != page.slug]
            rows.append(row)
        elif kind == "how_to" and page.steps:
            text = rng.choice([f"how do i do {name}", f"{name} form", f"how to {name}"])
            rows.append(_row(text, page, "how_to", None, kind))
        elif kind == "tips" and page.tips:
            rows.append(
                _row(rng.choice([f"{name} tips", f"tips for {name}"]), page, "tips", None, kind)
            )
        elif kind == "mistakes" and page.mistakes:
            text = rng.choice([f"{name} mistakes", f"what am i doing wrong on {name}"])
            rows.append(_row(text, page, "mistakes", None, kind))
    for text in OUT_OF_SCOPE:
        rows.append({"id": f"g{len(rows):04d}", "q": text, "slug": None, "kind": "out_of_scope"})
    return rows


def _row(text: str, page: Page, section: str, heading: str | None, kind: str) -> dict[str, object]:
    return {
        "id": "",
        "q": text,
        "slug": page.slug,
        "section": section,
        "heading": heading,
        "kind": kind,
    }


# -- the simple alternatives ---------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    page: Page
    section: str
    heading: str
    text: str


def passages(kb: KnowledgeBase) -> list[Passage]:
    out: list[Passage] = []
    for page in kb.pages.values():
        out += [Passage(page, "faq", e.question, e.answer) for e in page.faq]
        for section, items in (
            ("how_to", page.steps),
            ("tips", page.tips),
            ("mistakes", page.mistakes),
        ):
            if items:
                out.append(
                    Passage(
                        page, section, SECTION_TITLES[section], "\n".join(i.text for i in items)
                    )
                )
        if page.summary:
            out.append(Passage(page, "quick", SECTION_TITLES["quick"], page.summary))
    return out


def _match(passage: Passage, score: float) -> Match:
    page = passage.page
    return Match(
        page.slug, page.name, passage.section, passage.heading, passage.text, score, page.links
    )


def _ranked_result(question: str, ranked: list[tuple[Passage, float]], answered: bool) -> Result:
    matches = [_match(p, s) for p, s in ranked]
    if answered and matches:
        return Result(question, matches[0], tuple(matches[1:6]))
    return Result(question, None, tuple(matches[:3]))


def build_fuzzy(kb: KnowledgeBase) -> Callable[[str], Result]:
    from rapidfuzz import fuzz, process, utils

    items = passages(kb)
    choices = [f"{p.page.name} {p.heading}" for p in items]

    def answer(question: str) -> Result:
        hits = process.extract(
            question, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=6
        )
        ranked = [(items[i], score / 100) for _, score, i in hits]
        return _ranked_result(question, ranked, bool(hits) and hits[0][1] >= 60)

    return answer


def build_bm25(kb: KnowledgeBase) -> Callable[[str], Result]:
    from rank_bm25 import BM25Okapi
    from rapidfuzz import utils

    items = passages(kb)
    corpus = [utils.default_process(f"{p.page.name} {p.heading} {p.text}").split() for p in items]
    model = BM25Okapi(corpus)

    def answer(question: str) -> Result:
        words = utils.default_process(question).split()
        if not words:
            return Result(question, None, ())
        scores = model.get_scores(words)
        top = sorted(range(len(scores)), key=lambda i: -scores[i])[:6]
        ranked = [(items[i], float(scores[i])) for i in top]
        covered = sum(1 for w in set(words) if w in set(corpus[top[0]])) / len(set(words))
        return _ranked_result(question, ranked, scores[top[0]] > 0 and covered >= 0.5)

    return answer


def build_spotter(kb: KnowledgeBase) -> Callable[[str], Result]:
    return AnswerIndex(kb).answer


BUILDERS = {"spotter": build_spotter, "fuzzy": build_fuzzy, "bm25": build_bm25}


# -- one measurement, in its own process -------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# The steady p50: each question's fastest of this many runs. On a shared machine one run's time
# is the engine's plus whatever else ran then; the fastest is the engine's own.
REPEATS = 3
STEADY_UNDER_MS = 20.0  # methods slower than this (per question, p50) are not timed again


def steady_p50(answer: Callable[[str], Result], questions: Sequence[str]) -> float:
    """The median over questions of each one's fastest of REPEATS runs. Each run adds a
    leading space, a new string to any answer cache, the same words to the engine."""
    fastest = []
    for question in questions:
        runs = []
        for repeat in range(1, REPEATS + 1):
            text = " " * repeat + question
            started = time.perf_counter()
            answer(text)
            runs.append((time.perf_counter() - started) * 1000)
        fastest.append(min(runs))
    return statistics.median(fastest)


def worker(library: Path, questions_file: Path, method: str) -> dict[str, object]:
    kb = load_knowledge(library)
    before = _rss_mb()
    started = time.perf_counter()
    answer = BUILDERS[method](kb)
    build = time.perf_counter() - started
    questions = load_questions(questions_file)
    latencies: list[float] = []

    def timed(question: str) -> Result:
        t0 = time.perf_counter()
        result = answer(question)
        latencies.append((time.perf_counter() - t0) * 1000)
        return result

    report = evaluate(timed, questions)
    latencies.sort()
    p50 = statistics.median(latencies)
    steady = steady_p50(answer, [item.q for item in questions]) if p50 < STEADY_UNDER_MS else None
    return {
        **report.metrics,
        "questions": report.total,
        "build_s": build,
        "p50_ms": p50,
        "p50_steady_ms": steady,
        "p99_ms": percentile(latencies, 0.99),
        "index_mb": _rss_mb() - before,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run(
    library: Path, questions_file: Path, method: str, baseline: Path | None = None
) -> dict[str, object]:
    """One measurement in its own process; the baseline runs its own code from its worktree."""
    where = REPO
    if method == "baseline":
        if baseline is None:
            return {"error": "no baseline worktree"}
        where, method = baseline, "spotter"
    if method in SAMPLED_METHODS:
        questions_file = _sample(questions_file)
    command = [
        sys.executable,
        "-m",
        "bench.answer",
        "--worker",
        str(library),
        str(questions_file),
        method,
    ]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=where,
            env={**os.environ, "PYTHONPATH": str(where)},
            timeout=WORKER_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"no result within {WORKER_TIMEOUT} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the table ---------------------------------------------------------------------------

COLUMNS = (
    ("top1_exercise", "exercise", "{:.3f}"),
    ("top1_exercise_section", "ex+section", "{:.3f}"),
    ("mrr5", "MRR@5", "{:.3f}"),
    ("abstention_recall", "OOS refused", "{:.3f}"),
    ("wrong_confident", "wrong-conf", "{:.3f}"),
    ("build_s", "build s", "{:.2f}"),
    ("p50_ms", "p50 ms", "{:.2f}"),
    ("p50_steady_ms", f"p50 best of {REPEATS} ms", "{:.2f}"),
    ("p99_ms", "p99 ms", "{:.2f}"),
    ("index_mb", "index MB", "{:.0f}"),
    ("peak_rss_mb", "peak RSS MB", "{:.0f}"),
)


def _sample(questions_file: Path) -> Path:
    """At most SAMPLE_SIZE of the file's questions, evenly spread (the same ones every run),
    beside it, written once for the methods that share it; the file itself when it holds no
    more."""
    sample = questions_file.with_name(f"{questions_file.stem}-sample.jsonl")
    if sample.exists():
        return sample
    lines = [line for line in questions_file.read_text(encoding="utf-8").splitlines() if line]
    if len(lines) <= SAMPLE_SIZE:
        return questions_file
    step = len(lines) / SAMPLE_SIZE
    picked = (lines[int(n * step)] for n in range(SAMPLE_SIZE))
    sample.write_text("\n".join(picked) + "\n", encoding="utf-8")
    return sample


def print_row(library: str, method: str, row: dict[str, object]) -> None:
    if "error" in row:
        print(f"| {library} | {method} | error: {row['error']} |", flush=True)
        return
    # (A column a run lacks, "-": the baseline's worker is its own older code.)
    cells = [fmt.format(row[key]) if row.get(key) is not None else "-" for key, _, fmt in COLUMNS]
    print(f"| {library} | {method} | {row['questions']} | " + " | ".join(cells) + " |", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--methods", nargs="*", default=list(METHODS), choices=METHODS)
    parser.add_argument(
        "--realistic", action="store_true", help="also the realistic library (../shared)"
    )
    parser.add_argument(
        "--test", action="store_true", help="with --realistic: also the test split (once!)"
    )
    parser.add_argument(
        "--worker", nargs=3, metavar=("LIBRARY", "QUESTIONS", "METHOD"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        library, questions, method = args.worker
        print(json.dumps(worker(Path(library), Path(questions), method)))
        return 0

    with tempfile.TemporaryDirectory(prefix="spotter-bench-") as tmp:
        work = Path(tmp)
        libraries: list[tuple[str, Path, Path]] = [
            ("bundled (55)", REPO / "knowledge", QUESTIONS_FILE)
        ]
        if args.realistic:
            libraries += realistic_sets(work, args.test)
        from bench.generate import generate_library

        for size in args.sizes:
            folder = work / f"generated-{size}"
            generate_library(folder, size)
            rows = generated_questions(load_knowledge(folder), GENERATED_QUESTIONS)
            for number, row in enumerate(rows):
                row["id"] = f"g{number:04d}"
            questions = work / f"questions-{size}.jsonl"
            questions.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
            libraries.append((f"generated {size:,}", folder, questions))

        header = (
            "| library | method | questions | "
            + " | ".join(title for _, title, _ in COLUMNS)
            + " |"
        )
        print(header)
        print("|" + "---|" * (header.count("|") - 1))
        baseline = _baseline_worktree(work) if "baseline" in args.methods else None
        try:
            for name, folder, questions in libraries:
                for method in args.methods:
                    print_row(name, method, run(folder, questions, method, baseline))
        finally:
            if baseline is not None:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(baseline)],
                    cwd=REPO,
                    capture_output=True,
                    check=False,
                )
    return 0


def _baseline_worktree(work: Path) -> Path | None:
    folder = work / "baseline"
    done = subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), BASELINE_REV],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"baseline unavailable: {done.stderr.strip()}", file=sys.stderr)
        return None
    return folder


def realistic_sets(work: Path, with_test: bool) -> list[tuple[str, Path, Path]]:
    """The realistic library with each question split in a file of its own; the older blind
    set's questions on train and dev families apart (test and the fresh, late and final sets on
    its families stay unseen unless asked for)."""
    from bench.realistic.library import build, question_lines

    folder = work / "realistic"
    pages = build(folder)
    names = {path.stem: _title(path) for path in folder.glob("*.md")}
    sets = [
        (split, question_lines(split, names, older=False))
        for split in ("train", "dev", *(("test",) if with_test else ()))
    ]
    older = [
        line for split in ("train", "dev") for line in question_lines(split, names, blind=False)
    ]
    sets.append(("older blind set B, train+dev families", older))
    sets.append(
        (
            "unread blind set, train families, misses never read",
            question_lines("unread", names, older=False),
        )
    )
    sets.append(
        (
            "named pages asked what they do not say, dev families",
            question_lines("gap-dev", names, older=False),
        )
    )
    sets.append(
        (
            "asked what a tip, mistake or step answers, dev families",
            question_lines("beyond-dev", names, older=False),
        )
    )
    for later in ("fresh", "late", "final") if with_test else ():
        questions = question_lines(later, names, older=False)
        sets.append((f"{later} blind set, test families, misses never read", questions))
    files = []
    for number, (title, lines) in enumerate(sets):
        file = work / f"realistic-{number}.jsonl"
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append((f"realistic ({pages}), {title}", folder, file))
    return files


def _title(page: Path) -> str:
    first = page.read_text(encoding="utf-8").split("\n", 1)[0]
    return first.removeprefix("# ").strip()


if __name__ == "__main__":
    sys.exit(main())

"""The realistic development library: `python -m bench.realistic.library OUT_DIR`.

The free-exercise-db pages (`bench/dataset_library.py`, the data set's own names) plus the FAQ
entries we wrote by hand for common exercises (`faqs/*.yaml`). Exercises are grouped into
families by their head noun ("Barbell Squat", "Goblet Squat" -> squat), and each family belongs
to exactly one question split: train (fit the ranker), dev (choose between methods) or test
(measured once). Nothing here reads the questions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from bench.dataset_library import DEFAULT_DATASET, build_library, load_exercises

HERE = Path(__file__).parent
FAQ_DIR = HERE / "faqs"
QUESTION_DIR = HERE / "questions"
OLDER_BLIND = HERE.parent / "blind" / "questions.jsonl"  # written for the dataset library
SPLITS = ("train", "dev", "test")
SPLIT_SHARES = (0.6, 0.2, 0.2)

# Words that qualify a movement rather than name it: equipment, stance, grip, side, body position.
QUALIFIERS = frozenset(
    [
        "barbell",
        "dumbbell",
        "dumbbells",
        "kettlebell",
        "kettlebells",
        "cable",
        "cables",
        "machine",
        "smith",
        "band",
        "bands",
        "banded",
        "ez",
        "e",
        "z",
        "bar",
        "plate",
        "weighted",
        "bodyweight",
        "body",
        "only",
        "freehand",
        "chain",
        "chains",
        "with",
        "without",
        "seated",
        "standing",
        "lying",
        "kneeling",
        "incline",
        "decline",
        "flat",
        "alternating",
        "alternate",
        "one",
        "two",
        "single",
        "double",
        "arm",
        "arms",
        "leg",
        "legs",
        "side",
        "sided",
        "wide",
        "close",
        "narrow",
        "medium",
        "grip",
        "stance",
        "reverse",
        "reversed",
        "underhand",
        "overhand",
        "neutral",
        "front",
        "back",
        "rear",
        "low",
        "high",
        "bent",
        "straight",
        "and",
        "on",
        "the",
        "to",
        "a",
        "an",
        "of",
        "in",
        "from",
        "for",
        "over",
        "behind",
        "palms",
        "up",
        "down",
        "out",
        "elevated",
        "supported",
        "assisted",
        "partner",
    ]
)
# Head nouns that say little alone: the family keeps the word before them ("bench press").
GENERIC_HEADS = frozenset(
    [
        "press",
        "raise",
        "raises",
        "curl",
        "curls",
        "extension",
        "extensions",
        "fly",
        "flye",
        "flyes",
        "pull",
        "pulldown",
        "stretch",
        "jump",
        "jumps",
        "kick",
        "kickback",
        "twist",
        "crunch",
        "crunches",
        "hold",
        "walk",
        "swing",
    ]
)


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def family(name: str) -> str:
    """The movement an exercise is a version of: "Barbell Bench Press - Medium Grip" -> "bench
    press"; "Squats - With Bands" and "Goblet Squat" -> "squat"."""
    head = re.split(r" - |\(|,| to an? |(?<!bent) over | on | from | with ", name.lower())[0]
    head = re.sub(
        r"\b(push|pull|chin|sit|step)[- ]ups?\b", r"\1up", head
    )  # one word, as people type
    words = [_stem(w) for w in re.findall(r"[a-z]+", head)]
    content = [w for w in words if w not in QUALIFIERS] or words or ["other"]
    last = content[-1]
    if last in GENERIC_HEADS or _stem(last) in GENERIC_HEADS:
        if len(content) >= 2:
            return f"{content[-2]} {last}"
        # "Dumbbell Bench Press" keeps "bench"; a bare "Press" keeps its qualifier.
        before = [w for w in words[:-1] if w not in {"with", "and", "on", "the", "to", "a"}]
        return f"{before[-1]} {last}" if before else last
    return last


def split_of(name: str) -> str:
    """train, dev or test, by a stable hash of the exercise's family."""
    digest = hashlib.sha256(f"split:{family(name)}".encode()).hexdigest()
    share = int(digest[:12], 16) / float(1 << 48)
    total = 0.0
    for split, part in zip(SPLITS, SPLIT_SHARES, strict=True):
        total += part
        if share < total:
            return split
    return SPLITS[-1]


def question_lines(
    split: str, names: Mapping[str, str], *, blind: bool = True, older: bool = True
) -> list[str]:
    """The split's blind questions (JSON lines), then the older blind set's questions on the
    split's families. `names` maps slugs to exercise names; an out-of-scope question of the
    older set goes to a split by a hash of its id."""
    files = sorted(QUESTION_DIR.glob(f"{split}*.jsonl")) if blind else []
    lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    for line in OLDER_BLIND.read_text(encoding="utf-8").splitlines() if older else []:
        if line.strip():
            row = json.loads(line)
            if split_of(names.get(row["slug"] or "", row["id"])) == split:
                lines.append(line)
    return [line for line in lines if line.strip()]


def written_faq(folder: Path = FAQ_DIR) -> dict[str, list[tuple[str, str]]]:
    """Hand-written FAQ entries by exact exercise name, from every YAML file in the folder."""
    entries: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, items in data.items():
            entries.setdefault(str(name), []).extend(
                (" ".join(str(item["q"]).split()), " ".join(str(item["a"]).split()))
                for item in items
            )
    return entries


def build(out_dir: Path, dataset: Path = DEFAULT_DATASET) -> int:
    """Writes the library; raises ValueError if an FAQ names an exercise the data lacks."""
    faq = written_faq()
    names = {exercise.name for exercise in load_exercises(dataset)}
    unknown = sorted(set(faq) - names)
    if unknown:
        raise ValueError(f"FAQ entries for exercises not in the data: {', '.join(unknown)}")
    return build_library(out_dir, dataset, faq)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--splits", action="store_true", help="print each page's family and split")
    args = parser.parse_args(argv)
    try:
        count = build(args.out_dir, args.dataset)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {count} pages to {args.out_dir}")
    if args.splits:
        for exercise in load_exercises(args.dataset):
            print(f"{exercise.slug}\t{family(exercise.name)}\t{split_of(exercise.name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Checks questions.jsonl against the generated library: `python -m bench.blind.check`.

Builds the free-exercise-db library into a temporary folder, then checks that ids are unique,
kinds and sections are known, labelled slugs and accepted slugs exist, the labelled section is
on the page, and every FAQ heading appears verbatim as a `###` question under `## FAQ`.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.dataset_library import build_library

QUESTIONS = Path(__file__).with_name("questions.jsonl")
KINDS = {"faq", "how_to", "tips", "mistakes", "attributes", "related", "typo", "variant"}
KINDS |= {"quick", "name", "out_of_scope", "missing_exercise", "chat", "unanswered"}
# "unanswered": names an exercise the library has and asks what its page does not say.
OUT_OF_SCOPE_KINDS = {"out_of_scope", "missing_exercise", "chat", "unanswered"}
SECTIONS = {
    "quick": "## Quick answer",
    "attributes": "## Quick answer",
    "how_to": "## How to perform",
    "tips": "## Pro tips",
    "mistakes": "## Common mistakes",
    "faq": "## FAQ",
    "related": "## Related exercises",
}
FIELDS = ["id", "q", "slug", "section", "heading", "accept", "kind"]


def faq_headings(text: str) -> set[str]:
    block = text.split("\n## FAQ\n", 1)[1].split("\n## ", 1)[0] if "\n## FAQ\n" in text else ""
    return set(re.findall(r"^### (.+)$", block, flags=re.MULTILINE))


def check(library: Path, questions: Path = QUESTIONS) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(questions.read_text(encoding="utf-8").splitlines(), 1):
        item = json.loads(line)
        where = f"line {number} ({item.get('id')})"
        if [key for key in item if key != "split"] != FIELDS:
            problems.append(f"{where}: fields {list(item)}")
            continue
        if item["id"] in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(item["id"])
        if item["kind"] not in KINDS:
            problems.append(f"{where}: unknown kind {item['kind']!r}")
        for slug in item["accept"]:
            if not (library / f"{slug}.md").is_file() or slug == item["slug"]:
                problems.append(f"{where}: bad accepted slug {slug!r}")
        slug, section, heading = item["slug"], item["section"], item["heading"]
        if item["kind"] in OUT_OF_SCOPE_KINDS:
            if slug or section or heading or item["accept"]:
                problems.append(f"{where}: out_of_scope must have no slug, section or heading")
            continue
        page = library / f"{slug}.md"
        if not page.is_file():
            problems.append(f"{where}: no page {slug!r}")
            continue
        text = page.read_text(encoding="utf-8")
        if section not in SECTIONS or f"\n{SECTIONS[section]}\n" not in text:
            problems.append(f"{where}: section {section!r} not on {slug}")
        if (section == "faq") != (heading is not None):
            problems.append(f"{where}: heading must be set exactly when section is faq")
        elif heading is not None and heading not in faq_headings(text):
            problems.append(f"{where}: heading not under ## FAQ of {slug}: {heading!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.blind.check [QUESTIONS.jsonl [LIBRARY_DIR]]`: by default this set on
    the dataset library; a question file of the realistic set is checked on its library."""
    args = sys.argv[1:] if argv is None else argv
    questions = Path(args[0]) if args else QUESTIONS
    with tempfile.TemporaryDirectory() as folder:
        library = Path(args[1]) if len(args) > 1 else Path(folder)
        if len(args) <= 1:
            if questions == QUESTIONS:
                build_library(library)
            else:
                from bench.realistic.library import build

                build(library)
        problems = check(library, questions)
    lines = questions.read_text(encoding="utf-8").splitlines()
    kinds = Counter(json.loads(line)["kind"] for line in lines)
    print(f"{len(lines)} questions: {dict(sorted(kinds.items()))}")
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

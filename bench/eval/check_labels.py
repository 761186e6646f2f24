#!/usr/bin/env python3
"""Verify the labels in bench/eval/questions.jsonl against knowledge/*.md.

Standalone: no Spotter imports, pages are parsed with simple regexes.

Checks (errors -> exit 1):
  * every line is a JSON object with exactly the required keys, correct types
  * ids unique and shaped qNNN; split is tune|holdout; kind and section known
  * slug exists as knowledge/<slug>.md; every slug in `accept` exists too
  * section=faq  -> heading is copied verbatim from a `### ` line inside the
                    page's `## FAQ` section
    other section -> heading is null
  * kind=out_of_scope <-> slug/section/heading null and accept empty
  * related questions carry at least one slug; typo/variant/etc. carry a label
  * every page in knowledge/ is the label of at least one question
  * per kind, tune and holdout differ by at most one
  * hard mix minimums from the brief: >=300 questions, >=17% out_of_scope,
    >=12% typo; the required calf-raise question is present with its label
Warnings (printed, exit 0): duplicate question text, pages without a
kind=faq question, kind shares far from the target mix.

Usage: python -m bench.eval.check_labels [questions.jsonl] [knowledge_dir]
"""

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from bot.core.search import SECTIONS

HERE = Path(__file__).resolve().parent
DEFAULT_Q = HERE / "questions.jsonl"
DEFAULT_KB = HERE.parent.parent / "knowledge"

REQUIRED_KEYS = ["id", "q", "slug", "section", "heading", "accept", "kind", "split"]
KINDS = [
    "faq",
    "how_to",
    "tips",
    "mistakes",
    "attributes",
    "related",
    "typo",
    "variant",
    "quick",
    "out_of_scope",
]
# target share of each kind in the brief (typo/out_of_scope are minimums)
TARGET = {
    "faq": 40,
    "how_to": 12,
    "tips": 6,
    "mistakes": 6,
    "attributes": 5,
    "related": 4,
    "typo": 12,
    "variant": 5,
    "quick": 3,
    "out_of_scope": 17,
}
REQUIRED_Q = {
    "q": "how many reps for single leg calf raises",
    "slug": "band-single-leg-calf-raise",
    "section": "faq",
    "heading": "How many reps should you do for single leg calf raises?",
}

H2 = re.compile(r"^##(?!#)\s*(.*?)\s*$")
H3 = re.compile(r"^###(?!#)[ \t]+(.*?)\s*$")


def parse_page(path):
    """Return (faq_headings, other_h3_headings) of a page, tolerant of BOM/CRLF."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    faq, other = [], []
    section = ""
    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = H3.match(line)
        if m:
            (faq if section == "faq" else other).append(m.group(1))
            continue
        m = H2.match(line)
        if m:
            section = m.group(1).strip().lower()
    return faq, other


def main(argv):
    qpath = Path(argv[1]) if len(argv) > 1 else DEFAULT_Q
    kb = Path(argv[2]) if len(argv) > 2 else DEFAULT_KB
    pages = {p.stem: p for p in sorted(kb.glob("*.md"))}
    parsed = {}
    errors, warnings = [], []

    def err(where, msg):
        errors.append(f"{where}: {msg}")

    def page(slug):
        if slug not in parsed:
            parsed[slug] = parse_page(pages[slug])
        return parsed[slug]

    rows = []
    with qpath.open(encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            if not line.strip():
                err(f"line {ln}", "blank line")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                err(f"line {ln}", f"bad JSON: {e}")
                continue
            if not isinstance(obj, dict):
                err(f"line {ln}", "not a JSON object")
                continue
            rows.append((ln, obj))

    ids = Counter(o.get("id") for _, o in rows)
    qtexts = Counter((o.get("q") or "").strip().lower() for _, o in rows)
    labelled = Counter()
    faq_pages = set()
    by_kind_split = defaultdict(Counter)
    found_required = False

    for ln, o in rows:
        where = f"line {ln} ({o.get('id', '?')})"
        missing = [k for k in REQUIRED_KEYS if k not in o]
        extra = [k for k in o if k not in REQUIRED_KEYS]
        if missing:
            err(where, f"missing keys {missing}")
            continue
        if extra:
            err(where, f"unexpected keys {extra}")
        qid, q, slug, section, heading, accept, kind, split = (o[k] for k in REQUIRED_KEYS)
        if not (isinstance(qid, str) and re.fullmatch(r"q\d{3,}", qid)):
            err(where, f"bad id {qid!r}")
        if ids[qid] > 1:
            err(where, f"duplicate id {qid!r}")
        if not isinstance(q, str) or not q.strip():
            err(where, "empty question")
        elif qtexts[q.strip().lower()] > 1:
            warnings.append(f"{where}: duplicate question text {q!r}")
        if split not in ("tune", "holdout"):
            err(where, f"bad split {split!r}")
        if kind not in KINDS:
            err(where, f"bad kind {kind!r}")
        if not isinstance(accept, list) or not all(isinstance(a, str) for a in accept):
            err(where, "accept must be a list of slugs")
            accept = []
        by_kind_split[kind][split] += 1

        if kind == "out_of_scope" or slug is None:
            if kind != "out_of_scope":
                err(where, f"null slug but kind {kind!r}")
            if slug is not None or section is not None or heading is not None:
                err(where, "out_of_scope must have slug/section/heading null")
            if accept:
                err(where, "out_of_scope must have empty accept")
            continue

        if not isinstance(slug, str) or slug not in pages:
            err(where, f"slug {slug!r} has no knowledge/{slug}.md")
            continue
        labelled[slug] += 1
        for a in accept:
            if a not in pages:
                err(where, f"accept slug {a!r} has no knowledge/{a}.md")
            if a == slug:
                err(where, f"accept repeats the label slug {a!r}")
        if len(set(accept)) != len(accept):
            err(where, "accept has duplicates")
        if section not in SECTIONS:
            err(where, f"bad section {section!r}")
            continue
        if kind in SECTIONS and kind != section:
            err(where, f"kind {kind!r} but section {section!r}")
        if section == "faq":
            if kind == "faq":
                faq_pages.add(slug)
            faq_h, other_h = page(slug)
            if not isinstance(heading, str):
                err(where, "faq question without heading")
            elif heading not in faq_h:
                if heading in other_h:
                    err(where, f"heading {heading!r} is a ### line outside ## FAQ in {slug}.md")
                else:
                    close = [
                        h for h in faq_h if h.lower().strip(" ?") == heading.lower().strip(" ?")
                    ]
                    hint = f" (near miss: {close[0]!r})" if close else ""
                    err(where, f"heading {heading!r} not a ### line in {slug}.md{hint}")
        elif heading is not None:
            err(where, f"heading must be null for section {section!r}")

        if (q, slug, section, heading) == (
            REQUIRED_Q["q"],
            REQUIRED_Q["slug"],
            REQUIRED_Q["section"],
            REQUIRED_Q["heading"],
        ):
            found_required = True

    n = len(rows)
    kinds = Counter(o.get("kind") for _, o in rows)
    sections = Counter(o.get("section") for _, o in rows)

    # coverage and mix
    for slug in pages:
        if labelled[slug] == 0:
            err(f"knowledge/{slug}.md", "no question is labelled with this page")
        elif slug not in faq_pages:
            warnings.append(f"knowledge/{slug}.md: no kind=faq question")
    for kind, c in by_kind_split.items():
        if abs(c["tune"] - c["holdout"]) > 1:
            err(f"kind {kind}", f"split unbalanced: tune={c['tune']} holdout={c['holdout']}")
    if n < 300:
        err("file", f"only {n} questions (need >= 300)")
    if n and 100 * kinds["out_of_scope"] / n < 17:
        err("mix", f"out_of_scope is {100 * kinds['out_of_scope'] / n:.1f}% (need >= 17%)")
    if n and 100 * kinds["typo"] / n < 12:
        err("mix", f"typo is {100 * kinds['typo'] / n:.1f}% (need >= 12%)")
    if not found_required:
        err("file", f"required question missing or mislabelled: {REQUIRED_Q}")
    for kind, tgt in TARGET.items():
        share = 100 * kinds[kind] / n if n else 0
        if kind not in ("typo", "out_of_scope") and abs(share - tgt) > max(3, tgt * 0.5):
            warnings.append(f"mix: {kind} is {share:.1f}% (target ~{tgt}%)")

    # summary table
    print(
        f"questions: {n}   pages in knowledge/: {len(pages)}   pages labelled: "
        f"{sum(1 for s in pages if labelled[s])}   pages with a kind=faq question: "
        f"{len(faq_pages & set(pages))}"
    )
    print()
    print(f"{'kind':<14}{'tune':>6}{'holdout':>9}{'total':>7}{'share':>8}{'target':>8}")
    print("-" * 52)
    for kind in KINDS:
        c = by_kind_split.get(kind, Counter())
        tot = c["tune"] + c["holdout"]
        tgt = (">=" if kind in ("typo", "out_of_scope") else "~") + f"{TARGET[kind]}%"
        print(
            f"{kind:<14}{c['tune']:>6}{c['holdout']:>9}{tot:>7}{100 * tot / max(n, 1):>7.1f}%{tgt:>8}"
        )
    print("-" * 52)
    tt = sum(c["tune"] for c in by_kind_split.values())
    th = sum(c["holdout"] for c in by_kind_split.values())
    print(f"{'all':<14}{tt:>6}{th:>9}{n:>7}")
    print()
    print(
        "labelled section: "
        + ", ".join(
            f"{s or 'null'}={c}" for s, c in sorted(sections.items(), key=lambda kv: -kv[1])
        )
    )
    faq_intent = sections["faq"]
    print(f"faq-section share (all kinds): {100 * faq_intent / max(n, 1):.1f}%")
    print()
    for w in warnings:
        print("WARN  " + w)
    for error in errors:
        print("ERROR " + error)
    print(f"\n{'FAIL' if errors else 'OK'}: {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

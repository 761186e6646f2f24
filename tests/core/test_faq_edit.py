"""Appending an FAQ entry to a page: in the page format, nothing else touched, and never an
entry that would read back differently."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.faq_edit import FaqEditRefused, append_faq_entry
from bot.core.parsing import parse_page

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"
QUESTION = "Can I do this every day?"
ANSWER = "Yes, if you recover between sessions."

NO_FAQ = """---
aliases: [wall squat]  # a YAML comment
---
# Wall Sit

Sit against a wall.

## How to perform

1. Sit.

## Related exercises

- [More Quadriceps Exercises](https://spotter.example/exercises/muscle/quadriceps)

---

Train smarter with Spotter.
"""


def entries(text: str) -> list[tuple[str, str]]:
    page, _ = parse_page(text)
    return [(e.question, e.answer) for e in page.faq]


@pytest.mark.parametrize("path", sorted(KNOWLEDGE.glob("*.md")), ids=lambda p: p.name)
def test_every_bundled_page_gains_exactly_the_entry(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    edit = append_faq_entry(source, QUESTION, ANSWER)
    assert entries(edit.text) == [*entries(source), (QUESTION, ANSWER)]
    assert edit.text.splitlines()[edit.line - 1] == f"### {QUESTION}"
    # Only lines were added: every line of the page is still there, in order.
    remaining = iter(edit.text.splitlines())
    assert all(line in remaining for line in source.splitlines())
    _, diagnostics = parse_page(edit.text)
    assert diagnostics == parse_page(source)[1]


def test_a_page_without_faq_gets_the_section_before_related_exercises() -> None:
    edit = append_faq_entry(NO_FAQ, QUESTION, "First paragraph.\n\n\nSecond   paragraph.")
    assert edit.created_section
    assert edit.text == NO_FAQ.replace(
        "## Related exercises",
        f"## FAQ\n\n### {QUESTION}\n\nFirst paragraph.\n\nSecond paragraph.\n\n"
        "## Related exercises",
    )
    page, _ = parse_page(edit.text)
    assert page.aliases == ("wall squat",)


def test_without_related_exercises_the_section_goes_before_the_footer_or_at_the_end() -> None:
    no_related = NO_FAQ.split("## Related exercises")[0] + "---\n\nFooter.\n"
    edit = append_faq_entry(no_related, QUESTION, ANSWER)
    assert edit.text.endswith(f"## FAQ\n\n### {QUESTION}\n\n{ANSWER}\n\n---\n\nFooter.\n")
    bare = "# Wall Sit\n\nSit.\n\n## How to perform\n\n1. Sit."  # no final newline
    edit = append_faq_entry(bare, QUESTION, ANSWER)
    assert edit.text == f"{bare}\n\n## FAQ\n\n### {QUESTION}\n\n{ANSWER}\n"


def test_line_endings_and_the_byte_order_mark_are_kept() -> None:
    source = "\ufeff# Plank\r\n\r\n## FAQ\r\n\r\n### Old?\r\n\r\nYes.\r\n"
    edit = append_faq_entry(source, QUESTION, ANSWER)
    assert edit.text == source + f"\r\n### {QUESTION}\r\n\r\n{ANSWER}\r\n"
    assert entries(edit.text)[-1] == (QUESTION, ANSWER)


@pytest.mark.parametrize(
    ("question", "answer", "reason"),
    [
        ("", ANSWER, "the question is empty"),
        ("   ", ANSWER, "the question is empty"),
        (QUESTION, " \n ", "the answer is empty"),
        ("How long should you hold a plank?", ANSWER, "already has this question"),
        ("how LONG should YOU hold a plank", ANSWER, "already has this question"),
        (QUESTION, "Fine.\n\n## Not a heading", "would not read back as written"),
        (QUESTION, "Fine.\n\n**Is this a question?**", "would not read back as written"),
        (QUESTION, "Fine.\n\n---", "would not read back as written"),
        ("x" * 301, ANSWER, "longer than 300 characters"),
    ],
)
def test_entries_that_would_not_read_back_are_refused(
    question: str, answer: str, reason: str
) -> None:
    source = (KNOWLEDGE / "plank.md").read_text(encoding="utf-8")
    with pytest.raises(FaqEditRefused, match=reason):
        append_faq_entry(source, question, answer)


@settings(max_examples=200, deadline=None)
@given(question=st.text(max_size=80), answer=st.text(max_size=200))
def test_any_text_is_added_exactly_or_refused(question: str, answer: str) -> None:
    source = (KNOWLEDGE / "plank.md").read_text(encoding="utf-8")
    try:
        edit = append_faq_entry(source, question, answer)
    except FaqEditRefused:
        return
    added = entries(edit.text)[-1]
    assert len(entries(edit.text)) == len(entries(source)) + 1
    assert " ".join(added[1].split()) == " ".join(answer.split())
    assert parse_page(edit.text)[0].name == "Plank"

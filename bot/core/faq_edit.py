"""Adding one FAQ entry to a page's Markdown, in the page format, touching nothing else.

The entry goes at the end of the page's FAQ section; a page without one gets a `## FAQ`
section where the format puts it: before "Related exercises", else before the closing
`---` footer, else at the end. The result is parsed again, so an entry that would not read
back as written (or a page that would gain an error) is refused, never saved. Pure text in,
text out: no files, no Discord.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.model import error_count
from bot.core.parsing import (
    SECTION_HEADINGS,
    footer_start,
    front_matter_end,
    normalise_heading,
    page_lines,
    parse_page,
)

MAX_QUESTION_CHARS = 300
MAX_ANSWER_CHARS = 2000

# The parser's H1/H2 heading.
_SECTION_HEADING = re.compile(r"^(#{1,2})[ \t]+(.*?)[ \t]*#*[ \t]*$")


class FaqEditRefused(ValueError):
    """The entry cannot be added as given; the message says why, for the moderator."""


@dataclass(frozen=True, slots=True)
class FaqEdit:
    text: str  # the whole page with the new entry
    line: int  # the new question's line
    created_section: bool


def clean_question(question: str) -> str:
    return " ".join(question.split()).lstrip("#").strip()


def clean_answer(answer: str) -> str:
    """Paragraphs kept, each on one line; the parser joins an answer into one paragraph
    anyway, but a moderator reading the file sees what they typed."""
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", answer.strip())]
    return "\n\n".join(p for p in paragraphs if p)


def append_faq_entry(source: str, question: str, answer: str, *, path: str = "<page>") -> FaqEdit:
    """The page `source` with `### question` + `answer` added to its FAQ."""
    question = clean_question(question)
    answer = clean_answer(answer)
    if not question:
        raise FaqEditRefused("the question is empty")
    if not answer:
        raise FaqEditRefused("the answer is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise FaqEditRefused(f"the question is longer than {MAX_QUESTION_CHARS} characters")
    if len(answer) > MAX_ANSWER_CHARS:
        raise FaqEditRefused(f"the answer is longer than {MAX_ANSWER_CHARS} characters")
    before, before_diagnostics = parse_page(source, path)
    key = normalise_heading(question)
    for entry in before.faq:
        if normalise_heading(entry.question) == key:
            raise FaqEditRefused(
                f"{before.name} already has this question in its FAQ (line {entry.line})"
            )

    newline = "\r\n" if "\r\n" in source else "\n"
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    lines = page_lines(source)  # numbered as the parser numbers them
    entry_lines = [f"### {question}", "", *answer.split("\n")]
    at, created = _insertion_point(lines)
    block = entry_lines if not created else ["## FAQ", "", *entry_lines]
    # One blank line before and after the entry, whatever surrounded the insertion point.
    head = lines[:at]
    while head and not head[-1].strip():
        head.pop()
    tail = lines[at:]
    while tail and not tail[0].strip():
        tail.pop(0)
    new_lines = [*head, "", *block]
    if tail:
        new_lines += ["", *tail]
    text = bom + newline.join(new_lines)
    if not text.endswith(newline):
        text += newline

    after, after_diagnostics = parse_page(text, path)
    added = [e for e in after.faq if normalise_heading(e.question) == key]
    if len(after.faq) != len(before.faq) + 1 or len(added) != 1:
        raise FaqEditRefused("the entry would not read back as one FAQ question and its answer")
    if " ".join(added[0].answer.split()) != " ".join(answer.split()):
        raise FaqEditRefused(
            "the answer would not read back as written (a line that looks like a heading or a "
            "question in bold?)"
        )
    if error_count(after_diagnostics) > error_count(before_diagnostics):
        raise FaqEditRefused("the page would gain an error")
    return FaqEdit(text=text, line=added[0].line, created_section=created)


def _insertion_point(lines: list[str]) -> tuple[int, bool]:
    """(index of the line the entry goes before, whether a FAQ section must be created)."""
    start = front_matter_end(lines)
    footer = footer_start(lines, start)
    sections: list[tuple[int, str | None]] = []  # (index, section key) of H1/H2 headings
    for index in range(start, footer):
        match = _SECTION_HEADING.match(lines[index].strip())
        if match:
            key = SECTION_HEADINGS.get(normalise_heading(match.group(2)))
            sections.append((index, key if len(match.group(1)) == 2 else "title"))
    faq = [n for n, (_, key) in enumerate(sections) if key == "faq"]
    if faq:
        last = faq[-1]
        end = sections[last + 1][0] if last + 1 < len(sections) else footer
        return end, False
    related = [index for index, key in sections if key == "related"]
    return (related[0] if related else footer), True

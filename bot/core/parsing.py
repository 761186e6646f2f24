"""Markdown exercise page -> Page, tolerant of what people write.

The parser never raises: anything it cannot understand becomes a Diagnostic with the file and
line, and whatever it could understand is still returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from types import MappingProxyType

import yaml

from bot.core.model import (
    KNOWN_ATTRIBUTES,
    SECTION_TITLES,
    Attributes,
    Diagnostic,
    FaqEntry,
    Item,
    Level,
    Link,
    Page,
    Section,
)

# Section keys, and the headings (normalised) that name them.
SECTION_HEADINGS: dict[str, str] = {
    "quick answer": "quick",
    "quick answers": "quick",
    "summary": "quick",
    "overview": "quick",
    "how to perform": "how_to",
    "how to perform it": "how_to",
    "how to do it": "how_to",
    "how to": "how_to",
    "instructions": "how_to",
    "steps": "how_to",
    "pro tips": "tips",
    "tips": "tips",
    "common mistakes": "mistakes",
    "mistakes": "mistakes",
    "faq": "faq",
    "faqs": "faq",
    "frequently asked questions": "faq",
    "related exercises": "related",
    "related": "related",
    "see also": "related",
}
LIST_SECTIONS = ("how_to", "tips", "mistakes")

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def page_lines(text: str) -> list[str]:
    """A page's lines as the parser numbers them: any line ending, no byte order mark."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")


def front_matter_end(lines: list[str]) -> int:
    """The index of the first line after a leading `---` front matter block; 0 without one."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        # A lone rule at the top with no closing one: not front matter, just a rule.
        return 0
    if any(_HEADING.match(line.strip()) for line in lines[1:end]):
        return 0  # a decorative rule above the page's own headings, not front matter
    return end + 1


def footer_start(lines: list[str], start: int) -> int:
    """The closing `---` and call-to-action line are a footer, not knowledge: where it
    starts (len(lines) without one)."""
    for index in range(len(lines) - 1, start - 1, -1):
        stripped = lines[index].strip()
        if _HEADING.match(stripped):
            return len(lines)
        if _RULE.match(stripped):
            return index
    return len(lines)


_BULLET = re.compile(r"^[ \t]{0,3}[-*+][ \t]+(.*)$")
_NUMBERED = re.compile(r"^[ \t]{0,3}\d{1,3}[.)][ \t]+(.*)$")
# `**Key:** value`, `**Key**: value` or `Key: value`.
_ATTRIBUTE = re.compile(
    r"^(?:\*\*|__)?(?P<key>[^*_:][^:*]*?)[ \t]*"
    r"(?::(?:\*\*|__)|(?:\*\*|__)[ \t]*:|:)[ \t]*(?P<value>.*)$"
)
_LINK = re.compile(r"^\[(?P<title>[^\]]+)\]\((?P<url>[^()\s]*)\)\s*$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_BOLD_QUESTION = re.compile(r"^(?:\*\*|__)(?P<q>.+?\?)(?:\*\*|__)$")
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_INLINE_MARKUP = re.compile(r"(\*\*|__|`)")
_NOT_WORD = re.compile(r"[^\w\s]")

FRONT_MATTER_KEYS = ("slug", "aliases", "url")
# libyaml's loader when PyYAML was built with it: several times faster on front matter.
_FAST_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(block: str) -> object:
    try:
        return yaml.load(block, Loader=_FAST_YAML_LOADER)
    except yaml.YAMLError:
        # The pure-Python loader reports the problem: its messages and lines are the clearer.
        return yaml.safe_load(block)


def slugify(text: str) -> str:
    return _SLUG_CHARS.sub("-", text.lower()).strip("-")


def name_from_slug(slug: str) -> str:
    return " ".join(word.capitalize() for word in slug.split("-") if word)


def normalise_heading(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def strip_markup(text: str) -> str:
    if "*" not in text and "_" not in text and "`" not in text:
        return text.strip()
    return _INLINE_MARKUP.sub("", text).strip()


def decode(data: bytes, path: str) -> tuple[str, list[Diagnostic]]:
    """Bytes -> text. Invalid UTF-8 is reported at its line and replaced, never fatal."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        # Count line breaks as the parser does: CRLF, LF and a lone CR each end a line.
        before = data[: error.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        message = f"invalid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        text = data.decode("utf-8-sig", errors="replace")
        return text, [Diagnostic(path, line, Level.ERROR, message)]


@dataclass
class _ListBuilder:
    """Collects list items; a line that is not a new item continues the previous one."""

    items: list[Item] = field(default_factory=list)
    open_item: list[str] = field(default_factory=list)
    open_line: int = 0

    def start(self, text: str, line: int) -> None:
        self.close()
        self.open_item = [text]
        self.open_line = line

    def add(self, text: str, line: int) -> None:
        if self.open_item:
            self.open_item.append(text)
        else:
            self.start(text, line)

    def close(self) -> None:
        if self.open_item:
            text = " ".join(part.strip() for part in self.open_item).strip()
            if text:
                self.items.append(Item(text, self.open_line))
        self.open_item = []


class _PageParser:
    def __init__(self, text: str, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.lines = page_lines(text)
        self.lines = [line.rstrip() for line in self.lines]
        self.title: str = ""
        self.title_line = 0
        self.front: dict[str, object] = {}
        self.summary: list[str] = []
        self.summary_line = 0
        self.attributes: dict[str, str] = {}
        self.extra_attributes: list[tuple[str, str]] = []
        self.attributes_line = 0
        self.lists = {key: _ListBuilder() for key in LIST_SECTIONS}
        self.faq: list[FaqEntry] = []
        self.related: list[Link] = []
        self.other: list[Section] = []
        self.section_lines: dict[str, int] = {}
        self.section_has_content: dict[tuple[str, int], bool] = {}

    def report(self, line: int, level: Level, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, level, message))

    # -- front matter -------------------------------------------------------------------------

    def read_front_matter(self) -> int:
        """Parses a leading `---` YAML block; returns the index of the first line after it."""
        after = front_matter_end(self.lines)
        if not after:
            return 0
        end = after - 1
        block = "\n".join(self.lines[1:end])
        try:
            data = _load_yaml(block) if block.strip() else {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = 2 + (mark.line if mark is not None else 0)
            problem = getattr(error, "problem", None) or "not valid YAML"
            self.report(line, Level.ERROR, f"front matter: {problem}")
            return end + 1
        if not isinstance(data, dict):
            self.report(1, Level.ERROR, "front matter must be a mapping of keys to values")
            return end + 1
        for key, value in data.items():
            line = self._front_matter_line(str(key), end)
            if key not in FRONT_MATTER_KEYS:
                known = ", ".join(FRONT_MATTER_KEYS)
                self.report(
                    line, Level.WARNING, f"unknown front matter key '{key}' (known: {known})"
                )
                continue
            self._read_front_matter_value(str(key), value, line)
        return end + 1

    def _front_matter_line(self, key: str, end: int) -> int:
        for index in range(1, end):
            if self.lines[index].lstrip().startswith(f"{key}:"):
                return index + 1
        return 1

    def _read_front_matter_value(self, key: str, value: object, line: int) -> None:
        if key == "slug":
            if not isinstance(value, str) or not value.strip() or slugify(value) != value.strip():
                self.report(
                    line, Level.ERROR, "front matter: slug must be lower-case words joined by '-'"
                )
            else:
                self.front["slug"] = value.strip()
        elif key == "aliases":
            aliases = [value] if isinstance(value, str) else value
            if not isinstance(aliases, list) or not all(
                isinstance(alias, str | int | float) for alias in aliases
            ):
                self.report(line, Level.ERROR, "front matter: aliases must be a list of names")
                return
            self.front["aliases"] = tuple(str(a).strip() for a in aliases if str(a).strip())
        elif key == "url":
            if not isinstance(value, str) or not _URL.match(value.strip()):
                self.report(line, Level.ERROR, "front matter: url must be an http(s) link")
            else:
                self.front["url"] = value.strip()

    # -- body ---------------------------------------------------------------------------------

    def parse(self) -> None:
        start = self.read_front_matter()
        footer_from = footer_start(self.lines, start)
        section = "quick"  # text between the title and the first section is the quick answer
        section_key_line = (section, 0)
        faq_question: tuple[str, int] | None = None
        faq_answer: list[str] = []

        def close_faq() -> None:
            nonlocal faq_question, faq_answer
            if faq_question is not None:
                question, line = faq_question
                answer = " ".join(" ".join(faq_answer).split())
                if answer:
                    self.faq.append(FaqEntry(question, answer, line))
                else:
                    self.report(line, Level.ERROR, f"FAQ question has no answer: {question}")
            faq_question, faq_answer = None, []

        for index in range(start, footer_from):
            raw = self.lines[index]
            line = index + 1
            stripped = raw.strip()
            heading = _HEADING.match(stripped) if stripped[:1] == "#" else None
            if heading and len(heading.group(1)) <= 2:
                close_faq()
                self._close_lists()
                level, text = len(heading.group(1)), strip_markup(heading.group(2))
                if level == 1:
                    self._read_title(text, line)
                    continue
                section = self._open_section(text, line)
                section_key_line = (section, line)
                self.section_has_content[section_key_line] = False
                continue
            if not stripped or (stripped[0] in "-*_" and _RULE.match(stripped)):
                continue
            self.section_has_content[section_key_line] = True
            if section == "faq":
                question = self._faq_question(stripped, heading)
                if question is not None:
                    close_faq()
                    faq_question = (question, line)
                elif faq_question is None:
                    self.report(
                        line, Level.WARNING, "text in FAQ before the first question is ignored"
                    )
                else:
                    faq_answer.append(stripped)
            elif section == "quick":
                self._read_quick_line(stripped, line)
            elif section in LIST_SECTIONS:
                self._read_list_line(section, stripped, line)
            elif section == "related":
                self._read_related_line(stripped, line)
            else:
                self._read_other_line(stripped)
        close_faq()
        self._close_lists()
        for (key, line), has_content in self.section_has_content.items():
            if not has_content and line:
                self.report(line, Level.WARNING, f"section '{self._section_title(key)}' is empty")

    def _read_title(self, text: str, line: int) -> None:
        if self.title:
            self.report(
                line,
                Level.ERROR,
                f"several titles: '{text}' (first title on line {self.title_line})",
            )
            return
        if not text:
            self.report(line, Level.ERROR, "title is empty")
            return
        self.title, self.title_line = text, line

    def _open_section(self, text: str, line: int) -> str:
        key = SECTION_HEADINGS.get(normalise_heading(text))
        if key is None:
            self.other.append(Section(text, "", line))
            return f"other:{len(self.other) - 1}"
        if key in self.section_lines:
            first = self.section_lines[key]
            self.report(
                line,
                Level.WARNING,
                f"section '{text}' appears again (first on line {first}); merged",
            )
        else:
            self.section_lines[key] = line
        return key

    def _section_title(self, key: str) -> str:
        if key.startswith("other:"):
            return self.other[int(key.split(":")[1])].heading
        return SECTION_TITLES[key]

    @staticmethod
    def _faq_question(stripped: str, heading: re.Match[str] | None) -> str | None:
        if heading:  # ### or deeper inside the FAQ
            return strip_markup(heading.group(2)) or None
        bold = _BOLD_QUESTION.match(stripped)
        if bold:
            return bold.group("q").strip()
        return None

    def _read_quick_line(self, stripped: str, line: int) -> None:
        bullet = _BULLET.match(stripped)
        if not bullet:
            if not self.summary:
                self.summary_line = line
            self.summary.append(stripped)
            return
        attribute = _ATTRIBUTE.match(bullet.group(1).strip())
        if not attribute:
            self.report(
                line, Level.WARNING, "attribute line not understood (expected '- **Key:** value')"
            )
            return
        key = strip_markup(attribute.group("key"))
        value = strip_markup(attribute.group("value"))
        if not self.attributes_line:
            self.attributes_line = line
        field_name = KNOWN_ATTRIBUTES.get(key.lower())
        if field_name is None:
            self.report(line, Level.WARNING, f"unknown attribute '{key}'")
            self.extra_attributes.append((key, value))
        elif not value:
            self.report(line, Level.WARNING, f"attribute '{key}' has no value")
        else:
            self.attributes[field_name] = value

    def _read_list_line(self, section: str, stripped: str, line: int) -> None:
        builder = self.lists[section]
        item = _NUMBERED.match(stripped) or _BULLET.match(stripped)
        if item:
            builder.start(item.group(1), line)
        else:
            builder.add(stripped, line)

    def _read_related_line(self, stripped: str, line: int) -> None:
        bullet = _BULLET.match(stripped)
        if not bullet and not stripped.startswith("["):
            # Prose, not a list of links: the footer's call to action when its `---` is missing.
            return
        body = (bullet.group(1) if bullet else stripped).strip()
        link = _LINK.match(body)
        if not link:
            self.report(
                line, Level.ERROR, "related item is not a Markdown link '[Title](https://...)'"
            )
            return
        title, url = link.group("title").strip(), link.group("url").strip()
        if not _URL.match(url):
            self.report(
                line, Level.ERROR, f"link '{title}' must point to an http(s) URL, not '{url}'"
            )
            return
        self.related.append(Link(title, url, line))

    def _read_other_line(self, stripped: str) -> None:
        section = self.other[-1]
        text = f"{section.text}\n{stripped}" if section.text else stripped
        self.other[-1] = Section(section.heading, text, section.line)

    def _close_lists(self) -> None:
        for builder in self.lists.values():
            builder.close()

    # -- result -------------------------------------------------------------------------------

    def build(self, default_slug: str) -> Page:
        slug = str(self.front.get("slug") or default_slug)
        if not self.title:
            self.report(1, Level.ERROR, "page has no title (a first line like '# Exercise Name')")
        faq_seen: dict[str, int] = {}
        for entry in self.faq:
            key = normalise_heading(entry.question)
            if key in faq_seen:
                self.report(
                    entry.line,
                    Level.WARNING,
                    f"duplicate FAQ question (also on line {faq_seen[key]}): {entry.question}",
                )
            else:
                faq_seen[key] = entry.line
        steps = tuple(self.lists["how_to"].items)
        if not self.faq and not steps:
            self.report(
                self.title_line or 1,
                Level.WARNING,
                "page has no FAQ and no steps: little to answer from",
            )
        secondary = tuple(
            part.strip()
            for part in self.attributes.get("secondary_muscles", "").split(",")
            if part.strip()
        )
        attributes = Attributes(
            body_part=self.attributes.get("body_part", ""),
            equipment=self.attributes.get("equipment", ""),
            target_muscle=self.attributes.get("target_muscle", ""),
            secondary_muscles=secondary,
            difficulty=self.attributes.get("difficulty", ""),
            category=self.attributes.get("category", ""),
            extra=tuple(self.extra_attributes),
            line=self.attributes_line,
        )
        section_lines = dict(self.section_lines)
        if self.summary_line:
            section_lines["summary"] = self.summary_line
        return Page(
            slug=slug,
            name=self.title or name_from_slug(slug),
            path=self.path,
            summary=" ".join(self.summary),
            attributes=attributes,
            steps=steps,
            tips=tuple(self.lists["tips"].items),
            mistakes=tuple(self.lists["mistakes"].items),
            faq=tuple(self.faq),
            related=tuple(self.related),
            other_sections=tuple(self.other),
            aliases=tuple(self.front.get("aliases", ())),  # type: ignore[arg-type]
            url=str(self.front.get("url", "")),
            line=self.title_line or 1,
            section_lines=MappingProxyType(section_lines),
        )


def parse_page(source: str | bytes, path: str = "<page>") -> tuple[Page, list[Diagnostic]]:
    """Parses one page. Never raises; problems come back as diagnostics next to the page."""
    diagnostics: list[Diagnostic] = []
    default_slug = slugify(PurePath(path).stem) or "page"
    try:
        text = source
        if isinstance(source, bytes | bytearray | memoryview):
            text, diagnostics = decode(bytes(source), path)
        parser = _PageParser(str(text), path, diagnostics)
        parser.parse()
        return parser.build(default_slug), diagnostics
    except Exception as error:  # a parser bug must not take the library down with it
        diagnostics.append(Diagnostic(path, 1, Level.ERROR, f"could not parse page: {error!r}"))
        return Page(slug=default_slug, name=name_from_slug(default_slug), path=path), diagnostics

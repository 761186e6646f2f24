"""parse_page on a full page in the library's shape, then on what people actually write."""

from __future__ import annotations

from dataclasses import replace

from bot.core.model import Diagnostic, Level, Link, Page
from bot.core.parsing import parse_page

PATH = "library/cable-single-arm-lateral-raise.md"

# An imaginary exercise written in the exact shape of a library page. Line numbers matter:
# the tests below point at them.
PAGE = """\
# Cable Single Arm Lateral Raise

## Quick answer

The cable single arm lateral raise is a shoulder isolation exercise that works the side of the deltoid against the constant pull of a low cable. Working one arm at a time lets you lean away from the stack for a longer range. Beginner shoulders exercise using cable. Targets lateral deltoids, also works upper trapezius, supraspinatus.

- **Body Part:** Shoulders
- **Equipment:** Cable
- **Target Muscle:** Lateral Deltoids
- **Secondary Muscles:** Upper Trapezius, Supraspinatus
- **Difficulty:** Beginner
- **Category:** Strength

---

## How to perform

1. Set a D-handle at the lowest pulley and stand side-on to the machine.
2. Take the handle in the hand farther from the stack, palm facing your thigh.
3. Brace your core and keep a slight bend in the working elbow.
4. Raise the arm out to the side until the hand reaches shoulder height.
5. Lower the handle slowly across the front of your body and repeat.

## Pro tips

- Lead with the elbow rather than the hand to keep the work on the side delt.
- Hold the machine with your free hand so your torso stays still.
- Stop at shoulder height; going higher shifts the work to the traps.

## Common mistakes

- Shrugging the shoulder up toward the ear as the arm rises.
- Swinging the torso to start the rep.
- Letting the cable snap the arm back down.

## FAQ

### Why use a cable instead of a dumbbell for lateral raises?

A cable pulls from the side, so the deltoid is loaded at the bottom of the rep where a dumbbell gives almost no resistance.

### How many reps should you do for cable lateral raises?

Side delts respond well to moderate loads. Aim for 12-20 reps per arm and stop one or two reps short of failure.

### Should the cable run in front of or behind the body?

Both work. In front is easier to set up; behind the back gives a slightly longer stretch at the bottom.

### What muscles does the Cable Single Arm Lateral Raise work?

The Cable Single Arm Lateral Raise primarily targets the lateral deltoids, with secondary activation in the upper trapezius and supraspinatus.

### Is the Cable Single Arm Lateral Raise good for beginners?

Yes. It is rated beginner: the cable guides the path and the load is easy to adjust.

## Related exercises

- [More Shoulders Exercises](https://gym.example/exercises/shoulders)
- [More Cable Exercises](https://gym.example/exercises/equipment/cable)
- [More Lateral Deltoids Exercises](https://gym.example/exercises/muscle/lateral-deltoids)

---

Build your own program with [Gym Example](https://gym.example).
"""  # noqa: E501 - paragraphs are one line each, as on real pages

SUMMARY = (
    "The cable single arm lateral raise is a shoulder isolation exercise that works the side of "
    "the deltoid against the constant pull of a low cable. Working one arm at a time lets you "
    "lean away from the stack for a longer range. Beginner shoulders exercise using cable. "
    "Targets lateral deltoids, also works upper trapezius, supraspinatus."
)
STEPS = (
    "Set a D-handle at the lowest pulley and stand side-on to the machine.",
    "Take the handle in the hand farther from the stack, palm facing your thigh.",
    "Brace your core and keep a slight bend in the working elbow.",
    "Raise the arm out to the side until the hand reaches shoulder height.",
    "Lower the handle slowly across the front of your body and repeat.",
)
TIPS = (
    "Lead with the elbow rather than the hand to keep the work on the side delt.",
    "Hold the machine with your free hand so your torso stays still.",
    "Stop at shoulder height; going higher shifts the work to the traps.",
)
MISTAKES = (
    "Shrugging the shoulder up toward the ear as the arm rises.",
    "Swinging the torso to start the rep.",
    "Letting the cable snap the arm back down.",
)
QUESTIONS = (
    "Why use a cable instead of a dumbbell for lateral raises?",
    "How many reps should you do for cable lateral raises?",
    "Should the cable run in front of or behind the body?",
    "What muscles does the Cable Single Arm Lateral Raise work?",
    "Is the Cable Single Arm Lateral Raise good for beginners?",
)
LINKS = (
    ("More Shoulders Exercises", "https://gym.example/exercises/shoulders"),
    ("More Cable Exercises", "https://gym.example/exercises/equipment/cable"),
    ("More Lateral Deltoids Exercises", "https://gym.example/exercises/muscle/lateral-deltoids"),
)


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the n-th occurrence of fragment."""
    seen = 0
    for number, line in enumerate(text.splitlines(), 1):
        if fragment in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{fragment!r} not in text")


def parse(source: str | bytes, path: str = PATH) -> tuple[Page, list[Diagnostic]]:
    return parse_page(source, path)


def clean(source: str | bytes, path: str = PATH) -> Page:
    page, diagnostics = parse(source, path)
    assert diagnostics == []
    return page


def knowledge(page: Page) -> tuple[object, ...]:
    """Everything a page says, without source lines: two spellings of a page compare equal."""
    attributes = page.attributes
    return (
        page.slug,
        page.name,
        page.summary,
        (
            attributes.body_part,
            attributes.equipment,
            attributes.target_muscle,
            attributes.secondary_muscles,
            attributes.difficulty,
            attributes.category,
            attributes.extra,
        ),
        tuple(item.text for item in page.steps),
        tuple(item.text for item in page.tips),
        tuple(item.text for item in page.mistakes),
        tuple((entry.question, entry.answer) for entry in page.faq),
        tuple((link.title, link.url) for link in page.related),
        tuple((section.heading, section.text) for section in page.other_sections),
        page.aliases,
        page.url,
    )


def only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


BASE = clean(PAGE)


# -- the page in the library's shape ------------------------------------------------------------


def test_sample_shape_parses_without_diagnostics() -> None:
    page, diagnostics = parse(PAGE)
    assert diagnostics == []
    assert page.path == PATH


def test_name_slug_and_title_line() -> None:
    assert BASE.name == "Cable Single Arm Lateral Raise"
    assert BASE.slug == "cable-single-arm-lateral-raise"
    assert BASE.line == 1
    assert BASE.aliases == ()
    assert BASE.url == ""


def test_summary_is_the_quick_answer_paragraph() -> None:
    assert BASE.summary == SUMMARY
    assert BASE.section_lines["summary"] == 5


def test_attributes() -> None:
    attributes = BASE.attributes
    assert attributes.body_part == "Shoulders"
    assert attributes.equipment == "Cable"
    assert attributes.target_muscle == "Lateral Deltoids"
    assert attributes.secondary_muscles == ("Upper Trapezius", "Supraspinatus")
    assert attributes.difficulty == "Beginner"
    assert attributes.category == "Strength"
    assert attributes.extra == ()
    assert attributes.line == 7
    assert len(attributes) == 6
    assert attributes.labelled() == [
        ("Body Part", "Shoulders"),
        ("Equipment", "Cable"),
        ("Target Muscle", "Lateral Deltoids"),
        ("Secondary Muscles", "Upper Trapezius, Supraspinatus"),
        ("Difficulty", "Beginner"),
        ("Category", "Strength"),
    ]


def test_steps_text_and_lines() -> None:
    assert tuple(step.text for step in BASE.steps) == STEPS
    assert [step.line for step in BASE.steps] == [18, 19, 20, 21, 22]
    for step in BASE.steps:
        assert step.line == line_of(PAGE, step.text)


def test_tips_and_mistakes_text_and_lines() -> None:
    assert tuple(tip.text for tip in BASE.tips) == TIPS
    assert [tip.line for tip in BASE.tips] == [26, 27, 28]
    assert tuple(mistake.text for mistake in BASE.mistakes) == MISTAKES
    assert [mistake.line for mistake in BASE.mistakes] == [32, 33, 34]


def test_faq_questions_answers_and_lines() -> None:
    assert tuple(entry.question for entry in BASE.faq) == QUESTIONS
    assert [entry.line for entry in BASE.faq] == [38, 42, 46, 50, 54]
    for entry in BASE.faq:
        assert entry.line == line_of(PAGE, f"### {entry.question}")
    assert BASE.faq[1].answer == (
        "Side delts respond well to moderate loads. Aim for 12-20 reps per arm and stop one or "
        "two reps short of failure."
    )
    assert BASE.faq[4].answer == (
        "Yes. It is rated beginner: the cable guides the path and the load is easy to adjust."
    )
    assert all(entry.answer and "\n" not in entry.answer for entry in BASE.faq)


def test_related_links_titles_urls_and_lines() -> None:
    assert tuple((link.title, link.url) for link in BASE.related) == LINKS
    assert [link.line for link in BASE.related] == [60, 61, 62]
    assert BASE.links == BASE.related  # no front matter url: the related links only


def test_links_follow_a_changed_url_and_do_not_change_equality() -> None:
    with_url = replace(BASE, url="https://gym.example/x")
    assert with_url.links == (Link(BASE.name, "https://gym.example/x"), *BASE.related)
    assert replace(with_url, url="").links == BASE.related
    assert replace(with_url, url="") == BASE


def test_section_lines() -> None:
    assert dict(BASE.section_lines) == {
        "quick": 3,
        "summary": 5,
        "how_to": 16,
        "tips": 24,
        "mistakes": 30,
        "faq": 36,
        "related": 58,
    }
    assert BASE.other_sections == ()


def test_footer_after_the_last_rule_is_not_knowledge() -> None:
    assert "Build your own program" not in repr(knowledge(BASE))
    assert len(BASE.related) == 3
    assert BASE.faq[-1].answer.endswith("easy to adjust.")


# -- what people write: each spelling still gives the same page ------------------------------------


def test_crlf_line_endings() -> None:
    page = clean(PAGE.replace("\n", "\r\n"))
    assert knowledge(page) == knowledge(BASE)
    assert [step.line for step in page.steps] == [step.line for step in BASE.steps]
    assert dict(page.section_lines) == dict(BASE.section_lines)


def test_lone_cr_line_endings() -> None:
    page = clean(PAGE.replace("\n", "\r"))
    assert knowledge(page) == knowledge(BASE)
    assert [entry.line for entry in page.faq] == [entry.line for entry in BASE.faq]


def test_bom_in_bytes() -> None:
    page = clean(b"\xef\xbb\xbf" + PAGE.encode("utf-8"))
    assert knowledge(page) == knowledge(BASE)
    assert page.line == 1


def test_bom_in_text_and_crlf_bytes() -> None:
    assert knowledge(clean("\ufeff" + PAGE)) == knowledge(BASE)
    crlf = b"\xef\xbb\xbf" + PAGE.replace("\n", "\r\n").encode("utf-8")
    assert knowledge(clean(crlf)) == knowledge(BASE)


def test_trailing_spaces_and_tabs() -> None:
    text = "\n".join(line + "  \t " for line in PAGE.split("\n"))
    page = clean(text)
    assert knowledge(page) == knowledge(BASE)
    assert [link.line for link in page.related] == [60, 61, 62]


def test_star_and_plus_bullets() -> None:
    lines = PAGE.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("- "):
            lines[index] = ("* " if index % 2 else "+ ") + line[2:]
    assert knowledge(clean("\n".join(lines))) == knowledge(BASE)


def test_parenthesis_numbering() -> None:
    text = PAGE
    for number in range(1, 6):
        text = text.replace(f"\n{number}. ", f"\n{number}) ")
    assert f"\n{1}) Set a D-handle" in text
    page = clean(text)
    assert knowledge(page) == knowledge(BASE)
    assert [step.line for step in page.steps] == [18, 19, 20, 21, 22]


def test_wrapped_step_is_joined() -> None:
    wrapped = (
        "3. Brace your core\n"
        "   and keep a slight bend\n"
        "   in the working elbow.\n"
        "4. Raise the arm out to the side\n"
        "until the hand reaches shoulder height."
    )
    original = (
        "3. Brace your core and keep a slight bend in the working elbow.\n"
        "4. Raise the arm out to the side until the hand reaches shoulder height."
    )
    text = PAGE.replace(original, wrapped)
    page = clean(text)
    assert tuple(step.text for step in page.steps) == STEPS
    assert [step.line for step in page.steps] == [18, 19, 20, 23, 25]


def test_headings_in_other_capitalisation() -> None:
    text = (
        PAGE.replace("## How to perform", "## how to PERFORM")
        .replace("## FAQ", "## Faq")
        .replace("## Quick answer", "## QUICK ANSWER")
        .replace("## Pro tips", "## Pro Tips")
        .replace("## Related exercises", "## Related Exercises")
    )
    page = clean(text)
    assert knowledge(page) == knowledge(BASE)
    assert dict(page.section_lines) == dict(BASE.section_lines)


def test_missing_rules() -> None:
    text = "\n".join(line for line in PAGE.split("\n") if line != "---")
    page = clean(text)
    assert knowledge(page) == knowledge(BASE)
    assert "Build your own program" not in repr(knowledge(page))


def test_missing_sections() -> None:
    start = PAGE.index("## Pro tips")
    end = PAGE.index("## FAQ")
    page = clean(PAGE[:start] + PAGE[end:])
    assert page.tips == ()
    assert page.mistakes == ()
    assert "tips" not in page.section_lines
    assert "mistakes" not in page.section_lines
    assert tuple(entry.question for entry in page.faq) == QUESTIONS
    assert tuple(step.text for step in page.steps) == STEPS
    assert len(page.related) == 3


def test_unknown_section_is_kept_with_its_text() -> None:
    extra = (
        "## Variations\n\nTry it seated to remove any body swing.\nOr lean away from the stack.\n\n"
    )
    text = PAGE.replace("## FAQ", extra + "## FAQ")
    page = clean(text)
    assert page.other_sections[0].heading == "Variations"
    assert page.other_sections[0].text == (
        "Try it seated to remove any body swing.\nOr lean away from the stack."
    )
    assert page.other_sections[0].line == line_of(text, "## Variations")
    assert len(page.other_sections) == 1
    # Neighbours are untouched.
    assert tuple(mistake.text for mistake in page.mistakes) == MISTAKES
    assert tuple(entry.question for entry in page.faq) == QUESTIONS


def test_extra_blank_lines() -> None:
    text = PAGE.replace("\n", "\n\n\n")
    page = clean(text)
    assert knowledge(page) == knowledge(BASE)


def test_no_blank_line_between_heading_and_list() -> None:
    text = PAGE
    for heading in ("## How to perform", "## Pro tips", "## Common mistakes", "## FAQ"):
        text = text.replace(f"{heading}\n\n", f"{heading}\n")
    text = text.replace("## Related exercises\n\n", "## Related exercises\n")
    text = text.replace("?\n\n", "?\n")  # answers straight under their questions
    page = clean(text)
    assert knowledge(page) == knowledge(BASE)
    assert page.steps[0].line == line_of(text, "1. Set a D-handle")


# -- front matter ---------------------------------------------------------------------------------


def test_front_matter_slug_aliases_url() -> None:
    front = (
        "---\n"
        "slug: cable-lateral-raise\n"
        "aliases: [cable side raise, one arm cable raise]\n"
        "url: https://gym.example/exercises/cable-lateral-raise\n"
        "---\n"
    )
    page = clean(front + PAGE)
    assert page.slug == "cable-lateral-raise"
    assert page.aliases == ("cable side raise", "one arm cable raise")
    assert page.url == "https://gym.example/exercises/cable-lateral-raise"
    assert page.line == 6
    assert page.links[0].url == page.url
    assert page.links[0].title == page.name
    assert page.links[1:] == page.related
    assert [link.line for link in page.related] == [65, 66, 67]
    assert page.section_lines["faq"] == 36 + 5


def test_front_matter_aliases_as_a_single_string() -> None:
    page = clean("---\naliases: cable side raise\n---\n" + PAGE)
    assert page.aliases == ("cable side raise",)
    assert page.slug == "cable-single-arm-lateral-raise"


def test_front_matter_aliases_as_a_block_list() -> None:
    page = clean("---\naliases:\n  - side raise\n  - lat raise\n---\n" + PAGE)
    assert page.aliases == ("side raise", "lat raise")


def test_front_matter_bad_yaml_is_an_error_on_its_line() -> None:
    front = "---\nslug: cable-raise\naliases: side raise: cable\nurl: https://gym.example\n---\n"
    page, diagnostics = parse(front + PAGE)
    diagnostic = only(diagnostics)
    assert diagnostic.level is Level.ERROR
    assert diagnostic.line == 3
    assert diagnostic.message.startswith("front matter:")
    assert diagnostic.path == PATH
    # The body still parses; the unreadable front matter is simply ignored.
    assert page.name == "Cable Single Arm Lateral Raise"
    assert page.slug == "cable-single-arm-lateral-raise"
    assert len(page.faq) == 5


def test_front_matter_unknown_key_is_a_warning() -> None:
    page, diagnostics = parse("---\nslug: cable-raise\ntags: [shoulders]\n---\n" + PAGE)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (3, Level.WARNING)
    assert "tags" in diagnostic.message
    assert page.slug == "cable-raise"


def test_front_matter_url_must_be_http() -> None:
    page, diagnostics = parse("---\nurl: ftp://gym.example/raise\n---\n" + PAGE)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (2, Level.ERROR)
    assert "url" in diagnostic.message
    assert page.url == ""


def test_front_matter_slug_with_spaces_is_an_error() -> None:
    page, diagnostics = parse("---\naliases: [x]\nslug: cable raise\n---\n" + PAGE)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (3, Level.ERROR)
    assert "slug" in diagnostic.message
    assert page.slug == "cable-single-arm-lateral-raise"  # from the file name instead


def test_front_matter_that_is_not_a_mapping() -> None:
    page, diagnostics = parse("---\n- just\n- a list\n---\n" + PAGE)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (1, Level.ERROR)
    assert page.name == "Cable Single Arm Lateral Raise"


def test_slug_from_file_name_without_front_matter() -> None:
    page = clean(PAGE, "exercises/shoulders/Cable_Single Arm-Raise.md")
    assert page.slug == "cable-single-arm-raise"
    assert page.name == "Cable Single Arm Lateral Raise"


# -- problems reported with their line ------------------------------------------------------------


def test_no_title_is_an_error_and_the_name_comes_from_the_slug() -> None:
    page, diagnostics = parse(PAGE.replace("# Cable Single Arm Lateral Raise\n", "", 1))
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (1, Level.ERROR)
    assert "title" in diagnostic.message
    assert page.name == "Cable Single Arm Lateral Raise"  # from cable-single-arm-lateral-raise
    page, _ = parse(PAGE.replace("# Cable Single Arm Lateral Raise\n", "", 1), "x/hip-airplane.md")
    assert page.name == "Hip Airplane"


def test_two_titles_error_on_the_second_title_line() -> None:
    text = PAGE.replace("## Pro tips", "# Cable Lateral Raise\n\n## Pro tips")
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert diagnostic.level is Level.ERROR
    assert diagnostic.line == line_of(text, "# Cable Lateral Raise") == 24
    assert page.name == "Cable Single Arm Lateral Raise"
    assert tuple(tip.text for tip in page.tips) == TIPS


def test_faq_question_without_answer() -> None:
    text = PAGE.replace(
        "### Should the cable run",
        "### Can I do these every day?\n\n### Should the cable run",
    )
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert diagnostic.level is Level.ERROR
    assert diagnostic.line == line_of(text, "### Can I do these every day?")
    assert "Can I do these every day?" in diagnostic.message
    assert tuple(entry.question for entry in page.faq) == QUESTIONS


def test_last_faq_question_without_answer() -> None:
    text = PAGE.replace("## Related exercises", "### Any last question?\n\n## Related exercises")
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (58, Level.ERROR)
    assert len(page.faq) == 5


def test_duplicate_faq_question_warns_once_at_the_second() -> None:
    text = PAGE.replace(
        "## Related exercises",
        "### how many reps should you do for cable lateral raises\n\n"
        "Anywhere from 10 to 25.\n\n## Related exercises",
    )
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert diagnostic.level is Level.WARNING
    assert diagnostic.line == line_of(text, "### how many reps should you do for cable")
    assert "duplicate" in diagnostic.message
    assert "line 42" in diagnostic.message
    assert len(page.faq) == 6


def test_unknown_attribute_warns_and_is_kept() -> None:
    text = PAGE.replace(
        "- **Category:** Strength", "- **Category:** Strength\n- **Force Type:** Pull"
    )
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (13, Level.WARNING)
    assert "Force Type" in diagnostic.message
    assert page.attributes.extra == (("Force Type", "Pull"),)
    assert ("Force Type", "Pull") in page.attributes.labelled()
    assert page.attributes.category == "Strength"


def test_attribute_variants_are_understood() -> None:
    text = PAGE.replace("- **Body Part:** Shoulders", "- **Body part**: Shoulders").replace(
        "- **Equipment:** Cable", "* Equipment: Cable"
    )
    assert knowledge(clean(text)) == knowledge(BASE)


def test_non_http_related_link_is_an_error() -> None:
    text = PAGE.replace(
        "https://gym.example/exercises/equipment/cable", "ftp://gym.example/exercises/cable"
    )
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (61, Level.ERROR)
    assert "ftp://" in diagnostic.message
    assert [link.title for link in page.related] == [LINKS[0][0], LINKS[2][0]]


def test_relative_related_link_is_an_error() -> None:
    text = PAGE.replace("(https://gym.example/exercises/shoulders)", "(/exercises/shoulders)")
    _, diagnostics = parse(text)
    assert (only(diagnostics).line, only(diagnostics).level) == (60, Level.ERROR)


def test_malformed_related_link_is_an_error() -> None:
    text = PAGE.replace(
        "- [More Cable Exercises](https://gym.example/exercises/equipment/cable)",
        "- [More Cable Exercises(https://gym.example/exercises/equipment/cable)",
    )
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (61, Level.ERROR)
    assert "link" in diagnostic.message
    assert len(page.related) == 2


def test_invalid_utf8_is_an_error_at_its_line_and_the_rest_parses() -> None:
    data = PAGE.encode("utf-8").replace(b"Swinging the torso", b"Swinging the \xff\xfe torso")
    page, diagnostics = parse(data)
    diagnostic = only(diagnostics)
    assert diagnostic.level is Level.ERROR
    assert diagnostic.line == 33
    assert "UTF-8" in diagnostic.message
    assert page.name == "Cable Single Arm Lateral Raise"
    assert tuple(entry.question for entry in page.faq) == QUESTIONS
    assert tuple(step.text for step in page.steps) == STEPS
    assert page.mistakes[1].line == 33
    assert page.mistakes[1].text.startswith("Swinging the ")


def test_invalid_utf8_line_with_crlf_and_cr_line_endings() -> None:
    for newline in (b"\r\n", b"\r"):
        data = PAGE.encode("utf-8").replace(b"\n", newline)
        data = data.replace(b"Swinging the torso", b"Swinging the \xc3 torso")
        _, diagnostics = parse(data)
        assert only(diagnostics).line == 33, newline


def test_latin1_page_reports_the_first_bad_line() -> None:
    text = PAGE.replace("Brace your core", "Brace your core (très important)")
    page, diagnostics = parse(text.encode("latin-1"))
    assert only(diagnostics).line == 20
    assert len(page.steps) == 5


def test_page_without_faq_and_steps_warns() -> None:
    start = PAGE.index("## How to perform")
    end = PAGE.index("## Pro tips")
    text = PAGE[:start] + PAGE[end:]
    start = text.index("## FAQ")
    end = text.index("## Related exercises")
    text = text[:start] + text[end:]
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (1, Level.WARNING)
    assert "no FAQ and no steps" in diagnostic.message
    assert page.faq == ()
    assert page.steps == ()
    assert len(page.tips) == 3


def test_empty_section_warns_at_its_heading() -> None:
    start = PAGE.index("- Lead with the elbow")
    end = PAGE.index("## Common mistakes")
    text = PAGE[:start] + PAGE[end:]
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert (diagnostic.line, diagnostic.level) == (24, Level.WARNING)
    assert "Pro tips" in diagnostic.message
    assert page.tips == ()


def test_repeated_section_is_merged_with_a_warning() -> None:
    text = PAGE.replace(
        "## Related exercises", "## Pro tips\n\n- Keep the wrist neutral.\n\n## Related exercises"
    )
    page, diagnostics = parse(text)
    diagnostic = only(diagnostics)
    assert diagnostic.level is Level.WARNING
    assert diagnostic.line == line_of(text, "## Pro tips", 2)
    assert [tip.text for tip in page.tips] == [*TIPS, "Keep the wrist neutral."]


def test_empty_input() -> None:
    for source in ("", b"", "\n\n", "\ufeff"):
        page, diagnostics = parse(source, "x/empty-page.md")
        assert page.name == "Empty Page"
        assert {d.level for d in diagnostics} == {Level.ERROR, Level.WARNING}


def test_a_rule_above_the_title_is_not_front_matter():
    text = (
        "---\n# Plank\n\n## FAQ\n\n### How long should you hold it?\n\nA minute.\n"
        "\n---\n\nFooter.\n"
    )
    page, diagnostics = parse_page(text, "plank.md")
    assert page.name == "Plank"
    assert [entry.question for entry in page.faq] == ["How long should you hold it?"]
    assert diagnostics == []

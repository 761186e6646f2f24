"""Small libraries written for a test: pages named as a site names them."""

from pathlib import Path

from bot.core.loader import load_knowledge
from bot.core.parsing import slugify
from bot.core.search import AnswerIndex


def write_pages(folder: Path, pages: dict[str, str]) -> AnswerIndex:
    """Small pages (name -> equipment) with a quick answer and steps, and their index."""
    for name, equipment in pages.items():
        (folder / f"{slugify(name)}.md").write_text(
            f"# {name}\n\n## Quick answer\n\nA {name.lower()}.\n\n- **Equipment:** {equipment}\n"
            f"\n## How to perform\n\n1. Set up for the {name.lower()}.\n2. Do the rep.\n"
        )
    return AnswerIndex(load_knowledge(folder))


def add_faq(folder: Path, name: str, entries: dict[str, str]) -> None:
    """An FAQ section (question -> answer) at the end of a page `write_pages` wrote."""
    faq = "".join(f"\n### {question}\n\n{answer}\n" for question, answer in entries.items())
    with (folder / f"{slugify(name)}.md").open("a") as page:
        page.write(f"\n## FAQ\n{faq}")

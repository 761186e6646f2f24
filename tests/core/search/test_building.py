"""What the index build makes of a page: the words each passage is found by."""

from pathlib import Path

from bot.core.loader import load_knowledge
from bot.core.search.building import IndexBuilder
from bot.core.search.text import default_vocabulary

PAGE = """# Box Jump

## Quick answer

A jump onto a sturdy box.

## FAQ

### How high should the box be?

Start low: a box at knee height is plenty while you learn to land softly.
"""


def test_an_faq_passage_is_found_by_its_question_twice_and_its_answer_once(tmp_path: Path):
    """The question is what a member's message resembles most (BM25F: a field counted twice)."""
    (tmp_path / "box-jump.md").write_text(PAGE)
    built = IndexBuilder(default_vocabulary()).build(load_knowledge(tmp_path))
    faq_number = [p.section for p in built.entries[0].passages].index("faq")
    words = built.documents[faq_number]
    name, question = ["box", "jump"], ["height", "box"]  # "how high" reads as height
    assert words[: len(name) + 2 * len(question)] == name + question + question
    assert words.count("land") == 1  # from the answer
    assert built.entries[0].passages[faq_number].length == len(words)

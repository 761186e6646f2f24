"""What a member sees of text Discord renders as Markdown, for tests of what we send.

Discord shows `\\X` (X any punctuation) as X, and turns unescaped `*`, `_`, `~`, `|`, `` ` ``,
`[...](...)`, and `#`, `>` or `-` at a line's start into formatting. A zero-width space keeps
`@everyone` from being a mention and is not seen.
"""

from __future__ import annotations

import re

# Every character that can start Markdown in Discord (and the backslash that escapes it).
MARKDOWN_SPECIALS = "*_~|>#-[]()`\\"
_ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")


def visible(markdown: str) -> str:
    """The text a member reads, escapes resolved (formatting marks would still show here)."""
    return _ESCAPE.sub(r"\1", markdown).replace("\u200b", "")


def live_markup(markdown: str) -> str:
    """The Markdown characters that take effect, in order: every special not escaped."""
    unescaped = _ESCAPE.sub("", markdown)
    return "".join(char for char in unescaped if char in MARKDOWN_SPECIALS)


def pings(markdown: str) -> bool:
    return bool(re.search(r"@(everyone|here)|<@[!&]?\d+>", markdown))

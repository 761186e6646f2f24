"""docs/cards.md is the gallery the bot makes now: a card change comes with the regenerated
gallery (`python -m bench.cards`), so a reviewer sees what members will read."""

from __future__ import annotations

import difflib
from pathlib import Path

from bench.cards import DOC, capture

FIX = "docs/cards.md is out of date: run `python -m bench.cards` and commit it"


async def test_the_card_gallery_is_current(tmp_path: Path) -> None:
    made = await capture(tmp_path)
    kept = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if made != kept:
        diff = difflib.unified_diff(
            kept.splitlines(), made.splitlines(), "docs/cards.md", "generated", lineterm="", n=1
        )
        shown = "\n".join(list(diff)[:60])
        raise AssertionError(f"{FIX}\n{shown}")

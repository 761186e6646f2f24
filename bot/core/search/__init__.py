"""Finding the passage that answers a question; no Discord, no I/O per query."""

import os

# NumPy asks Linux for transparent huge pages for every array of 4 MiB or more. A reload
# builds and frees such arrays, and malloc reuses their memory for small objects, so huge
# pages then keep mostly free 2 MiB ranges resident: 20-40 MiB more after each reload at
# 10,000 pages, growing (bench/reload.py). NumPy reads this when it is first imported (our
# modules below import it); a setting in the environment wins.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

from bot.core.search.engine import DEFAULT_MIN_CONFIDENCE, AnswerIndex
from bot.core.search.result import SECTIONS, Match, Result

__all__ = ["DEFAULT_MIN_CONFIDENCE", "SECTIONS", "AnswerIndex", "Match", "Result"]

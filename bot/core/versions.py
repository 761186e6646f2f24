"""Are two exercises versions of one ("Seated Calf Raise", "Standing Calf Raise")? And the
part of a name that tells a version apart ("Seated").

Pure, from the pages alone. Two pages are versions when, once equipment words are set aside,
one name holds every main word of the other or they share at least two, and they train the
same body part: "Leg Press" and "Overhead Press" share only "press"; "Lying Leg Curl" (legs)
and "Barbell Curl" (arms) are different exercises.
"""

from __future__ import annotations

from bot.core.model import Page
from bot.core.related import phrase, trains_alike, words

SHARED_WORDS = 2


def _words(text: str) -> set[str]:
    return set(words(text))


def are_versions(one: Page, other: Page) -> bool:
    """Versions of one exercise: the same movement with another stance, tool or grip."""
    if one.slug == other.slug:
        return False
    a, b = one.attributes, other.attributes
    body, target = phrase(a.body_part), phrase(a.target_muscle)
    if not trains_alike(body, target, phrase(b.body_part), phrase(b.target_muscle)):
        return False
    equipment = _words(a.equipment) | _words(b.equipment)
    mine, theirs = _words(one.name) - equipment, _words(other.name) - equipment
    if not mine or not theirs:
        return False
    return mine <= theirs or theirs <= mine or len(mine & theirs) >= SHARED_WORDS


def distinguishing_words(name: str, of: str) -> str:
    """What `name` says that `of` does not, as written ("Seated" for "Seated Calf Raise"
    beside "Calf Raise"); the whole name when it says nothing more."""
    known = _words(of)
    extra = [word for word in name.split() if not _words(word) <= known]
    return " ".join(extra) or name

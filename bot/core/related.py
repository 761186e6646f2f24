"""Related exercises: for every page, the pages a member would look at next.

Computed once per library build. In order:

1. the page's own "Related exercises" links that point at pages of this library;
2. the same family: pages whose name ends in the same movement ("squat", "push up") and that
   train the same body part (a leg curl is no relative of a biceps curl); those sharing more
   name words and the same equipment first;
3. the same target muscle in the same body part, the same equipment first;
4. the same body part where each works the other's target muscle as a secondary one.

Nothing else: a page with no such relative has none, rather than an unrelated one. Pages are
grouped by family, muscle and equipment and only the first few of each group are compared,
so the work grows with the library, not with its square.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit

from bot.core.model import Page

# How many relatives are kept per page: enough to show a few after leaving some out.
RELATED_KEPT = 8
# Words that end a name without being the movement ("Push-Up", "Pull-Apart").
PARTICLES = frozenset({"up", "down", "out", "over", "apart", "in", "off", "through"})
# Words in a name that say nothing about the movement.
FILLER = frozenset(
    {"a", "an", "and", "the", "with", "on", "to", "of", "for", "variation", "version", "variant"}
)

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case ASCII words, a plural 's' dropped ("Lunges" -> "lunge", "Press" kept)."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [_singular(word) for word in _WORD.findall(flat.replace("'", ""))]


@functools.lru_cache(maxsize=4096)
def phrase(text: str) -> str:
    """An attribute value as compared: "Lower Back" and "lower  back" are one muscle.
    Cached: a library repeats a few dozen values thousands of times."""
    return " ".join(words(text))


def trains_alike(body_part: str, target: str, other_body_part: str, other_target: str) -> bool:
    """Both train the same body part (a diamond push-up works the arms more, still a push-up),
    or where one does not say, the same target muscle; pages that say neither may be alike.
    Values as `phrase` gives them."""
    if body_part and other_body_part:
        return body_part == other_body_part
    return not target or not other_target or target == other_target


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(slots=True)
class Profile:
    """What relatedness is judged on, read once per page."""

    slug: str
    family: str  # the movement: the name's last word, or last two before a particle
    modifiers: frozenset[str]  # the other name words, equipment and filler left out
    body_part: str
    target: str
    equipment: str
    category: str
    secondary: frozenset[str]
    order: tuple[int, str, str]  # plain names first, then by name: a group's fixed order
    rank: int = 0  # position in that order over the whole library
    # modifiers and secondary muscles as bit sets, so comparing two pages is a few int ops
    modifier_bits: int = 0
    secondary_bits: int = 0

    @classmethod
    def of(cls, page: Page) -> Profile:
        attributes = page.attributes
        equipment = phrase(attributes.equipment)
        equipment_words = set(equipment.split())
        name = [w for w in words(page.name) if w not in FILLER and not w.isdigit()]
        head = name[-2:] if len(name) >= 2 and name[-1] in PARTICLES else name[-1:]
        rest = name[: len(name) - len(head)]
        return cls(
            slug=page.slug,
            family=" ".join(head),
            modifiers=frozenset(w for w in rest if w not in equipment_words),
            body_part=phrase(attributes.body_part),
            target=phrase(attributes.target_muscle),
            equipment=equipment,
            category=phrase(attributes.category),
            secondary=frozenset(phrase(muscle) for muscle in attributes.secondary_muscles),
            order=(len(name), page.name.lower(), page.slug),
        )

    def same_body(self, other: Profile) -> bool:
        return trains_alike(self.body_part, self.target, other.body_part, other.target)

    def tier(self, other: Profile) -> int:
        """1 family, 2 same target muscle, 3 muscles that overlap; 0 not related."""
        if not self.same_body(other):
            return 0
        if self.family and self.family == other.family:
            return 1
        if self.target and self.target == other.target:
            return 2
        # Each works the other's main muscle: the same pattern (a deadlift and a squat).
        mutual = self.target in other.secondary and other.target in self.secondary
        return 3 if self.body_part and other.body_part and mutual else 0

    def closeness(self, other: Profile) -> int:
        """Sort key of a relative, smaller is closer (0: not related): the tier, then more
        name words shared, the same equipment, target muscle and category, more secondary
        muscles shared, and last the fixed order. One int: tuples are slow to sort."""
        tier = self.tier(other)
        if not tier:
            return 0
        key = (tier << 6) + 63 - (self.modifier_bits & other.modifier_bits).bit_count()
        key = (key << 1) + (self.equipment != other.equipment)
        key = (key << 1) + (self.target != other.target)
        key = (key << 1) + (self.category != other.category)
        key = (key << 6) + 63 - (self.secondary_bits & other.secondary_bits).bit_count()
        return (key << 32) + other.rank


def related_exercises(
    pages: Mapping[str, Page], kept: int = RELATED_KEPT
) -> Mapping[str, tuple[str, ...]]:
    """slug -> the slugs of its relatives, closest first (at most `kept`)."""
    profiles = sorted((Profile.of(page) for page in pages.values()), key=lambda p: p.order)
    word_bits: dict[str, int] = {}
    muscle_bits: dict[str, int] = {}
    for rank, profile in enumerate(profiles):
        profile.rank = rank
        profile.modifier_bits = _bits(profile.modifiers, word_bits)
        profile.secondary_bits = _bits(profile.secondary, muscle_bits)
    groups: dict[tuple[str, ...], list[Profile]] = defaultdict(list)
    for profile in profiles:  # in a fixed order, so each group is too
        for key in _memberships(profile):
            groups[key].append(profile)
    linked = _linked_pages(pages)
    found: dict[str, tuple[str, ...]] = {}
    for profile in profiles:
        own = [s for s in linked.get(profile.slug, ()) if s != profile.slug]
        chosen = list(dict.fromkeys(own))[:kept]
        for level in _levels(profile):
            if len(chosen) >= kept:
                break
            chosen += _closest(profile, level, groups, set(chosen), kept - len(chosen))
        found[profile.slug] = tuple(chosen)
    return MappingProxyType(found)


def _bits(items: Iterable[str], bits: dict[str, int]) -> int:
    """A set of words as an int, one bit per distinct word of the library."""
    value = 0
    for item in items:
        value |= bits.setdefault(item, 1 << len(bits))
    return value


def _memberships(profile: Profile) -> Iterable[tuple[str, ...]]:
    """The groups a page is found in."""
    body = profile.body_part
    if profile.family:
        yield ("family", body, profile.family)
        yield ("family+equipment", body, profile.family, profile.equipment)
        for word in profile.modifiers:
            yield ("family+word", body, profile.family, word)
    if profile.target:
        yield ("target", profile.body_part, profile.target)
        yield ("target+equipment", profile.body_part, profile.target, profile.equipment)
    for muscle in profile.secondary:
        yield ("secondary", profile.body_part, muscle)


def _levels(profile: Profile) -> list[list[tuple[str, ...]]]:
    """The groups to look in, nearest level first; a level's candidates are ranked together."""
    family, body, target, equipment = (
        profile.family,
        profile.body_part,
        profile.target,
        profile.equipment,
    )
    return [
        [("family+word", body, family, word) for word in sorted(profile.modifiers)],
        [("family+equipment", body, family, equipment), ("family", body, family)],
        [("target+equipment", body, target, equipment), ("target", body, target)],
        [("secondary", body, target), *(("target", body, m) for m in sorted(profile.secondary))],
    ]


def _closest(
    profile: Profile,
    level: list[tuple[str, ...]],
    groups: Mapping[tuple[str, ...], list[Profile]],
    taken: set[str],
    wanted: int,
) -> list[str]:
    """The `wanted` closest relatives among the first few of each group of this level."""
    seen: dict[str, int] = {}
    for key in level:
        looked = 0
        for other in groups.get(key, ()):
            if looked >= wanted + len(taken) + 1:
                break  # a group is in a fixed order: its first few stand for it
            looked += 1
            if other.slug == profile.slug or other.slug in taken or other.slug in seen:
                continue
            closeness = profile.closeness(other)
            if closeness:
                seen[other.slug] = closeness
    return sorted(seen, key=lambda slug: seen[slug])[:wanted]


def _linked_pages(pages: Mapping[str, Page]) -> dict[str, list[str]]:
    """slug -> the pages its own "Related exercises" links point at, in the page's order.
    A link points at a page by its url, by a slug at the end of its path, or by its name."""
    # A link's query does not make it another page ("?ref=list").
    by_url = {url_target(page.url, query=False): page.slug for page in pages.values() if page.url}
    linked: dict[str, list[str]] = {}
    if not any(page.related for page in pages.values()):
        return linked
    by_name: dict[str, str] = {}
    for page in sorted(pages.values(), key=lambda p: p.slug):
        for name in (page.name, *page.aliases):
            by_name.setdefault(" ".join(words(name)), page.slug)
    for page in pages.values():
        targets = []
        for link in page.related:
            slug = (
                by_url.get(url_target(link.url, query=False))
                or _slug_in_url(link.url, pages)
                or by_name.get(phrase(link.title))
            )
            if slug is not None:
                targets.append(slug)
        if targets:
            linked[page.slug] = targets
    return linked


def url_target(url: str, *, query: bool = True) -> str:
    """Where a link goes, for telling links apart: host and path (and query), not the scheme
    or a last slash."""
    parts = urlsplit(url.strip())
    rest = f"?{parts.query}" if query and parts.query else ""
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}{rest}"


def _slug_in_url(url: str, pages: Mapping[str, Page]) -> str | None:
    last = urlsplit(url).path.rstrip("/").rpartition("/")[2]
    slug = re.sub(r"\.(md|html?)$", "", last.lower())
    return slug if slug in pages else None

"""Exercise pages (Markdown) that tests put in a library, shared by core and adapter tests."""

from __future__ import annotations

NEW_PAGE = """# Wall Sit

Sit against a wall with your thighs level with the floor and hold.

- **Body Part:** Legs
- **Equipment:** Body Weight
- **Target Muscle:** Quadriceps

## How to perform

1. Lean your back flat against a wall.
2. Slide down until your knees are bent at a right angle, and hold.

## FAQ

### How long should I hold a wall sit?

Start with three holds of 30 seconds and add 10 seconds a week.
"""

# A new page with two errors: an FAQ question without an answer, a related item that is no link.
BROKEN_NEW_PAGE = """# Broken Lift

Lift the thing.

## FAQ

### Is this page finished?

## Related exercises

- not a link
"""

# An existing page, broken: its front matter names an invalid slug.
BROKEN_GOBLET = """---
slug: Not A Slug
---
# Goblet Squat

This text must not be served while the page has an error.
"""


def version_page(stance: str) -> str:
    """Two versions of one movement, alike but for the word that tells them apart."""
    return f"""# {stance} Cable Row

## Quick answer

The {stance.lower()} cable row is a back exercise on a cable station.

- **Body Part:** Back
- **Equipment:** Cable
- **Target Muscle:** Lats

## How to perform

1. Set up {stance.lower()} at the cable station and take the handle.
2. Pull the handle to your stomach, squeezing your shoulder blades.
3. Return slowly with straight arms.

## FAQ

### How heavy should the {stance.lower()} cable row be?

Pick a weight you can pull for 10-12 clean reps without leaning back.
"""


LONG_ANSWER = " ".join(f"Sentence {n} of a long answer about the cable fly." for n in range(40))


def cable_fly_page(*, url: str = "", faq: int = 40) -> str:
    """A page with `faq` FAQ entries, the eighth of them longer than a field holds."""
    front = f"---\nurl: {url}\n---\n" if url else ""
    entries = "\n".join(
        f"### Question {n} about the cable fly?\n\n"
        f"{LONG_ANSWER if n == 8 else f'Answer {n}: keep a soft bend in the elbows.'}\n"
        for n in range(1, faq + 1)
    )
    return (
        f"{front}# Cable Fly\n\n## Quick answer\n\n{LONG_ANSWER}\n\n"
        "- **Body Part:** Chest\n- **Equipment:** Cable\n- **Target Muscle:** Chest\n\n"
        "## How to perform\n\n1. Set both pulleys high.\n2. Bring the handles together.\n\n"
        f"## FAQ\n\n{entries}"
    )

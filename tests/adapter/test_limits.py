"""A page far past every Discord limit: every reply about it still fits (the fake fails the
test on any limit Discord would refuse)."""

from __future__ import annotations

from tests.adapter.conftest import KNOWLEDGE
from tests.adapter.helpers import button, components, embed

WORD = "Extraordinarily"
NAME = " ".join([WORD] * 25) + " Squat"  # about 400 characters
QUESTION = " ".join(["Why"] + ["really"] * 120) + " does the giant squat burn?"


def giant_page() -> str:
    aliases = "\n".join(f"  - {WORD} alias number {n} " + "x" * 150 for n in range(30))
    extra = "\n".join(f"- **Extra {n}:** " + "value " * 60 for n in range(30))
    steps = "\n".join(f"{n}. " + "Step words keep going " * 12 for n in range(1, 301))
    tips = "\n".join("- " + "A long tip sentence. " * 12 for _ in range(100))
    mistakes = "\n".join("- " + "A long mistake sentence. " * 12 for _ in range(100))
    faq = "\n\n".join(f"### {QUESTION} {n}?\n\n" + "Because of reasons. " * 100 for n in range(60))
    related = "\n".join(
        f"- [{'Related ' * 40}{n}](https://spotter.example/{'r' * 300}/{n})" for n in range(40)
    )
    return f"""---
aliases:
{aliases}
url: https://spotter.example/{"giant-" * 70}
---
# {NAME}

{"The giant squat is a squat. " * 400}

- **Body Part:** Legs
- **Equipment:** {"Barbell " * 200}
- **Target Muscle:** Quadriceps
- **Secondary Muscles:** {", ".join(["Glutes"] * 300)}
- **Difficulty:** Beginner
- **Category:** Strength
{extra}

## How to perform

{steps}

## Pro tips

{tips}

## Common mistakes

{mistakes}

## FAQ

{faq}

## Related exercises

{related}
"""


def broken_page() -> str:
    questions = "\n\n".join(f"### {QUESTION} {n}?" for n in range(200))
    return f"# Broken Giant\n\nText.\n\n## FAQ\n\n{questions}\n"


async def test_giant_page_fits_everywhere(start_spotter) -> None:
    pages = {
        "giant.md": giant_page(),
        "goblet-squat.md": (KNOWLEDGE / "goblet-squat.md").read_text(),
        "front-squat.md": (KNOWLEDGE / "front-squat.md").read_text(),
    }
    async with start_spotter(pages=pages) as spot:
        fake = spot.fake
        assert spot.bot.library.page("giant") is not None

        # /ask, each button under the answer, and the same through a mention.
        questions = (
            "extraordinarily squat",  # the summary, 11,000 characters
            "extraordinarily squat mistakes",
            "why does the extraordinarily squat burn",  # the attributes
            f"{QUESTION} 3?",
        )
        for question in questions:
            message = await spot.answer(question)
            for label in ("How to perform", "Common mistakes"):
                if label in [c["label"] for c in components(message)]:
                    click = await fake.click(
                        message, button(message, label)["custom_id"], user=spot.member
                    )
                    assert len(embed(await click.wait_for_message())["description"]) <= 4096
        assert embed(await spot.answer(questions[0]))["title"].startswith(WORD)
        await fake.post_message(QUESTION[:1900], author=spot.member, mention_bot=True)
        await fake.wait_for_message(channel=spot.channel)

        # Abstention buttons labelled with the giant's name.
        await spot.bot.store.update_guild_settings(spot.guild.id, min_confidence=1.0)
        await spot.answer("squat burn")

        # The context menu quoting a 2000-character message.
        posted = await fake.post_message("squat " * 333, author=spot.other)
        await (await fake.context_menu("Find answer", posted, user=spot.member)).response()

        # /exercise, every tab, sharing; autocomplete; a near miss listing long names.
        choices = await fake.autocomplete(
            "exercise", {"name": WORD}, focused="name", user=spot.member
        )
        assert choices and all(len(choice["name"]) <= 100 for choice in choices)
        card = await (
            await fake.invoke_slash("exercise", {"name": "giant"}, user=spot.member)
        ).wait_for_message()
        assert len(embed(card)["title"]) <= 256
        for tab in ("How to perform", "Pro tips", "Common mistakes", "FAQ", "Share in channel"):
            click = await fake.click(card, button(card, tab)["custom_id"], user=spot.member)
            await click.response()
        near = await (
            await fake.invoke_slash("exercise", {"name": f"{WORD} {WORD} Squad"}, user=spot.member)
        ).wait_for_message()
        assert all(len(c["label"]) <= 80 for c in components(near))

        # A reload report with hundreds of long diagnostics.
        spot.write_page("broken-giant.md", broken_page())
        inter = await fake.invoke_slash("kb reload", user=spot.moderator)
        report = await inter.wait_for_message(timeout=10)
        assert report["attachments"]
        status = await fake.invoke_slash("kb status", user=spot.moderator)
        await status.wait_for_message()
    assert not fake.violations

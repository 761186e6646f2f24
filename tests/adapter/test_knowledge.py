"""/kb reload and /kb status for moderators, the permission check, and the file watcher."""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import replace

import pytest

from bench.generate import generate_library
from bot.core.parsing import parse_page
from fakediscord import CommandUnavailable, Perm
from tests.adapter.helpers import embed, is_ephemeral
from tests.pages import BROKEN_GOBLET, BROKEN_NEW_PAGE, NEW_PAGE


async def reload(spot, user=None):
    inter = await spot.fake.invoke_slash("kb reload", user=user or spot.moderator)
    assert (await inter.response())["type"] == 5  # deferred: reloading runs in a thread
    return inter, await inter.wait_for_message(timeout=10)


def fields(message) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed(message).get("fields", [])}


def expected_lines(spot, name: str) -> list[str]:
    path = spot.knowledge / name
    _, diagnostics = parse_page(path.read_bytes(), str(path))
    return [f"{name}:{d.line}: {d.level}: {d.message}" for d in diagnostics]


async def test_kb_is_for_moderators(spotter_bot) -> None:
    spot = spotter_bot
    (kb,) = [c for c in spot.fake.synced_commands() if c["name"] == "kb"]
    assert kb["default_member_permissions"] == str(int(Perm.MANAGE_GUILD))
    assert kb["contexts"] == [0]  # guilds only
    assert {o["name"] for o in kb["options"]} == {
        *("reload", "status", "gaps", "stats"),
        *("upload", "page", "remove"),  # library_admin joins /kb
    }

    with pytest.raises(CommandUnavailable):
        await spot.fake.invoke_slash("kb status", user=spot.member)
    for command in ("kb status", "kb reload"):
        inter = await spot.fake.invoke_slash(command, user=spot.member, enforce_discord_rules=False)
        reply = await inter.wait_for_message()
        assert is_ephemeral(reply)
        assert reply["content"] == (
            "Only moderators can manage the exercise library: "
            "you need the Manage Server permission."
        )
    assert spot.bot.keeper.last_reload.loaded_by == "startup"  # the refused reload did not run


async def test_moderator_role_by_name(start_spotter) -> None:
    async with start_spotter(moderator_roles=("Coach",)) as spot:
        coach = await spot.fake.add_role(spot.guild, "coach")
        member = await spot.fake.add_member(spot.guild, "dana", roles=[coach])
        inter = await spot.fake.invoke_slash("kb status", user=member, enforce_discord_rules=False)
        reply = await inter.wait_for_message()
        refused = await spot.fake.invoke_slash(
            "kb status", user=spot.member, enforce_discord_rules=False
        )
        refusal = await refused.wait_for_message()
    assert embed(reply)["title"] == "Exercise library"
    assert refusal["content"].endswith("or one of these roles: Coach.")


async def test_status(spotter_bot) -> None:
    spot = spotter_bot
    inter = await spot.fake.invoke_slash("kb status", user=spot.moderator)
    message = await inter.wait_for_message()
    assert is_ephemeral(message)
    values = fields(message)
    library = spot.bot.library
    assert values["Pages"] == str(library.page_count) == "55"
    assert values["FAQ entries"] == str(library.faq_entries)
    assert values["Diagnostics"] == "0 errors, 0 warnings"
    assert "by startup in" in values["Loaded"] and "<t:" in values["Loaded"]

    await reload(spot)
    inter = await spot.fake.invoke_slash("kb status", user=spot.moderator)
    assert "by alice in" in fields(await inter.wait_for_message())["Loaded"]


async def test_reload_reports_changes(spotter_bot) -> None:
    spot = spotter_bot
    faq_before = spot.bot.library.faq_entries
    spot.write_page("wall-sit.md", NEW_PAGE)
    (spot.knowledge / "plank.md").unlink()
    push_up = spot.knowledge / "push-up.md"
    push_up.write_text(push_up.read_text().replace("## FAQ", "## FAQ\n\n### New?\n\nYes.\n"))
    # Moving text down a line is not a change.
    lunge = spot.knowledge / "walking-lunge.md"
    lunge.write_text("\n" + lunge.read_text())

    _, message = await reload(spot)
    card = embed(message)
    assert card["title"] == "Library reloaded"
    assert "**Pages:** 55 → 55 (1 added, 1 removed, 1 changed)" in card["description"]
    faq_after = spot.bot.library.faq_entries
    assert faq_after == faq_before + 1 - 6 + 1  # Wall Sit + 1, Plank - 6, Push-Up + 1
    assert f"**FAQ entries:** {faq_before} → {faq_after}" in card["description"]
    assert fields(message) == {"Added": "Wall Sit", "Removed": "Plank", "Changed": "Push-Up"}
    assert card["footer"]["text"].startswith("alice · policy partial · ")
    assert not message["attachments"]

    answer = spot.bot.library.answer("how long should I hold a wall sit").answer
    assert answer is not None and answer.slug == "wall-sit"


async def test_reload_with_broken_pages_keeps_serving(spotter_bot) -> None:
    spot = spotter_bot
    old = spot.bot.library.page("goblet-squat")
    spot.write_page("broken-lift.md", BROKEN_NEW_PAGE)
    spot.write_page("goblet-squat.md", BROKEN_GOBLET)
    spot.write_page("wall-sit.md", NEW_PAGE)

    _, message = await reload(spot)
    card = embed(message)
    assert card["title"] == "Library reloaded"
    lines = expected_lines(spot, "broken-lift.md") + expected_lines(spot, "goblet-squat.md")
    assert sum(": error: " in line for line in lines) == 3
    for line in lines:
        assert line in card["description"]  # path:line: level: message, path in the library
    assert "**Diagnostics:** 3 errors" in card["description"]
    values = fields(message)
    assert values["Added"] == "Wall Sit"
    assert values["Kept previous version (has errors)"] == "Goblet Squat"
    assert values["Not loaded (has errors)"] == "broken-lift.md"

    # The broken page's previous version still answers; the new broken page is not served.
    assert spot.bot.library.page("goblet-squat") == old
    assert spot.bot.library.page("broken-lift") is None
    answered = await spot.answer("how do I do a goblet squat")
    assert "must not be served" not in str(answered["embeds"])
    assert embed(answered)["title"].startswith("Goblet Squat")


@pytest.mark.timeout(60)  # a reader stuck on the pipe is the bug: fail fast, do not hang
async def test_reload_skips_hostile_files(spotter_bot, tmp_path) -> None:
    spot = spotter_bot
    os.mkfifo(spot.knowledge / "x.md")
    (spot.knowledge / "zero.md").symlink_to("/dev/zero")
    (tmp_path / "outside.md").write_text(NEW_PAGE)
    (spot.knowledge / "outside.md").symlink_to(tmp_path / "outside.md")
    (spot.knowledge / "huge.md").write_bytes(b"# Huge\n\n" + b"x" * (2 * 2**20))
    spot.write_page("wall-sit.md", NEW_PAGE.replace("# Wall Sit", "# Wall Sit Hold"))

    _, message = await reload(spot)
    card = embed(message)
    assert card["title"] == "Library reloaded"
    for line in (
        "huge.md:1: error: file is 2.0 MiB, over the 1.0 MiB limit (max_page_bytes); skipped",
        "outside.md:1: error: symbolic link to outside the library folder; skipped",
        "x.md:1: error: not a regular file (a named pipe); skipped",
        "zero.md:1: error: symbolic link to outside the library folder; skipped",
    ):
        assert line in card["description"]
    assert fields(message) == {
        "Added": "Wall Sit Hold",
        "Not loaded (has errors)": "huge.md, outside.md, x.md, zero.md",
    }
    assert spot.bot.library.page_count == 56
    status = await spot.fake.invoke_slash("kb status", user=spot.moderator)
    assert fields(await status.wait_for_message())["Diagnostics"] == "4 errors, 0 warnings"
    # The pipe is still there: the next reload is not stuck behind the first.
    _, again = await reload(spot)
    assert embed(again)["title"] == "Library reloaded"


async def test_a_reload_past_its_timeout_is_abandoned(start_spotter) -> None:
    # A 1 ms limit for a thousand new pages (a build of seconds): the reload is abandoned.
    async with start_spotter(reload_timeout_seconds=0.001) as spot:
        before = spot.bot.library
        generate_library(spot.knowledge / "generated", 1000, seed=5)
        _, message = await reload(spot)
        card = embed(message)
        assert card["title"] == "Reload failed: still serving the previous library"
        assert card["description"].startswith(
            "**Why:** the reload took longer than 0.001 s (reload_timeout_seconds) and was "
            "abandoned\n"
        )
        assert spot.bot.library is before
        status = await spot.fake.invoke_slash("kb status", user=spot.moderator)
        failed = fields(await status.wait_for_message())["Last reload attempt failed"]
        assert "took longer than 0.001 s" in failed
        answer = await spot.answer("how many reps for goblet squats")
        assert embed(answer)["title"].startswith("Goblet Squat")

        # The lock was let go: once the abandoned build has stopped, a reload with room works.
        await spot.bot.keeper.reloader.settled()
        keeper = spot.bot.keeper
        keeper.settings = replace(keeper.settings, reload_timeout_seconds=600)
        inter = await spot.fake.invoke_slash("kb reload", user=spot.moderator)
        done = await inter.wait_for_message(timeout=120)
        assert embed(done)["title"] == "Library reloaded"
        assert spot.bot.library.page_count > 1000


async def test_strict_policy_keeps_the_old_library(start_spotter) -> None:
    async with start_spotter(reload_policy="strict") as spot:
        before = spot.bot.library
        spot.write_page("wall-sit.md", NEW_PAGE)
        spot.write_page("broken-lift.md", BROKEN_NEW_PAGE)
        _, message = await reload(spot)
        assert spot.bot.library is before
        status = await spot.fake.invoke_slash("kb status", user=spot.moderator)
        status_fields = fields(await status.wait_for_message())
    card = embed(message)
    assert card["title"] == "Reload failed: still serving the previous library"
    assert "**Why:** 2 errors and the reload policy is strict" in card["description"]
    assert "**Pages:** 55 → 55\n" in card["description"]
    for line in expected_lines(spot, "broken-lift.md"):
        assert line in card["description"]
    assert "strict" in status_fields["Last reload attempt failed"]


async def test_missing_folder_keeps_the_old_library(spotter_bot) -> None:
    spot = spotter_bot
    before = spot.bot.library
    shutil.rmtree(spot.knowledge)
    _, message = await reload(spot)
    card = embed(message)
    assert card["title"] == "Reload failed: still serving the previous library"
    assert "knowledge folder not found" in card["description"]
    assert spot.bot.library is before
    assert embed(await spot.answer("how do I do a goblet squat"))["title"].startswith("Goblet")

    spot.knowledge.mkdir()
    (spot.knowledge / "README.md").write_text("# Not an exercise\n")
    _, message = await reload(spot)
    assert "no exercise pages in" in embed(message)["description"]
    assert spot.bot.library is before


async def test_long_report_comes_with_a_file(spotter_bot) -> None:
    spot = spotter_bot
    for number in range(60):
        spot.write_page(f"broken-{number:02}.md", BROKEN_NEW_PAGE)
    _, message = await reload(spot)
    card = embed(message)
    assert "and " in card["description"] and "reload-report.txt" in card["description"]
    (attachment,) = message["attachments"]
    assert attachment["filename"] == "reload-report.txt"
    upload = next(r for r in reversed(spot.fake.requests) if r.files)
    text = upload.files[0]["data"].decode()
    for number in range(60):
        for line in expected_lines(spot, f"broken-{number:02}.md"):
            assert line in text


async def test_reload_while_answering(spotter_bot) -> None:
    """Fifty questions while a big library loads: every one is answered in time (the fake
    fails the test on any answer later than Discord's 3 s), and the reload lands."""
    spot = spotter_bot
    generate_library(spot.knowledge / "generated", 400, seed=5)
    reload_inter = await spot.fake.invoke_slash("kb reload", user=spot.moderator)
    asks = [await spot.ask("how many reps for goblet squats") for _ in range(50)]

    replies = [await inter.wait_for_message(timeout=10) for inter in asks]
    report = await reload_inter.wait_for_message(timeout=20)
    assert all(embed(reply)["title"].startswith("Goblet Squat") for reply in replies)
    assert all(inter.latency is not None and inter.latency < 3 for inter in asks)
    assert embed(report)["title"] == "Library reloaded"
    assert spot.bot.library.page_count > 400


async def test_watcher_reloads_after_changes_settle(start_spotter) -> None:
    async with start_spotter(watch_knowledge=True, watch_debounce_seconds=0.2) as spot:
        startup = spot.bot.keeper.last_reload
        spot.write_page("wall-sit.md", NEW_PAGE)
        await asyncio.sleep(0.05)
        spot.write_page("broken-lift.md", BROKEN_NEW_PAGE)
        await spot.fake.wait_for(lambda: spot.bot.keeper.last_reload is not startup, timeout=5)
        report = spot.bot.keeper.last_reload
        await asyncio.sleep(0.5)  # files unchanged since: no further reload
        assert spot.bot.keeper.last_reload is report
        status = await spot.fake.invoke_slash("kb status", user=spot.moderator)
        status_message = await status.wait_for_message()
    assert report.loaded_by == "file watcher"
    assert report.added == ("Wall Sit",)  # both files in one reload
    assert report.skipped == ("broken-lift.md",)
    assert spot.bot.library.page("wall-sit") is not None
    assert "reloads when files change" in embed(status_message)["description"]

"""Moderators change the library from Discord: /kb upload (with its preview and Confirm),
/kb page, /kb remove, "Add FAQ" from /kb gaps, the audit in /kb status, git commits; and
members can use none of it. Real discord.py against the loopback Discord, real files."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest

from bot.adapter.library_editing import PENDING_SECONDS, library_editor
from bot.core.faq_edit import append_faq_entry
from bot.core.parsing import parse_page
from fakediscord import CommandUnavailable
from tests.adapter.helpers import (
    button,
    components,
    custom_ids,
    embed,
    first_question,
    is_ephemeral,
)
from tests.pages import BROKEN_GOBLET, BROKEN_NEW_PAGE, NEW_PAGE

# Questions about burpees and knees, which no page answers: one of them goes unanswered.
GAP_QUESTIONS = (
    "are burpees bad for your knees",
    "burpees and knee pain, should i stop?",
    "knees ache after burpees",
    "my knees click on burpees",
    "wrists hurt doing burpees",
    "clicking knees during burpees",
)
GAP_ANSWER = (
    "Most people can at low volume with soft landings; ease off when your knees or wrists ache."
)
NOT_A_MODERATOR = (
    "Only moderators can manage the exercise library: you need the Manage Server permission."
)


async def upload(spot, *files, user=None) -> dict:
    """/kb upload with these files; the preview (or refusal) it sends."""
    options = {("file" if n == 0 else f"file{n + 1}"): f for n, f in enumerate(files)}
    inter = await spot.fake.invoke_slash("kb upload", options, user=user or spot.moderator)
    assert (await inter.response())["type"] == 5  # deferred: downloading and linting
    message = await inter.wait_for_message(timeout=10)
    assert is_ephemeral(message)
    return message


def button_id(message, action: str) -> str:
    (found,) = [i for i in custom_ids(message) if f":{action}:" in i]
    return found


async def press(spot, message, action: str, user=None) -> dict:
    """Click Confirm/Cancel and return the message as it was edited in place."""
    click = await spot.fake.click(message, button_id(message, action), user=user or spot.moderator)
    await spot.fake.wait_for(lambda: click.edits, 10, what="the message to be edited")
    return spot.fake.world.messages[int(message["id"])]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def expected_lines(name: str, text: str) -> list[str]:
    _, diagnostics = parse_page(text, name)
    return [f"{name}:{d.line}: {d.level}: {d.message}" for d in diagnostics]


def files_of(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def zipped(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


async def test_a_broken_page_is_refused_with_its_diagnostics_and_nothing_written(
    spotter_bot,
) -> None:
    spot = spotter_bot
    before = files_of(spot.knowledge)
    preview = await upload(
        spot,
        spot.fake.attach("broken-lift.md", BROKEN_NEW_PAGE),
        spot.fake.attach("goblet-squat.md", BROKEN_GOBLET),
    )
    card = embed(preview)
    assert card["title"] == "Upload refused: the pages have errors, nothing was written"
    assert components(preview) == []  # nothing to confirm
    for name, text in (("broken-lift.md", BROKEN_NEW_PAGE), ("goblet-squat.md", BROKEN_GOBLET)):
        for line in expected_lines(name, text):
            assert line in card["description"]
    assert "broken-lift.md:7: error: FAQ question has no answer" in card["description"]
    assert files_of(spot.knowledge) == before  # no page, no temporary file
    assert spot.bot.keeper.last_reload.loaded_by == "startup"


async def test_a_good_page_is_written_and_answers_the_next_question(spotter_bot) -> None:
    spot = spotter_bot
    assert spot.bot.library.answer("how long should I hold a wall sit").answer is None
    preview = await upload(
        spot,
        spot.fake.attach("wall-sit.md", NEW_PAGE),
        spot.fake.attach("broken-lift.md", BROKEN_NEW_PAGE),
    )
    card = embed(preview)
    assert card["title"] == "Upload preview: 1 page to write"
    assert "**Added:** Wall Sit (`wall-sit.md`)" in card["description"]
    assert "**Not written (errors):** Broken Lift (`broken-lift.md`)" in card["description"]
    assert not (spot.knowledge / "wall-sit.md").exists()  # nothing before Confirm

    saved = await press(spot, preview, "confirm")
    result = embed(saved)
    assert result["title"] == "Upload saved"
    assert "**Written:** `wall-sit.md`" in result["description"]
    assert "**Library reloaded:** 55 → 56 pages" in result["description"]
    assert components(saved) == []
    assert (spot.knowledge / "wall-sit.md").read_text(encoding="utf-8") == NEW_PAGE
    assert not (spot.knowledge / "broken-lift.md").exists()

    answer = embed(await spot.answer("how long should I hold a wall sit"))
    assert answer["title"].startswith("Wall Sit")
    assert "three holds of 30 seconds" in answer["description"]

    rows = await spot.rows("SELECT user_id, user_name, action, pages FROM library_changes")
    assert rows == [(spot.moderator.user.id, "alice", "upload", '["wall-sit.md"]')]
    status = await spot.fake.invoke_slash("kb status", user=spot.moderator)
    recent = {f["name"]: f["value"] for f in embed(await status.wait_for_message())["fields"]}
    shown = unescape(recent["Recent changes from Discord"])
    assert "**alice** uploaded wall-sit.md (added)" in shown


async def test_a_page_fetched_edited_and_uploaded_back_shows_its_faq_diff(spotter_bot) -> None:
    spot = spotter_bot
    inter = await spot.fake.invoke_slash(
        "kb page", {"exercise": "goblet squat"}, user=spot.moderator
    )
    message = await inter.wait_for_message()
    assert is_ephemeral(message)
    assert "/kb upload" in message["content"]
    (attachment,) = message["attachments"]
    assert attachment["filename"] == "goblet-squat.md"
    original = spot.fake.attachment_data(attachment).decode("utf-8")
    assert original == (spot.knowledge / "goblet-squat.md").read_text(encoding="utf-8")

    page, _ = parse_page(original)
    changed, removed = page.faq[0], page.faq[1]
    edited = original.replace(changed.answer, "Hold it at your chest, elbows inside your knees.")
    edited = re.sub(rf"### {re.escape(removed.question)}\n\n.*?\n\n", "", edited, flags=re.S)
    edited = append_faq_entry(edited, "Can I goblet squat with a kettlebell?", "Yes.").text
    preview = await upload(spot, spot.fake.attach("goblet-squat.md", edited))

    card = embed(preview)
    assert "**Changed:** Goblet Squat (`goblet-squat.md`)" in card["description"]
    (faq,) = card["fields"]
    assert faq["name"] == "FAQ · Goblet Squat"
    assert unescape(faq["value"]).splitlines() == [
        "+ Can I goblet squat with a kettlebell?",
        f"- {removed.question}",
        f"~ {changed.question} (answer changed)",
    ]
    await press(spot, preview, "confirm")
    assert (spot.knowledge / "goblet-squat.md").read_text(encoding="utf-8") == edited
    assert len(spot.bot.library.page("goblet-squat").faq) == len(page.faq)

    again = await upload(spot, spot.fake.attach("goblet-squat.md", edited))
    assert embed(again)["title"] == "Nothing to change: the library already has these pages"


def gap_question(spot) -> str:
    """A question the library does not answer, with the Burpee page first among the
    suggestions."""
    question, _ = first_question(
        spot,
        GAP_QUESTIONS,
        lambda result: (
            result.answer is None
            and [match.slug for match in result.alternatives[:1]] == ["burpee"]
        ),
        "unanswered with the Burpee page suggested first",
    )
    return question


async def test_add_faq_from_a_gap_answers_the_next_identical_question(spotter_bot) -> None:
    spot = spotter_bot
    gap = gap_question(spot)
    unanswered = embed(await spot.answer(gap))
    assert "Burpee" in unanswered["description"]  # only suggested: no confident answer
    gaps = await spot.fake.invoke_slash("kb gaps", user=spot.moderator)
    report = await gaps.wait_for_message(timeout=10)
    add = button(report, "Add FAQ 1")

    opened = await spot.fake.click(report, add["custom_id"], user=spot.moderator)
    modal = await opened.response()
    assert modal["type"] == 9
    prefilled = {
        row["component"]["custom_id"]: row["component"].get("value")
        for row in modal["data"]["components"]
    }
    assert prefilled == {"exercise": "Burpee", "question": gap, "answer": None}

    # A name the library does not know: refused, and what was typed comes back.
    wrong = await spot.fake.submit_modal(opened, {"exercise": "zzz qqq xxx", "answer": GAP_ANSWER})
    refused = await wrong.wait_for_message()
    assert "There is no exercise called **zzz qqq xxx**" in refused["content"]
    assert "Nothing was written" in refused["content"]
    assert f"```\n{GAP_ANSWER}\n```" in embed(refused)["description"]

    submitted = await spot.fake.submit_modal(opened, {"answer": GAP_ANSWER})
    assert (await submitted.response())["type"] == 5
    done = embed(await submitted.wait_for_message(timeout=10))
    assert done["title"] == "FAQ entry added to Burpee"
    text = (spot.knowledge / "burpee.md").read_text(encoding="utf-8")
    assert f"### {gap}\n\n{GAP_ANSWER}\n" in text

    answer = embed(await spot.answer(gap))
    assert answer["title"].startswith("Burpee")
    assert GAP_ANSWER in answer["description"]
    rows = await spot.rows("SELECT action, pages FROM library_changes")
    assert rows == [("add_faq", '["burpee.md"]')]


async def test_a_refused_faq_entry_comes_back_whole(spotter_bot) -> None:
    spot = spotter_bot
    burpee = (spot.knowledge / "burpee.md").read_bytes()
    await spot.answer(gap_question(spot))
    gaps = await spot.fake.invoke_slash("kb gaps", user=spot.moderator)
    report = await gaps.wait_for_message(timeout=10)
    add = button(report, "Add FAQ 1")["custom_id"]
    opened = await spot.fake.click(report, add, user=spot.moderator)
    assert (await opened.response())["type"] == 9
    # As long as the modal allows, in paragraphs, with Markdown specials and a mention.
    paragraph = "Keep *hips* low_ish [slow] (2 s) | > @everyone ``` 3x10 ~ `."
    answer = "\n\n".join([paragraph] * 60)[:2000]
    refusals = (
        ("zzz qqq xxx", ("Is *this* [the] _right_ way? " * 20)[:300], "There is no exercise"),
        ("Burpee", spot.bot.library.page("burpee").faq[0].question, "Not added: Burpee already"),
    )
    for exercise, question, why in refusals:
        submitted = await spot.fake.submit_modal(
            opened, {"exercise": exercise, "question": question, "answer": answer}
        )
        refused = await submitted.wait_for_message(timeout=10)
        assert refused["content"].startswith(why) and "Nothing was written" in refused["content"]
        echo = embed(refused)["description"]
        broken_fence = "`\u200b``"  # a fence inside the block would end it
        for typed in (question, answer):
            assert "```\n" + typed.replace("```", broken_fence) + "\n```" in echo
    assert (spot.knowledge / "burpee.md").read_bytes() == burpee


async def test_members_cannot_change_the_library(spotter_bot) -> None:
    spot = spotter_bot
    fake = spot.fake
    before = files_of(spot.knowledge)
    page = fake.attach("wall-sit.md", NEW_PAGE)
    with pytest.raises(CommandUnavailable):  # Discord hides /kb from members...
        await fake.invoke_slash("kb upload", {"file": page}, user=spot.member)
    attempts = [  # ...and we refuse it when an admin has changed that
        ("kb upload", {"file": page}),
        ("kb page", {"exercise": "plank"}),
        ("kb remove", {"exercise": "plank"}),
    ]
    for command, options in attempts:
        inter = await fake.invoke_slash(
            command, options, user=spot.member, enforce_discord_rules=False
        )
        reply = await inter.wait_for_message()
        assert (reply["content"], reply["attachments"]) == (NOT_A_MODERATOR, [])

    # Buttons of a moderator's messages: another member, or the moderator without the
    # permission any more, is refused on our side.
    preview = await upload(spot, page)
    click = await fake.click(preview, button_id(preview, "confirm"), user=spot.member)
    assert "Only the moderator who uploaded" in (await click.wait_for_message())["content"]
    click = await fake.click(
        preview, button_id(preview, "confirm"), user=spot.moderator, permissions=0
    )
    assert (await click.wait_for_message())["content"] == NOT_A_MODERATOR

    await spot.answer(gap_question(spot))
    gaps = await fake.invoke_slash("kb gaps", user=spot.moderator)
    report = await gaps.wait_for_message(timeout=10)
    add = button(report, "Add FAQ 1")["custom_id"]
    click = await fake.click(report, add, user=spot.member)
    assert (await click.wait_for_message())["content"] == NOT_A_MODERATOR
    opened = await fake.click(report, add, user=spot.moderator)
    assert (await opened.response())["type"] == 9
    forged = await fake.submit_modal(
        opened, {"answer": GAP_ANSWER}, user=spot.member, enforce_discord_rules=False
    )
    assert (await forged.wait_for_message())["content"] == NOT_A_MODERATOR

    assert files_of(spot.knowledge) == before
    assert await spot.rows("SELECT * FROM library_changes") == []


async def test_a_zip_of_pages_is_checked_entry_by_entry(spotter_bot) -> None:
    spot = spotter_bot
    before = files_of(spot.knowledge)
    for entries, reason in [
        ({"wall-sit.md": NEW_PAGE, "../evil.md": NEW_PAGE}, "'../evil.md' points outside"),
        ({f"page-{n}.md": NEW_PAGE for n in range(101)}, "holds 101 files; at most 100 pages"),
        ({"wall-sit.md": NEW_PAGE, "photo.png": "x"}, "'photo.png' is not a Markdown page"),
    ]:
        archive = spot.fake.attach("pages.zip", zipped(entries))
        inter = await spot.fake.invoke_slash("kb upload", {"file": archive}, user=spot.moderator)
        refusal = (await inter.wait_for_message(timeout=10))["content"]
        assert refusal.startswith("Upload refused: pages.zip")
        assert reason in refusal and refusal.endswith("Nothing was written.")
    assert files_of(spot.knowledge) == before
    assert not (spot.knowledge.parent / "evil.md").exists()

    archive = zipped({"legs/wall-sit.md": NEW_PAGE, "__MACOSX/._wall-sit.md": "junk"})
    preview = await upload(spot, spot.fake.attach("pages.zip", archive))
    assert "**Added:** Wall Sit (`legs/wall-sit.md`)" in embed(preview)["description"]
    await press(spot, preview, "confirm")
    assert (spot.knowledge / "legs" / "wall-sit.md").read_text(encoding="utf-8") == NEW_PAGE
    assert spot.bot.library.page("wall-sit") is not None


async def test_remove_moves_the_page_to_the_trash_which_is_not_loaded(spotter_bot) -> None:
    spot = spotter_bot
    plank = (spot.knowledge / "plank.md").read_bytes()
    choices = await spot.fake.autocomplete(
        "kb remove", focused="exercise", user=spot.moderator, options={"exercise": "plan"}
    )
    assert {"name": "Plank", "value": "plank"} in choices  # as /exercise completes

    inter = await spot.fake.invoke_slash("kb remove", {"exercise": "plank"}, user=spot.moderator)
    question = await inter.wait_for_message()
    assert embed(question)["title"] == "Remove Plank?"
    kept = await press(spot, question, "cancel")
    assert embed(kept)["title"] == "Nothing removed"
    assert (spot.knowledge / "plank.md").exists()

    inter = await spot.fake.invoke_slash("kb remove", {"exercise": "plank"}, user=spot.moderator)
    removed = await press(spot, await inter.wait_for_message(), "confirm")
    assert embed(removed)["title"] == "Removed Plank"
    assert "`plank.md` is now `.trash/plank.md`" in embed(removed)["description"]
    assert not (spot.knowledge / "plank.md").exists()
    assert (spot.knowledge / ".trash" / "plank.md").read_bytes() == plank
    assert spot.bot.library.page("plank") is None
    assert spot.bot.library.page_count == 54  # the trash is not loaded

    inter = await spot.fake.invoke_slash("kb page", {"exercise": "plank"}, user=spot.moderator)
    reply = await inter.wait_for_message()  # the closest page left
    assert reply["content"].startswith("**Side Plank**")


async def test_an_upload_waits_for_a_while_then_says_it_expired(spotter_bot) -> None:
    spot = spotter_bot
    preview = await upload(spot, spot.fake.attach("wall-sit.md", NEW_PAGE))
    editor = library_editor(spot.bot)
    assert editor is not None
    now = editor.clock()
    editor.clock = lambda: now + PENDING_SECONDS + 1
    click = await spot.fake.click(preview, button_id(preview, "confirm"), user=spot.moderator)
    reply = await click.wait_for_message()
    assert is_ephemeral(reply)
    assert reply["content"].startswith("This upload is no longer waiting")
    assert "Nothing was written" in reply["content"]
    assert not (spot.knowledge / "wall-sit.md").exists()


async def test_the_library_changed_since_the_preview(spotter_bot) -> None:
    spot = spotter_bot
    goblet = spot.knowledge / "goblet-squat.md"
    edited = goblet.read_text(encoding="utf-8").replace("# Goblet Squat", "# Goblet Squat\n")
    preview = await upload(spot, spot.fake.attach("goblet-squat.md", edited + "\nMore.\n"))
    goblet.write_text(edited, encoding="utf-8")  # someone edits the file meanwhile
    refused = embed(await press(spot, preview, "confirm"))
    assert refused["title"] == "Upload not saved: the library changed"
    assert goblet.read_text(encoding="utf-8") == edited


def git(folder, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), *args], check=True, capture_output=True, text=True
    ).stdout


async def test_changes_are_committed_when_the_library_is_a_git_work_tree(start_spotter) -> None:
    async with start_spotter(library_git_commits=True) as spot:
        git(spot.knowledge, "init", "--quiet")
        identity = ("-c", "user.name=Test", "-c", "user.email=test@localhost")
        git(spot.knowledge, "add", "-A")
        git(spot.knowledge, *identity, "commit", "--quiet", "-m", "library")
        (spot.knowledge / "notes.txt").write_text("not ours to commit")

        preview = await upload(spot, spot.fake.attach("wall-sit.md", NEW_PAGE))
        saved = embed(await press(spot, preview, "confirm"))
        assert "Committed to git" in saved["description"]
        message = git(spot.knowledge, "log", "-1", "--format=%B")
        assert "uploaded wall-sit.md (added)" in message and "alice" in message
        assert git(spot.knowledge, "show", "--name-only", "--format=", "HEAD").split() == [
            "wall-sit.md"
        ]
        assert "?? notes.txt" in git(spot.knowledge, "status", "--porcelain")

        # A commit that fails (a hook refuses it) is reported; the file change stays.
        hook = spot.knowledge / ".git" / "hooks" / "pre-commit"
        hook.write_text("#!/bin/sh\necho refused by hook >&2\nexit 1\n")
        hook.chmod(0o755)
        inter = await spot.fake.invoke_slash(
            "kb remove", {"exercise": "plank"}, user=spot.moderator
        )
        removed = embed(await press(spot, await inter.wait_for_message(), "confirm"))
        assert "Not committed to git (git commit failed: refused by hook)" in removed["description"]
        assert not (spot.knowledge / "plank.md").exists()
        assert spot.bot.library.page("plank") is None


async def test_without_a_database_changes_still_work_and_say_so(start_spotter, tmp_path) -> None:
    folder = tmp_path / "not-a-database"
    folder.mkdir()  # a database path the store cannot open
    async with start_spotter(database_path=folder, database_failure="continue") as spot:
        preview = await upload(spot, spot.fake.attach("wall-sit.md", NEW_PAGE))
        saved = embed(await press(spot, preview, "confirm"))
        status = await spot.fake.invoke_slash("kb status", user=spot.moderator)
        recent = {f["name"]: f["value"] for f in embed(await status.wait_for_message())["fields"]}
    assert saved["title"] == "Upload saved"
    assert "could not record who made it" in saved["description"]
    assert (spot.knowledge / "wall-sit.md").read_text(encoding="utf-8") == NEW_PAGE
    assert "**alice** uploaded" in recent["Recent changes from Discord"]  # kept in memory


async def test_after_a_restart_buttons_still_answer_and_changes_are_listed(
    start_spotter, tmp_path
) -> None:
    database = tmp_path / "kept.sqlite3"
    async with start_spotter(database_path=database) as first:
        spot = first
        preview = await upload(spot, spot.fake.attach("wall-sit.md", NEW_PAGE))
        await press(spot, preview, "confirm")
        waiting = await upload(spot, spot.fake.attach("wall-sit.md", NEW_PAGE + "\nMore.\n"))
        inter = await spot.fake.invoke_slash(
            "kb remove", {"exercise": "plank"}, user=spot.moderator
        )
        question = await inter.wait_for_message()

    async with start_spotter(database_path=database) as spot:
        moderator = first.moderator  # the messages are in the first server
        status = await spot.fake.invoke_slash("kb status", user=spot.moderator)
        fields = {f["name"]: f["value"] for f in embed(await status.wait_for_message())["fields"]}
        assert "**alice** uploaded" in fields["Recent changes from Discord"]
        # A preview lives in memory: after a restart it says so, and nothing is written.
        click = await spot.fake.click(waiting, button_id(waiting, "confirm"), user=moderator)
        assert (await click.wait_for_message())["content"].startswith("This upload is no longer")
        # The removal carries what it needs in its custom_id: it works in the new process.
        removed = await press(spot, question, "confirm", user=moderator)
        assert embed(removed)["title"] == "Removed Plank"
        assert spot.bot.library.page("plank") is None

"""Changing the exercise library from Discord, one change at a time: the editor (write, audit,
git commit, reload), the Confirm / Cancel buttons of uploads and removals, and "Add FAQ" under
/kb gaps (button, modal, the entry appended).

Every change is checked on our side (moderator, and the asker for buttons), linted like
`spotter check`, written atomically, recorded in the audit table, optionally committed to git,
and followed by a reload (`LibraryKeeper.reload_library`). Changes take turns (one lock).

Buttons are DynamicItems (their custom_id carries what a click needs). An upload waiting for
Confirm lives in memory for PENDING_SECONDS; a click after that, or after a restart, gets a
clear line. The "Add FAQ" modal is answered by a listener of the LibraryAdmin cog on its
custom_id, so it works in whichever process receives it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord

from bot.adapter.checks import moderator_refusal
from bot.adapter.embeds import to_embed
from bot.adapter.replies import only_for, reply_privately, send_response
from bot.adapter.reports import with_fields
from bot.adapter.services import services_of
from bot.adapter.views import (
    CHOICE_TEXT,
    PAGE_REF,
    USER_ID,
    Button,
    Clickable,
    ComponentType,
    clicked_page,
    page_ref,
)
from bot.core.faq_edit import MAX_ANSWER_CHARS, MAX_QUESTION_CHARS, FaqEditRefused, append_faq_entry
from bot.core.library import Library, ReloadReport, counted
from bot.core.library_cards import change_card, faq_entry_card
from bot.core.library_files import TRASH_DIR, UnsafePath, move_to_trash, write_atomically
from bot.core.library_git import commit_paths
from bot.core.model import Page
from bot.core.render import (
    MESSAGE_TEXT_LIMIT,
    Card,
    CardField,
    escape_markdown,
    escape_user_text,
    fit,
    shorten,
)
from bot.core.uploads import (
    LibraryChanged,
    UploadPlan,
    WriteFailed,
    apply_upload,
    relative_to_root,
)
from bot.storage import Gap, LibraryChange, StorageError
from bot.storage.records import LibraryAction

if TYPE_CHECKING:
    from bot.adapter.services import BotServices

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]

PENDING_SECONDS = 15 * 60  # an upload preview (or removal question) waits this long
MAX_PENDING = 20  # uploads waiting at once: each holds its pages in memory
RECENT_CHANGES = 5  # shown by /kb status
ADD_FAQ_MODAL = "spotter:addfaq"
TOKEN = r"[0-9a-f]{16}"
LIBRARY_ADMIN_COG = "LibraryAdmin"  # the cog that holds the editor (cogs/library_admin.py)

UPLOAD_EXPIRED = (
    "This upload is no longer waiting (previews wait "
    f"{PENDING_SECONDS // 60} minutes, and not across a restart) or was already handled. "
    "Nothing was written: upload the files again with /kb upload."
)
REMOVE_EXPIRED = "This question expired. Nothing was removed: run /kb remove again."
ACTION_WORDS = {"upload": "upload", "remove": "remove", "add_faq": "Add FAQ"}


# -- changes, one at a time ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingUpload:
    owner_id: int
    plan: UploadPlan
    expires_at: float  # time.monotonic()


@dataclass(slots=True)
class Applied:
    """What a change did: files (relative to the library), the reload, notes for the reply."""

    paths: list[str]
    report: ReloadReport | None
    notes: list[str] = field(default_factory=list)


class LibraryEditor:
    """Writes, audits, commits and reloads, one change at a time; holds pending uploads."""

    def __init__(self, bot: BotServices, clock: Callable[[], float] = time.monotonic) -> None:
        self.bot = bot
        self.clock = clock
        self._lock = asyncio.Lock()
        self._pending: dict[str, PendingUpload] = {}
        # The last changes, newest first, for /kb status: read from the store once at start,
        # then kept here, so /kb status never waits on the database.
        self.recent: list[LibraryChange] = []

    @property
    def root(self) -> Path:
        return Path(self.bot.settings.knowledge_dir)

    def hold(self, owner_id: int, plan: UploadPlan) -> str:
        now = self.clock()
        for token in [t for t, p in self._pending.items() if p.expires_at <= now]:
            del self._pending[token]
        while len(self._pending) >= MAX_PENDING:
            del self._pending[next(iter(self._pending))]  # the oldest
        token = secrets.token_hex(8)
        self._pending[token] = PendingUpload(owner_id, plan, now + PENDING_SECONDS)
        return token

    def take(self, token: str) -> PendingUpload | None:
        """The upload waiting under token, once; None when unknown or expired."""
        pending = self._pending.pop(token, None)
        if pending is None or pending.expires_at <= self.clock():
            return None
        return pending

    async def apply(
        self,
        interaction: Interaction,
        action: LibraryAction,
        describe: Callable[[list[str]], str],
        change: Callable[[], list[str]],
    ) -> Applied:
        """Run `change` (blocking: writes files, returns their paths) in a thread, then record
        it (`describe(paths)` says what it did), commit it if asked to, and reload. Exceptions
        of `change` other than WriteFailed propagate before anything else happens."""
        async with self._lock:
            notes: list[str] = []
            try:
                paths = await asyncio.to_thread(change)
            except WriteFailed as failed:
                paths = failed.written
                notes.append(f"⚠️ {failed}")
            if not paths:
                return Applied([], None, notes)
            user = interaction.user
            summary = describe(paths)
            await self._record(interaction, action, summary, paths, notes)
            if self.bot.settings.library_git_commits:
                message = (
                    f"{summary}\n\nFrom Discord by {user.name} (user id {user.id}) with "
                    f"Spotter's {ACTION_WORDS[action]}."
                )
                outcome = await asyncio.to_thread(
                    commit_paths, self.root, [self.root / p for p in paths], message
                )
                if outcome.committed:
                    notes.append(f"Committed to git: `{outcome.detail}`.")
                else:
                    notes.append(f"⚠️ Not committed to git ({outcome.detail}); the files are saved.")
            loaded_by = f"{user.name} ({ACTION_WORDS[action]})"
            # The other processes (same folder, or a copy they pull) reload too.
            report = await self.bot.keeper.reload_library(loaded_by=loaded_by, everywhere=True)
            return Applied(paths, report, notes)

    async def _record(
        self,
        interaction: Interaction,
        action: LibraryAction,
        summary: str,
        paths: Sequence[str],
        notes: list[str],
    ) -> None:
        change = LibraryChange(
            guild_id=interaction.guild_id,
            user_id=interaction.user.id,
            user_name=interaction.user.name,
            action=action,
            pages=tuple(paths),
            summary=summary,
            created_at=datetime.now(UTC),
        )
        self.recent = [change, *self.recent][:RECENT_CHANGES]
        try:
            await self.bot.store.record_library_change(change)
        except StorageError as error:
            log.warning("library change not recorded: %s", error)
            notes.append("⚠️ The change is saved, but the database could not record who made it.")
        log.info("library %s by %s (%s): %s", action, change.user_name, change.user_id, summary)


def library_editor(bot: BotServices) -> LibraryEditor | None:
    """The editor of the LibraryAdmin cog; None when it is not loaded."""
    editor = getattr(bot.get_cog(LIBRARY_ADMIN_COG), "editor", None)
    return editor if isinstance(editor, LibraryEditor) else None


async def still_moderator(interaction: Interaction) -> bool:
    """Buttons and modals are checked again on click: the sender may have lost the role."""
    refusal = moderator_refusal(interaction)
    if refusal is None:
        return True
    await reply_privately(interaction, refusal)
    return False


def no_such_exercise(name: str, closest: Sequence[Page]) -> str:
    text = f"There is no exercise called **{escape_user_text(name, 100)}**."
    if closest:
        text += " Did you mean: " + ", ".join(page.name for page in closest[:5]) + "?"
    return text


def choice_view(*buttons: discord.ui.Item[Any]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(button)
    return view


# -- buttons ---------------------------------------------------------------------------------


class UploadButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=rf"spotter:upload:(?P<action>confirm|cancel):(?P<token>{TOKEN}):(?P<owner_id>{USER_ID})",
):
    """Confirm or Cancel under an upload preview; only the moderator who uploaded."""

    def __init__(self, action: str, token: str, owner_id: int) -> None:
        confirm = action == "confirm"
        super().__init__(
            discord.ui.Button(
                label="Confirm: write and reload" if confirm else "Cancel",
                style=discord.ButtonStyle.success if confirm else discord.ButtonStyle.secondary,
                custom_id=f"spotter:upload:{action}:{token}:{owner_id}",
                row=0,
            )
        )
        self.action = action
        self.token = token
        self.owner_id = owner_id

    async def clicked(self, interaction: Interaction) -> None:
        refusal = "Only the moderator who uploaded these pages can confirm or cancel."
        if not await only_for(interaction, self.owner_id, refusal):
            return
        if not await still_moderator(interaction):
            return
        editor = library_editor(services_of(interaction))
        pending = editor.take(self.token) if editor is not None else None
        if editor is None or pending is None:
            await reply_privately(interaction, UPLOAD_EXPIRED)
            return
        if self.action == "cancel":
            card = fit(Card("Upload cancelled", "Nothing was written."))
            await interaction.response.edit_message(embed=to_embed(card), view=None, attachments=[])
            return
        await interaction.response.defer()  # writing and reloading take a moment
        card = await save_upload(editor, interaction, pending.plan)
        await interaction.edit_original_response(embed=to_embed(card), view=None, attachments=[])


async def save_upload(editor: LibraryEditor, interaction: Interaction, plan: UploadPlan) -> Card:
    pages = plan.to_write
    changes = {p.relative: p.change for p in pages}

    def describe(paths: list[str]) -> str:
        return "uploaded " + ", ".join(f"{path} ({changes[path]})" for path in paths)

    try:
        applied = await editor.apply(interaction, "upload", describe, lambda: apply_upload(plan))
    except LibraryChanged as changed:
        return fit(
            Card(
                "Upload not saved: the library changed",
                f"`{changed}` changed since this preview, so its differences are no longer "
                "the ones shown. Nothing was written: upload the pages again to see the new "
                "preview.",
            )
        )
    written = set(applied.paths)
    lines = [
        f"**Written:** {shorten(', '.join(f'`{p}`' for p in applied.paths), 900)}"
        if applied.paths
        else "**Nothing was written.**"
    ]
    if plan.removed and written:
        lines.append(f"**Removed:** {shorten(', '.join(plan.removed), 400)}")
    refused = len(plan.pages) - len(pages)
    if refused:
        lines.append(f"{counted(refused, 'page')} with errors or no changes left as they were.")
    title = "Upload saved" if written else "Upload not saved"
    return change_card(title, lines, applied.report, applied.notes)


class RemoveButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=(
        rf"spotter:remove:(?P<action>confirm|cancel):(?P<owner_id>{USER_ID}):(?P<page>{PAGE_REF})"
    ),
):
    """Confirm or Cancel under /kb remove; only the moderator who asked, within the window
    (measured from the message's own timestamp, so the same after a restart)."""

    def __init__(self, action: str, owner_id: int, page: str) -> None:
        confirm = action == "confirm"
        ref = page_ref(page)
        super().__init__(
            discord.ui.Button(
                label="Move to trash" if confirm else "Cancel",
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
                custom_id=f"spotter:remove:{action}:{owner_id}:{ref}",
                row=0,
            )
        )
        self.action = action
        self.owner_id = owner_id
        self.ref = ref

    async def clicked(self, interaction: Interaction) -> None:
        refusal = "Only the moderator who asked can confirm or cancel this removal."
        if not await only_for(interaction, self.owner_id, refusal):
            return
        if not await still_moderator(interaction):
            return
        message = interaction.message
        assert message is not None  # a component is always on a message
        age = (discord.utils.utcnow() - message.created_at).total_seconds()
        editor = library_editor(services_of(interaction))
        if age >= PENDING_SECONDS or editor is None:
            await reply_privately(interaction, REMOVE_EXPIRED)
            return
        if self.action == "cancel":
            card = fit(Card("Nothing removed", "The page stays in the library."))
            await interaction.response.edit_message(embed=to_embed(card), view=None)
            return
        page = await clicked_page(interaction, self.ref)
        if page is None:
            return
        if services_of(interaction).library.page_count <= 1:
            await reply_privately(interaction, "That is the only page: the library can't be empty.")
            return
        await interaction.response.defer()
        card = await remove_page(editor, interaction, page)
        await interaction.edit_original_response(embed=to_embed(card), view=None)


async def remove_page(editor: LibraryEditor, interaction: Interaction, page: Page) -> Card:
    root = editor.root
    relative = relative_to_root(root, page.path)
    moved: list[str] = []

    def change() -> list[str]:
        try:
            target = move_to_trash(root, page.path)
        except FileNotFoundError:
            raise WriteFailed([], relative, "the file is no longer there") from None
        except (OSError, UnsafePath) as error:
            raise WriteFailed(
                [], relative, getattr(error, "strerror", None) or str(error)
            ) from None
        moved.append(relative_to_root(root, str(target)))
        return [relative]

    summary = f"removed {page.name}: {relative} moved to {TRASH_DIR}/"
    applied = await editor.apply(interaction, "remove", lambda _: summary, change)
    if not applied.paths:
        return change_card(f"{escape_markdown(page.name)} was not removed", [], None, applied.notes)
    lines = [f"`{relative}` is now `{moved[0]}`. Move it back and /kb reload to restore it."]
    return change_card(
        f"Removed {escape_markdown(page.name)}", lines, applied.report, applied.notes
    )


# -- from gaps to FAQ entries ----------------------------------------------------------------

_GAP_FIELD = re.compile(r"^\d+\. \d+× “(?P<question>.*)”$", re.DOTALL)
_ESCAPED = re.compile(r"\\([\\*_`~|>#\[\]()-])")
GAP_BUTTONS_PER_ROW = 5


def add_faq_view(gaps: Sequence[Gap]) -> discord.ui.View | None:
    """An "Add FAQ" button per group of /kb gaps (numbered like the groups)."""
    if not gaps:
        return None
    view = discord.ui.View(timeout=None)
    for number in range(1, min(len(gaps), 25) + 1):
        view.add_item(AddFaqButton(number))
    return view


def gap_question(message: discord.Message | None, number: int) -> str:
    """The wording of group `number` as the /kb gaps card shows it: read back from the card,
    so the button needs no memory and works after a restart."""
    embeds = message.embeds if message is not None else []
    fields = embeds[0].fields if embeds else []
    if not 1 <= number <= len(fields):
        return ""
    match = _GAP_FIELD.match(fields[number - 1].name or "")
    if match is None:
        return ""
    return _ESCAPED.sub(r"\1", match["question"]).replace("@\u200b", "@").rstrip(" …")


class AddFaqButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=r"spotter:gapfaq:(?P<number>[1-9][0-9]?)",
):
    """Opens the "Add an FAQ entry" modal for one group of /kb gaps."""

    def __init__(self, number: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"Add FAQ {number}",
                style=discord.ButtonStyle.primary,
                custom_id=f"spotter:gapfaq:{number}",
                row=(number - 1) // GAP_BUTTONS_PER_ROW,
            )
        )
        self.number = number

    async def clicked(self, interaction: Interaction) -> None:
        if not await still_moderator(interaction):
            return
        question = gap_question(interaction.message, self.number)
        exercise = ""
        if question:  # the engine's best guess of the page, for the moderator to confirm
            library = services_of(interaction).library
            # Its answer, else the first page the question names (its suggestions), else the
            # likeliest page at all: "are burpees bad for your knees" is for Burpee, though
            # a knee FAQ of another page may fit its words as well.
            result = library.answer(question)
            best = result.answer or next(iter(result.alternatives), None)
            best = best or library.answer(question, 0.0).answer
            exercise = best.exercise if best is not None else ""
        await interaction.response.send_modal(add_faq_modal(question, exercise))


def add_faq_modal(question: str = "", exercise: str = "") -> discord.ui.Modal:
    modal = discord.ui.Modal(title="Add an FAQ entry", custom_id=ADD_FAQ_MODAL, timeout=None)
    modal.add_item(
        discord.ui.Label(
            text="Exercise",
            description="The page to add it to, by name (as in /exercise)",
            component=discord.ui.TextInput(
                custom_id="exercise",
                default=shorten(exercise, CHOICE_TEXT) or None,
                placeholder="e.g. Goblet Squat",
                max_length=CHOICE_TEXT,
            ),
        )
    )
    modal.add_item(
        discord.ui.Label(
            text="Question",
            description="As members ask it",
            component=discord.ui.TextInput(
                custom_id="question",
                default=question[:MAX_QUESTION_CHARS] or None,
                max_length=MAX_QUESTION_CHARS,
            ),
        )
    )
    modal.add_item(
        discord.ui.Label(
            text="Answer",
            description="A short paragraph, as on the page",
            component=discord.ui.TextInput(
                custom_id="answer",
                style=discord.TextStyle.paragraph,
                min_length=2,
                max_length=MAX_ANSWER_CHARS,
            ),
        )
    )
    # Answered by LibraryAdminCog.on_add_faq (in this process or one started since), never
    # by discord.py's modal store: a stopped modal is not kept there.
    modal.stop()
    return modal


def modal_values(data: Mapping[str, Any]) -> dict[str, str]:
    """custom_id -> value of every text input in a modal submission (rows or labels)."""
    values: dict[str, str] = {}
    pending = list(data.get("components") or [])
    while pending:
        component = pending.pop(0)
        if component.get("type") == 1:
            pending.extend(component.get("components") or [])
        elif component.get("type") == 18 and component.get("component"):
            pending.append(component["component"])
        elif component.get("type") == 4 and component.get("custom_id"):
            values[str(component["custom_id"])] = str(component.get("value") or "")
    return values


async def refuse_entry(interaction: Interaction, why: str, question: str, answer: str) -> None:
    """An Add FAQ entry not added: why, and the entry as typed, so a refusal loses nothing
    (question and answer together can be longer than a message: they go in a card)."""
    await send_response(
        interaction,
        content=shorten(f"{why} Nothing was written.", MESSAGE_TEXT_LIMIT),
        embed=to_embed(faq_entry_card(question, answer)),
        ephemeral=True,
    )


def page_named(library: Library, name: str) -> tuple[Page | None, tuple[Page, ...]]:
    """The one page a typed name means, or none and the pages it could mean (several that
    fit it, or the nearest names): a change to the library is never made to a guess."""
    found = library.index.find(name)
    return found.page, found.matches or found.nearest


async def add_faq(editor: LibraryEditor, interaction: Interaction) -> None:
    values = modal_values(interaction.data or {})
    exercise = values.get("exercise", "").strip()
    question = values.get("question", "")
    answer = values.get("answer", "")
    page, closest = (
        page_named(services_of(interaction).library, exercise) if exercise else (None, ())
    )
    if page is None:
        await refuse_entry(interaction, no_such_exercise(exercise, closest), question, answer)
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    root = editor.root
    relative = relative_to_root(root, page.path)
    added_line = 0

    def change() -> list[str]:
        nonlocal added_line
        path = Path(page.path)
        try:
            source = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise FaqEditRefused(f"{relative} is not valid UTF-8; fix it first") from None
        except OSError as error:
            raise WriteFailed([], relative, error.strerror or str(error)) from None
        edit = append_faq_entry(source, question, answer, path=relative)
        try:
            write_atomically(path, edit.text.encode("utf-8"))
        except OSError as error:
            raise WriteFailed([], relative, error.strerror or str(error)) from None
        added_line = edit.line
        return [relative]

    summary = f"added an FAQ entry to {page.name} ({relative}): {' '.join(question.split())}"
    try:
        applied = await editor.apply(interaction, "add_faq", lambda _: summary, change)
    except FaqEditRefused as refused:
        await refuse_entry(interaction, f"Not added: {refused}.", question, answer)
        return
    if not applied.paths:
        card = change_card("FAQ entry not added", [], None, applied.notes)
    else:
        lines = [
            f"**Question:** {escape_user_text(question, MAX_QUESTION_CHARS)}",
            f"`{relative}`, line {added_line}",
        ]
        card = change_card(
            f"FAQ entry added to {escape_markdown(page.name)}", lines, applied.report, applied.notes
        )
    await interaction.followup.send(embed=to_embed(card), ephemeral=True)


# -- /kb status: the last changes ------------------------------------------------------------

ACTION_PAST = {"upload": "uploaded", "remove": "removed", "add_faq": "added an FAQ entry"}


def changes_field(changes: Sequence[LibraryChange]) -> CardField:
    if not changes:
        return CardField("Changes from Discord", "None yet: /kb upload, /kb remove, Add FAQ.")
    lines = []
    for change in changes:
        when = f"<t:{int(change.created_at.timestamp())}:R>"
        who = escape_user_text(change.user_name, 40)
        what = escape_user_text(change.summary, 140)
        lines.append(f"{when} **{who}** {what}")
    return CardField("Recent changes from Discord", "\n".join(lines))


def with_recent_changes(card: Card, bot: BotServices) -> Card:
    """/kb status with the last few library changes made from Discord."""
    editor = library_editor(bot)
    field = changes_field(editor.recent if editor is not None else [])
    return with_fields(card, field)


LIBRARY_COMPONENTS: tuple[ComponentType, ...] = (
    UploadButton,
    RemoveButton,
    AddFaqButton,
)

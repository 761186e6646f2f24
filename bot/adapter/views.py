"""Buttons under answers and exercise cards.

Every view times out (settings.view_timeout_seconds) and then disables its buttons, so nobody
clicks a button that no longer works. Buttons that change a shared message are checked per
item: anyone may read a section or vote, only the asker may delete or pick a suggestion.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

import discord

from bot.adapter.embeds import to_embed
from bot.core.model import Page
from bot.core.render import (
    SECTION_NAMES,
    Card,
    answer_card,
    escape_user_text,
    exercise_not_found_card,
    exercise_view,
    no_answer_card,
    section_card,
    shorten,
)
from bot.core.search import Result
from bot.storage import StorageError, VoteStatus

if TYPE_CHECKING:
    from bot.adapter.client import SpotterBot

log = logging.getLogger(__name__)

Interaction = discord.Interaction["SpotterBot"]

SOMETHING_WENT_WRONG = "Something went wrong on my side. Please try again in a moment."
LABEL_LIMIT = 80
SELECT_OPTION_LIMIT = 25  # Discord's limit of options in one select menu
GONE = "That exercise is no longer in the library."
# Sections an answer offers as buttons, in order.
ANSWER_SECTIONS = ("how_to", "mistakes")
EXERCISE_TABS = ("overview", "how_to", "tips", "mistakes", "faq")
TAB_LABELS = {"overview": "Overview", **SECTION_NAMES}
VOTE_THANKS = {
    VoteStatus.NEW: "Thanks for the feedback!",
    VoteStatus.CHANGED: "Got it, I changed your vote.",
    VoteStatus.UNCHANGED: "You already voted that way. Thanks!",
}


async def reply_privately(interaction: Interaction, text: str) -> None:
    """An ephemeral message, whether or not the interaction was answered already."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell user %s: %s", interaction.user.id, text)


async def only_for(interaction: Interaction, user_id: int, refusal: str) -> bool:
    """True for that user; anyone else is told why, privately."""
    if interaction.user.id == user_id:
        return True
    await reply_privately(interaction, refusal)
    return False


async def reply_to(message: discord.Message, **fields: Any) -> discord.Message | None:
    """A reply that pings nobody; a channel we may not write in is logged, not raised."""
    try:
        return await message.reply(mention_author=False, **fields)
    except discord.Forbidden:
        log.info("no permission to reply in channel %s", message.channel.id)
    except discord.HTTPException as error:
        log.warning("could not reply to message %s: %s", message.id, error)
    return None


async def send_response(
    interaction: Interaction,
    *,
    embed: discord.Embed,
    view: SpotterView | None = None,
    ephemeral: bool = False,
    content: str | None = None,
) -> None:
    """Answer the interaction; the view learns its message so it can disable itself later."""
    if view is not None and not view.children:
        view.stop()  # nothing to click: no view, and no timeout task left behind
        view = None
    extra: dict[str, Any] = {} if view is None else {"view": view}
    if interaction.response.is_done():  # deferred under load: the answer is a follow-up
        message = await interaction.followup.send(
            content or discord.utils.MISSING, embed=embed, ephemeral=ephemeral, wait=True, **extra
        )
        if view is not None:
            view.message = message
        return
    callback = await interaction.response.send_message(
        content, embed=embed, ephemeral=ephemeral, **extra
    )
    if view is not None and isinstance(callback.resource, discord.InteractionMessage):
        view.message = callback.resource


class SpotterView(discord.ui.View):
    """Base view: times out into disabled buttons, and never fails silently."""

    def __init__(self, bot: SpotterBot) -> None:
        super().__init__(timeout=bot.settings.view_timeout_seconds)
        self.bot = bot
        self.message: discord.Message | None = None
        bot.live_views.add(self)

    async def interaction_check(self, interaction: Interaction) -> bool:
        return await self.bot.admit(interaction)  # tracked for shutdown; refused during one

    def disable_all(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True

    async def on_timeout(self) -> None:
        self.disable_all()
        if self.message is None:
            return
        message = self.message
        try:
            await message.edit(view=self)
        except discord.NotFound:
            pass  # deleted meanwhile: nothing left to disable
        except discord.HTTPException as error:
            # An interaction's token lasts 15 minutes; a public message can still be edited
            # through its channel after that.
            channel = message.channel
            if message.flags.ephemeral or not hasattr(channel, "get_partial_message"):
                log.debug("could not disable the buttons of message %s: %s", message.id, error)
                return
            with contextlib.suppress(discord.HTTPException):
                await channel.get_partial_message(message.id).edit(view=self)

    async def on_error(
        self, interaction: Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        log.error("error in %s (%s)", type(item).__name__, type(self).__name__, exc_info=error)
        await reply_privately(interaction, SOMETHING_WENT_WRONG)


# -- answers --------------------------------------------------------------------------------


class AnswerView(SpotterView):
    """Under an answer: sections of that exercise, feedback and (public answers) Delete.
    Under an abstention: the suggestions, each turning the message into that answer."""

    def __init__(
        self,
        bot: SpotterBot,
        *,
        question_id: str,
        asker_id: int,
        public: bool,
    ) -> None:
        super().__init__(bot)
        self.question_id = question_id
        self.asker_id = asker_id
        self.public = public
        self.delete_until = time.monotonic() + bot.settings.delete_button_seconds
        self.result: Result | None = None

    def show(self, result: Result) -> discord.Embed:
        """Set the buttons for `result`; return the embed that goes with them."""
        self.result = result
        self.clear_items()
        answer = result.answer
        if answer is None and result.ambiguous:
            self.add_item(VariantSelect(self.question_id, result))
            if self.public:
                self.add_item(DeleteButton(self.question_id))
            return to_embed(no_answer_card(result))
        if answer is None:
            for number, match in enumerate(result.alternatives):
                self.add_item(PickButton(self.question_id, number, match.exercise))
            if self.public:
                self.add_item(DeleteButton(self.question_id))
            return to_embed(no_answer_card(result))
        library = self.bot.library
        page = library.page(answer.slug)
        listing = answer.section == "related"  # a list of exercises is not about one of them
        if page is not None and not listing:
            for section in ANSWER_SECTIONS:
                has_it = page.steps if section == "how_to" else page.mistakes
                if has_it and answer.section != section:
                    self.add_item(SectionButton(self.question_id, answer.slug, section))
        self.add_item(VoteButton(self.question_id, helpful=True))
        self.add_item(VoteButton(self.question_id, helpful=False))
        if self.public:
            self.add_item(DeleteButton(self.question_id))
        # Variants already offered as alternatives need not be "related" too.
        offered = [match.slug for match in result.alternatives]
        related = () if listing else library.related(answer.slug, exclude=offered)
        return to_embed(answer_card(result, related))

    async def answer_with(self, interaction: Interaction, number: int) -> None:
        """Turn the message into the answer from suggestion `number`, in place."""
        assert self.result is not None
        picked = self.result.alternatives[number]
        # The suggestion already carries its best passage: show it as the answer.
        embed = self.show(Result(self.result.question, picked, ()))
        await interaction.response.edit_message(embed=embed, view=self)


async def reply_with_answer(
    bot: SpotterBot, message: discord.Message, question_id: str, result: Result
) -> discord.Message | None:
    """Reply to a message with an answer card and its buttons; None when we could not."""
    view = AnswerView(bot, question_id=question_id, asker_id=message.author.id, public=True)
    embed = view.show(result)
    view.message = await reply_to(message, embed=embed, view=view)
    if view.message is None:
        view.stop()  # no message to live under: no timeout task left behind
    return view.message


class SectionButton(discord.ui.Button[AnswerView]):
    def __init__(self, question_id: str, slug: str, section: str) -> None:
        super().__init__(
            label=SECTION_NAMES[section],
            style=discord.ButtonStyle.secondary,
            custom_id=f"spotter:section:{section}:{question_id}",
            row=0,
        )
        self.slug = slug
        self.section = section

    async def callback(self, interaction: Interaction) -> None:
        page = interaction.client.library.page(self.slug)
        if page is None:
            await reply_privately(interaction, GONE)
            return
        card = section_card(page, self.section)
        await interaction.response.send_message(embed=to_embed(card), ephemeral=True)


class VoteButton(discord.ui.Button[AnswerView]):
    def __init__(self, question_id: str, *, helpful: bool) -> None:
        super().__init__(
            label="Helpful" if helpful else "Not helpful",
            style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.secondary,
            custom_id=f"spotter:vote:{'up' if helpful else 'down'}:{question_id}",
            row=1,
        )
        self.question_id = question_id
        self.helpful = helpful

    async def callback(self, interaction: Interaction) -> None:
        try:
            vote = await interaction.client.store.record_vote(
                self.question_id, interaction.user.id, self.helpful
            )
        except StorageError:
            log.warning("could not record a vote", exc_info=True)
            await reply_privately(interaction, "I couldn't save your vote right now, sorry.")
            return
        await reply_privately(interaction, VOTE_THANKS[vote.status])


class DeleteButton(discord.ui.Button[AnswerView]):
    def __init__(self, question_id: str) -> None:
        super().__init__(
            label="Delete",
            style=discord.ButtonStyle.danger,
            custom_id=f"spotter:delete:{question_id}",
            row=1,
        )

    async def interaction_check(self, interaction: Interaction) -> bool:
        view = self.view
        assert view is not None
        refusal = "Only the person who asked can delete this answer."
        if not await only_for(interaction, view.asker_id, refusal):
            return False
        if time.monotonic() > view.delete_until:
            await reply_privately(interaction, "This answer can no longer be deleted.")
            return False
        return True

    async def callback(self, interaction: Interaction) -> None:
        view = self.view
        assert view is not None and interaction.message is not None
        await interaction.response.defer()
        view.stop()
        try:
            await interaction.message.delete()
        except discord.NotFound:
            pass
        except discord.HTTPException:
            # Without access to the channel, the interaction webhook can still delete it.
            await interaction.delete_original_response()


async def asker_only(view: AnswerView | None, interaction: Interaction, action: str) -> bool:
    """Suggestions and variants change the asker's message: only the asker may use them."""
    assert view is not None
    refusal = f"Only the person who asked can {action}. Ask your own with /ask!"
    return await only_for(interaction, view.asker_id, refusal)


class PickButton(discord.ui.Button[AnswerView]):
    def __init__(self, question_id: str, number: int, exercise: str) -> None:
        super().__init__(
            label=shorten(exercise, LABEL_LIMIT),
            style=discord.ButtonStyle.primary,
            custom_id=f"spotter:pick:{number}:{question_id}",
            row=0,
        )
        self.number = number

    async def interaction_check(self, interaction: Interaction) -> bool:
        return await asker_only(self.view, interaction, "pick")

    async def callback(self, interaction: Interaction) -> None:
        assert self.view is not None
        await self.view.answer_with(interaction, self.number)


class VariantSelect(discord.ui.Select[AnswerView]):
    """ "Which one do you mean?": the versions that fit; the asker's choice answers in place."""

    def __init__(self, question_id: str, result: Result) -> None:
        super().__init__(
            custom_id=f"spotter:variant:{question_id}",
            placeholder="Choose the exercise you mean",
            options=[
                discord.SelectOption(label=shorten(match.exercise, LABEL_LIMIT), value=str(number))
                for number, match in enumerate(result.alternatives[:SELECT_OPTION_LIMIT])
            ],
            row=0,
        )

    async def interaction_check(self, interaction: Interaction) -> bool:
        return await asker_only(self.view, interaction, "choose")

    async def callback(self, interaction: Interaction) -> None:
        assert self.view is not None
        await self.view.answer_with(interaction, int(self.values[0]))


# -- exercise cards -------------------------------------------------------------------------


class ExerciseCardView(SpotterView):
    """An exercise card with tabs. Private cards switch in place; on a public card the owner
    switches it in place and everyone else gets the tab as a private message."""

    def __init__(self, bot: SpotterBot, *, owner_id: int, public: bool, shareable: bool) -> None:
        super().__init__(bot)
        self.owner_id = owner_id
        self.public = public
        self.shareable = shareable
        self.page: Page | None = None
        self.tab = "overview"
        self.choices: tuple[Page, ...] = ()

    def show_page(self, page: Page, tab: str = "overview") -> discord.Embed:
        self.page, self.tab, self.choices = page, tab, ()
        self.clear_items()
        cards = exercise_view(page)
        for key in EXERCISE_TABS:
            if key == "overview" or key in cards.sections:
                self.add_item(TabButton(key, current=key == tab))
        if self.shareable:
            self.add_item(ShareButton())
        return to_embed(self.card(page, tab))

    def show_choices(self, name: str, choices: tuple[Page, ...]) -> discord.Embed:
        self.page, self.choices = None, choices
        self.clear_items()
        for number, page in enumerate(choices):
            self.add_item(ChoiceButton(number, page.name))
        return to_embed(exercise_not_found_card(name, choices))

    @staticmethod
    def card(page: Page, tab: str) -> Card:
        return exercise_view(page).overview if tab == "overview" else section_card(page, tab)

    def current_page(self) -> Page | None:
        """The page as the library has it now (it may have been reloaded since)."""
        if self.page is None:
            return None
        return self.bot.library.page(self.page.slug) or self.page


class TabButton(discord.ui.Button[ExerciseCardView]):
    def __init__(self, tab: str, *, current: bool) -> None:
        super().__init__(
            label=TAB_LABELS[tab],
            style=discord.ButtonStyle.primary if current else discord.ButtonStyle.secondary,
            custom_id=f"spotter:exercise:{tab}",
            disabled=current,
            row=0,
        )
        self.tab = tab

    async def callback(self, interaction: Interaction) -> None:
        view = self.view
        assert view is not None
        page = view.current_page()
        if page is None:
            await reply_privately(interaction, GONE)
            return
        if view.public and interaction.user.id != view.owner_id:
            card = view.card(page, self.tab)
            await interaction.response.send_message(embed=to_embed(card), ephemeral=True)
            return
        embed = view.show_page(page, self.tab)
        await interaction.response.edit_message(embed=embed, view=view)


class ShareButton(discord.ui.Button[ExerciseCardView]):
    def __init__(self) -> None:
        super().__init__(
            label="Share in channel",
            style=discord.ButtonStyle.success,
            custom_id="spotter:exercise:share",
            row=1,
        )

    async def callback(self, interaction: Interaction) -> None:
        view = self.view
        assert view is not None
        page = view.current_page()
        if page is None:
            await reply_privately(interaction, GONE)
            return
        shared = ExerciseCardView(
            interaction.client, owner_id=interaction.user.id, public=True, shareable=False
        )
        embed = shared.show_page(page, view.tab)
        await send_response(interaction, embed=embed, view=shared)


class ChoiceButton(discord.ui.Button[ExerciseCardView]):
    def __init__(self, number: int, name: str) -> None:
        super().__init__(
            label=shorten(name, LABEL_LIMIT),
            style=discord.ButtonStyle.primary,
            custom_id=f"spotter:exercise:pick:{number}",
            row=0,
        )
        self.number = number

    async def interaction_check(self, interaction: Interaction) -> bool:
        assert self.view is not None
        return await only_for(
            interaction, self.view.owner_id, "Only the person who asked can pick."
        )

    async def callback(self, interaction: Interaction) -> None:
        view = self.view
        assert view is not None
        chosen = view.choices[self.number]
        page = interaction.client.library.page(chosen.slug) or chosen
        embed = view.show_page(page)
        await interaction.response.edit_message(embed=embed, view=view)


def quote(text: str, limit: int = 300) -> str:
    """Someone's message shown back as a quote, safe to post."""
    return "> " + escape_user_text(text, limit)

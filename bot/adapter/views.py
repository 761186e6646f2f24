"""Buttons and menus under answers and exercise cards, and what a click on one does.

Every component is a discord.py DynamicItem: its custom_id carries what a click needs (the
question id, the asker, the page) and the rest is read at click time from the store and the
library as they are then. So a button works the same in the process that sent it and in any
process after a restart, and none times out. A click whose target is gone (a page a reload
removed, a question past retention) gets one clear private line, never "This interaction
failed". Anyone may read a section or vote; only the asker may delete or pick a suggestion.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Self

import discord
from discord import app_commands

from bot.adapter.embeds import to_embed
from bot.adapter.replies import (
    SOMETHING_WENT_WRONG,
    is_private,
    only_for,
    reply_privately,
    send_response,
)
from bot.adapter.services import services_of
from bot.config import Settings
from bot.core.library import Library
from bot.core.model import SECTION_TITLES, Page
from bot.core.render import (
    ANSWER_DESCRIPTION_LIMIT,
    LISTED_SECTIONS,
    AnswerStyle,
    alternatives_shown,
    answer_card,
    exercise_not_found_card,
    exercise_tab,
    no_answer_card,
    own_page_url,
    rest_cards,
    section_card,
    shorten,
    which_exercise_card,
)
from bot.core.search import Match, Result
from bot.storage import StorageError, VoteStatus

if TYPE_CHECKING:
    from bot.adapter.services import BotServices

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
Button = discord.ui.Button[discord.ui.View]
Select = discord.ui.Select[discord.ui.View]
# What discord.py registers and rebuilds on a click: any of the items below.
ComponentType = type[discord.ui.DynamicItem[Any]]

GONE = "That exercise is no longer in the library."
QUESTION_GONE = "I no longer have that question on record. Please ask it again."
CHANGED = "That part of the exercise has changed since. Look it up again with /exercise."
NO_RECORDS = "I can't read my records right now. Please try again in a moment."
STALE = (
    "This button is from an older version of Spotter and no longer works. "
    "Ask again with /ask or /exercise."
)
LABEL_LIMIT = 80
SELECT_OPTION_LIMIT = 25  # Discord's limit of options in one select menu
CHOICE_LIMIT = 25  # autocomplete choices Discord shows
CHOICE_TEXT = 100  # characters of a choice's name and value, and of a string option
# Sections an answer offers as buttons, in order.
ANSWER_SECTIONS = ("how_to", "mistakes")
EXERCISE_TABS = ("overview", *LISTED_SECTIONS, "faq")
TAB_LABELS = {"overview": "Overview", **SECTION_TITLES}
VOTE_THANKS = {
    VoteStatus.NEW: "Thanks for the feedback!",
    VoteStatus.CHANGED: "Got it, I changed your vote.",
    VoteStatus.UNCHANGED: "You already voted that way. Thanks!",
}

# -- what a custom_id carries (Discord allows 100 characters) --------------------------------

QUESTION_ID = r"[0-9a-f]{32}"
USER_ID = r"[0-9]{1,20}"
PAGE_REF_CHARS = 32
DIGEST_CHARS = 8
PAGE_REF = (
    rf"[a-z0-9-]{{1,{PAGE_REF_CHARS}}}"
    rf"|[a-z0-9-]{{1,{PAGE_REF_CHARS - DIGEST_CHARS - 1}}}~[0-9a-f]{{{DIGEST_CHARS}}}"
)
_LEGACY_QUESTION_ID = re.compile(QUESTION_ID)


def page_ref(slug: str) -> str:
    """A page as a custom_id names it: its slug, or for a long slug its start and a digest,
    so that a question id, a user id and a page always fit in one custom_id."""
    if len(slug) <= PAGE_REF_CHARS:
        return slug
    digest = hashlib.blake2b(slug.encode(), digest_size=DIGEST_CHARS // 2).hexdigest()
    return f"{slug[: PAGE_REF_CHARS - DIGEST_CHARS - 1]}~{digest}"


def page_by_ref(library: Library, ref: str) -> Page | None:
    """The page a custom_id names, in the library as it is now; None once it is gone."""
    start, digested, _ = ref.partition("~")
    if not digested:
        return library.page(ref)
    return next(
        (
            page
            for slug, page in library.kb.pages.items()
            if slug.startswith(start) and page_ref(slug) == ref
        ),
        None,
    )


async def clicked_page(interaction: Interaction, ref: str) -> Page | None:
    """The page a clicked component names; None, with a private line said, once it is gone."""
    page = page_by_ref(services_of(interaction).library, ref)
    if page is None:
        await reply_privately(interaction, GONE)
    return page


# Named groups of a custom_id template that hold whole numbers.
NUMBER_FIELDS = frozenset({"owner_id", "asker_id", "card", "number"})


class Clickable:
    """Shared by every component here (each also a DynamicItem with a template).

    A click rebuilds its item from the custom_id: each named group of the template is the
    constructor's keyword argument of that name. A click is tracked for a graceful shutdown
    (and refused during one); a click that fails is logged and answered privately (discord.py
    would only log it, and the user would see "This interaction failed")."""

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        fields = {
            name: int(value) if name in NUMBER_FIELDS else value
            for name, value in match.groupdict().items()
            if value is not None  # an optional group that did not take part
        }
        return cls(**fields)

    async def callback(self, interaction: Interaction) -> None:
        if not await services_of(interaction).admit(interaction):
            return  # shutting down: told to ask again in a moment
        try:
            await self.clicked(interaction)
        except Exception:
            log.exception("error in %s", type(self).__name__)
            await reply_privately(interaction, SOMETHING_WENT_WRONG)

    async def clicked(self, interaction: Interaction) -> None:
        raise NotImplementedError


# -- answers ---------------------------------------------------------------------------------


def answer_message(
    library: Library,
    style: AnswerStyle,
    result: Result,
    *,
    question_id: str,
    asker_id: int,
    public: bool,
    chosen: bool = False,
) -> tuple[discord.Embed, discord.ui.View]:
    """An answer with its sections, feedback, the other exercises it could be (as picks for
    the asker) and (public answers) Delete; an abstention with its suggestions; or "Which one
    do you mean?" with a menu of the versions. `chosen`: the asker picked this exercise."""
    view = discord.ui.View(timeout=None)
    answer = result.answer
    if answer is None:
        if result.ambiguous:
            view.add_item(VariantSelect(question_id, asker_id, result.alternatives))
        else:
            for match in result.alternatives:
                view.add_item(PickButton(question_id, asker_id, match.slug, match.exercise))
        if public:
            view.add_item(DeleteButton(asker_id))
        return to_embed(no_answer_card(result)), view
    pages = library.kb.pages
    page = library.page(answer.slug)
    listing = answer.section == "related"  # a list of exercises is not about one of them
    if page is not None and not listing:
        for section in ANSWER_SECTIONS:
            has_it = page.steps if section == "how_to" else page.mistakes
            if has_it and answer.section != section:
                view.add_item(SectionButton(section, answer.slug))
    view.add_item(VoteButton(question_id, "up"))
    view.add_item(VoteButton(question_id, "down"))
    if public:
        view.add_item(DeleteButton(asker_id))
    offered = () if chosen else alternatives_shown(result, pages, style)
    for alternative in offered:
        match = alternative.match
        view.add_item(
            PickButton(question_id, asker_id, match.slug, match.exercise, beside_an_answer=True)
        )
    linked = page is not None and own_page_url(page, style.page_url) is not None
    if page is not None and not listing and not linked:
        part = rest_of_answer(page, answer)
        if part is not None:
            view.add_item(RestButton(part, page.slug))
    if page is not None and not listing:
        # The page's other answers that may be what was asked (a close call between them),
        # but not a section its own button already shows; beside the section buttons (row 1
        # is full with the votes, Delete and "Show the rest").
        for other in result.also:
            part = page_part(page, other)
            if part is not None and other.section not in ANSWER_SECTIONS:
                label = f"Or: {other.heading}"
                view.add_item(RestButton(part, page.slug, label=label, row=0))
    # What is offered above need not be "related" too.
    others = [alternative.match.slug for alternative in offered]
    related = () if listing else library.related(answer.slug, exclude=others)
    card = answer_card(result, related, pages=pages, style=style, chosen=chosen)
    return to_embed(card), view


def answer_style(settings: Settings) -> AnswerStyle:
    return AnswerStyle(sure_confidence=settings.sure_confidence, page_url=settings.page_url)


def rest_of_answer(page: Page, answer: Match) -> str | None:
    """The part a "Show the rest" button shows when the answer was cut (and the card has no
    link to the page instead); None when nothing is missing."""
    if len(answer.text) <= ANSWER_DESCRIPTION_LIMIT:
        return None
    return page_part(page, answer)


def page_part(page: Page, match: Match) -> str | None:
    """The part of the page (as `render.rest_cards` names it) that a match is from; None for
    one that has no card of its own (attributes, related) or is no longer on the page."""
    if match.section == "faq":
        for index, entry in enumerate(page.faq):
            if entry.question == match.heading:
                return f"entry{index}"
        return None
    part = "overview" if match.section == "quick" else match.section
    return part if part == "overview" or part in LISTED_SECTIONS else None


async def answer_in_place(
    interaction: Interaction, question_id: str, asker_id: int, ref: str
) -> None:
    """Turn the asker's message into the answer from the page they picked: that page's
    passage for the question as it was logged."""
    bot = services_of(interaction)
    try:
        record = await bot.store.question(question_id)
    except StorageError:
        log.warning("could not read question %s", question_id, exc_info=True)
        await reply_privately(interaction, NO_RECORDS)
        return
    if record is None:
        await reply_privately(interaction, QUESTION_GONE)
        return
    library = bot.library
    page = page_by_ref(library, ref)
    match = None if page is None else library.index.passage_for(record.question, page.slug)
    if match is None:
        await reply_privately(interaction, GONE)
        return
    embed, view = answer_message(
        library,
        answer_style(bot.settings),
        Result(record.question, match, ()),
        question_id=question_id,
        asker_id=asker_id,
        public=not is_private(interaction),
        chosen=True,
    )
    await interaction.response.edit_message(embed=embed, view=view)


async def asker_only(interaction: Interaction, asker_id: int, action: str) -> bool:
    """Suggestions and variants change the asker's message: only the asker may use them."""
    refusal = f"Only the person who asked can {action}. Ask your own with /ask!"
    return await only_for(interaction, asker_id, refusal)


class SectionButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=rf"spotter:section:(?P<section>{'|'.join(ANSWER_SECTIONS)}):(?P<page>{PAGE_REF})",
):
    """A section of the answer's exercise, privately, for whoever clicks."""

    def __init__(self, section: str, page: str) -> None:
        ref = page_ref(page)
        super().__init__(
            discord.ui.Button(
                label=SECTION_TITLES[section],
                style=discord.ButtonStyle.secondary,
                custom_id=f"spotter:section:{section}:{ref}",
                row=0,
            )
        )
        self.section = section
        self.ref = ref

    async def clicked(self, interaction: Interaction) -> None:
        bot = services_of(interaction)
        page = page_by_ref(bot.library, self.ref)
        if page is None and _LEGACY_QUESTION_ID.fullmatch(self.ref):
            page = await legacy_answer_page(bot, self.ref)
        if page is None:
            await reply_privately(interaction, GONE)
            return
        card = section_card(page, self.section, style=answer_style(bot.settings))
        await interaction.response.send_message(embed=to_embed(card), ephemeral=True)


async def legacy_answer_page(bot: BotServices, question_id: str) -> Page | None:
    """Section buttons sent before buttons named their page carried the question id: the
    logged answer names the page."""
    try:
        record = await bot.store.question(question_id)
    except StorageError:
        return None
    return None if record is None or record.slug is None else bot.library.page(record.slug)


class VoteButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=rf"spotter:vote:(?P<vote>up|down):(?P<question_id>{QUESTION_ID})",
):
    """Helpful / Not helpful, from anyone; one vote per person, which they may change.
    The vote is kept even before its question reaches the file: reports join them."""

    def __init__(self, question_id: str, vote: str) -> None:
        helpful = vote == "up"
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.secondary,
                custom_id=f"spotter:vote:{vote}:{question_id}",
                row=1,
            )
        )
        self.question_id = question_id
        self.helpful = helpful

    async def clicked(self, interaction: Interaction) -> None:
        try:
            vote = await services_of(interaction).store.record_vote(
                self.question_id, interaction.user.id, self.helpful
            )
        except StorageError:
            log.warning("could not record a vote", exc_info=True)
            await reply_privately(interaction, "I couldn't save your vote right now, sorry.")
            return
        await reply_privately(interaction, VOTE_THANKS[vote.status])


class DeleteButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=rf"spotter:delete:(?P<asker_id>{USER_ID})",
):
    """The asker may delete a public answer for delete_button_seconds after it was sent."""

    def __init__(self, asker_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete",
                style=discord.ButtonStyle.danger,
                custom_id=f"spotter:delete:{asker_id}",
                row=1,
            )
        )
        self.asker_id = asker_id

    async def clicked(self, interaction: Interaction) -> None:
        refusal = "Only the person who asked can delete this answer."
        if not await only_for(interaction, self.asker_id, refusal):
            return
        message = interaction.message
        assert message is not None  # a component is always on a message
        # The message's own timestamp, so the window is the same after a restart.
        age = (discord.utils.utcnow() - message.created_at).total_seconds()
        if age >= services_of(interaction).settings.delete_button_seconds:
            await reply_privately(interaction, "This answer can no longer be deleted.")
            return
        await interaction.response.defer()
        try:
            await message.delete()
        except discord.NotFound:
            pass
        except discord.HTTPException:
            # Without access to the channel, the interaction webhook can still delete it.
            await interaction.delete_original_response()


class PickButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=(
        rf"spotter:pick:(?P<question_id>{QUESTION_ID}):(?P<asker_id>{USER_ID}):(?P<page>{PAGE_REF})"
    ),
):
    """A suggestion under "No confident answer", or another exercise an answer could be: the
    asker's click answers with it."""

    def __init__(
        self,
        question_id: str,
        asker_id: int,
        page: str,
        label: str = "",
        *,
        beside_an_answer: bool = False,
    ) -> None:
        ref = page_ref(page)
        # Under an answer the picks sit below it, quieter than the answer's own buttons.
        style = discord.ButtonStyle.secondary if beside_an_answer else discord.ButtonStyle.primary
        super().__init__(
            discord.ui.Button(
                label=shorten(label or ref, LABEL_LIMIT),
                style=style,
                custom_id=f"spotter:pick:{question_id}:{asker_id}:{ref}",
                row=2 if beside_an_answer else 0,
            )
        )
        self.question_id = question_id
        self.asker_id = asker_id
        self.ref = ref

    async def clicked(self, interaction: Interaction) -> None:
        if await asker_only(interaction, self.asker_id, "pick"):
            await answer_in_place(interaction, self.question_id, self.asker_id, self.ref)


class VariantSelect(
    Clickable,
    discord.ui.DynamicItem[Select],
    template=rf"spotter:variant:(?P<question_id>{QUESTION_ID}):(?P<asker_id>{USER_ID})",
):
    """ "Which one do you mean?": the versions that fit; the asker's choice answers in place.
    Each option's value names its page."""

    def __init__(self, question_id: str, asker_id: int, versions: Iterable[Match] = ()) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"spotter:variant:{question_id}:{asker_id}",
                placeholder="Choose the exercise you mean",
                options=[
                    discord.SelectOption(
                        label=shorten(match.exercise, LABEL_LIMIT), value=page_ref(match.slug)
                    )
                    for match in list(versions)[:SELECT_OPTION_LIMIT]
                ],
                row=0,
            )
        )
        self.question_id = question_id
        self.asker_id = asker_id

    async def clicked(self, interaction: Interaction) -> None:
        if await asker_only(interaction, self.asker_id, "choose"):
            (ref,) = self.item.values
            await answer_in_place(interaction, self.question_id, self.asker_id, ref)


# -- exercise cards --------------------------------------------------------------------------

SHOW_REST = "Show the rest"
PREVIOUS, NEXT = "◀ Previous questions", "Next questions ▶"
REST_MESSAGES = 5  # private messages one "Show the rest" click may send
# A "Show the rest" names what to show: a tab of an exercise card, or one FAQ entry.
REST_PART = r"overview|how_to|tips|mistakes|faq[0-9]{1,3}|entry[0-9]{1,4}"
FAQ_CARD = r"[0-9]{1,3}"


def exercise_card(
    library: Library,
    page: Page,
    *,
    style: AnswerStyle,
    owner_id: int,
    shareable: bool,
    tab: str = "overview",
    faq_card: int = 0,
) -> tuple[discord.Embed, discord.ui.View]:
    """An exercise card on one tab (the FAQ on one of its cards), with a button per tab,
    Share for private cards in a server, Show the rest when the tab had to cut text and the
    exercise has no web page to link to (the style's `page_url`, as answers use it), and
    Previous/Next through a long FAQ. The owner switches in place; on a public card everyone
    else gets their own copy privately."""
    view = discord.ui.View(timeout=None)
    # Only the shown tab is built: the buttons need just which tabs there are.
    shown = exercise_tab(page, tab, faq_card, related=library.related(page.slug), style=style)
    for key in shown.tabs:
        view.add_item(TabButton(key, owner_id, page.slug, current=key == tab))
    on_faq = tab == "faq"
    if shareable:
        view.add_item(ShareButton(tab, page.slug, shown.faq_card if on_faq else None))
    if shown.cut and shown.card.url is None:  # no web page to link to
        part = f"faq{shown.faq_card}" if on_faq else tab
        view.add_item(RestButton(part, page.slug))
    if on_faq and shown.faq_cards > 1:
        number, last = shown.faq_card, shown.faq_cards - 1
        for label, to, end in (
            (PREVIOUS, max(number - 1, 0), number == 0),
            (NEXT, min(number + 1, last), number == last),
        ):
            view.add_item(FaqCardButton(to, owner_id, page.slug, label=label, disabled=end))
    return to_embed(shown.card), view


def exercise_choices(
    name: str, closest: tuple[Page, ...], *, owner_id: int
) -> tuple[discord.Embed, discord.ui.View]:
    """No exercise by that name: the closest names, as buttons for the one who asked."""
    view = discord.ui.View(timeout=None)
    for page in closest:
        view.add_item(ChoiceButton(owner_id, page.slug, page.name))
    return to_embed(exercise_not_found_card(name, closest)), view


def exercise_matches(
    name: str, matches: tuple[Page, ...], *, owner_id: int
) -> tuple[discord.Embed, discord.ui.View]:
    """The name fits several exercises: a menu of them (the first 25) for the one who asked."""
    view = discord.ui.View(timeout=None)
    shown = matches[:SELECT_OPTION_LIMIT]
    view.add_item(ExerciseSelect(owner_id, shown))
    return to_embed(which_exercise_card(name, shown, len(matches))), view


def exercise_autocomplete(library: Library, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for an exercise option: one choice per exercise, best first."""
    choices = []
    for page in library.index.complete(current, limit=CHOICE_LIMIT):
        label = shorten(page.name, CHOICE_TEXT)
        # The slug finds the page exactly; a slug too long to send falls back to the name.
        value = page.slug if len(page.slug) <= CHOICE_TEXT else label
        choices.append(app_commands.Choice(name=label, value=value))
    return choices


def card_is_shareable(interaction: Interaction) -> bool:
    """Only private cards in a server offer Share (to post them in the channel)."""
    return interaction.guild_id is not None and is_private(interaction)


async def show_card(
    interaction: Interaction, page: Page, owner_id: int, tab: str, faq_card: int = 0
) -> None:
    """The owner's click changes their card in place; anyone else's (on a public card) gets
    their own copy, privately, on that tab."""
    bot = services_of(interaction)
    library, style = bot.library, answer_style(bot.settings)
    if interaction.user.id != owner_id:
        embed, view = exercise_card(
            library,
            page,
            style=style,
            owner_id=interaction.user.id,
            shareable=False,
            tab=tab,
            faq_card=faq_card,
        )
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
        return
    embed, view = exercise_card(
        library,
        page,
        style=style,
        owner_id=owner_id,
        shareable=card_is_shareable(interaction),
        tab=tab,
        faq_card=faq_card,
    )
    await interaction.response.edit_message(embed=embed, view=view)


class TabButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=(
        rf"spotter:exercise:(?P<tab>{'|'.join(EXERCISE_TABS)}):"
        rf"(?P<owner_id>{USER_ID}):(?P<page>{PAGE_REF})"
    ),
):
    def __init__(self, tab: str, owner_id: int, page: str, *, current: bool = False) -> None:
        ref = page_ref(page)
        super().__init__(
            discord.ui.Button(
                label=TAB_LABELS[tab],
                style=discord.ButtonStyle.primary if current else discord.ButtonStyle.secondary,
                custom_id=f"spotter:exercise:{tab}:{owner_id}:{ref}",
                disabled=current,
                row=0,
            )
        )
        self.tab = tab
        self.owner_id = owner_id
        self.ref = ref

    async def clicked(self, interaction: Interaction) -> None:
        page = await clicked_page(interaction, self.ref)
        if page is None:
            return
        await show_card(interaction, page, self.owner_id, self.tab)


class FaqCardButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=rf"spotter:exercise:faqcard:(?P<card>{FAQ_CARD}):(?P<owner_id>{USER_ID}):(?P<page>{PAGE_REF})",
):
    """Previous / Next through an FAQ longer than one card; the button names the card it
    goes to (a disabled one, where there is no further card, names the current card)."""

    def __init__(
        self, card: int, owner_id: int, page: str, *, label: str = "", disabled: bool = False
    ) -> None:
        ref = page_ref(page)
        super().__init__(
            discord.ui.Button(
                label=label or f"Questions {card + 1}",
                style=discord.ButtonStyle.secondary,
                custom_id=f"spotter:exercise:faqcard:{card}:{owner_id}:{ref}",
                disabled=disabled,
                row=2,
            )
        )
        self.card = card
        self.owner_id = owner_id
        self.ref = ref

    async def clicked(self, interaction: Interaction) -> None:
        page = await clicked_page(interaction, self.ref)
        if page is None:
            return
        await show_card(interaction, page, self.owner_id, "faq", self.card)


class ShareButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=(
        rf"spotter:exercise:share:(?P<tab>{'|'.join(EXERCISE_TABS)})(?P<card>{FAQ_CARD})?:"
        rf"(?P<page>{PAGE_REF})"
    ),
):
    """Posts the private card, on its current tab (and FAQ card), in the channel for everyone."""

    def __init__(self, tab: str, page: str, card: int | None = None) -> None:
        ref = page_ref(page)
        shown = tab if card is None else f"{tab}{card}"
        super().__init__(
            discord.ui.Button(
                label="Share in channel",
                style=discord.ButtonStyle.success,
                custom_id=f"spotter:exercise:share:{shown}:{ref}",
                row=1,
            )
        )
        self.tab = tab
        self.card = card or 0
        self.ref = ref

    async def clicked(self, interaction: Interaction) -> None:
        bot = services_of(interaction)
        page = await clicked_page(interaction, self.ref)
        if page is None:
            return
        embed, view = exercise_card(
            bot.library,
            page,
            style=answer_style(bot.settings),
            owner_id=interaction.user.id,
            shareable=False,
            tab=self.tab,
            faq_card=self.card,
        )
        await send_response(interaction, embed=embed, view=view)


class RestButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=rf"spotter:rest:(?P<part>{REST_PART}):(?P<page>{PAGE_REF})",
):
    """A part of the page in full and privately, for whoever clicks: what a card had to cut
    (for pages without a url to link to instead), or another answer of the page that the
    question may have asked for (`label` says which)."""

    def __init__(self, part: str, page: str, *, label: str = SHOW_REST, row: int = 1) -> None:
        ref = page_ref(page)
        super().__init__(
            discord.ui.Button(
                label=shorten(label, LABEL_LIMIT),
                style=discord.ButtonStyle.secondary,
                custom_id=f"spotter:rest:{part}:{ref}",
                row=row,
            )
        )
        self.part = part
        self.ref = ref

    async def clicked(self, interaction: Interaction) -> None:
        bot = services_of(interaction)
        page = page_by_ref(bot.library, self.ref)
        style = answer_style(bot.settings)
        cards = rest_cards(page, self.part, style=style) if page is not None else ()
        if not cards:
            await reply_privately(interaction, GONE if page is None else CHANGED)
            return
        for card in cards[:REST_MESSAGES]:
            await send_response(interaction, embed=to_embed(card), ephemeral=True)


class ChoiceButton(
    Clickable,
    discord.ui.DynamicItem[Button],
    template=rf"spotter:exercise:pick:(?P<owner_id>{USER_ID}):(?P<page>{PAGE_REF})",
):
    """One of the closest names when /exercise found none; the owner's click shows it."""

    def __init__(self, owner_id: int, page: str, name: str = "") -> None:
        ref = page_ref(page)
        super().__init__(
            discord.ui.Button(
                label=shorten(name or ref, LABEL_LIMIT),
                style=discord.ButtonStyle.primary,
                custom_id=f"spotter:exercise:pick:{owner_id}:{ref}",
                row=0,
            )
        )
        self.owner_id = owner_id
        self.ref = ref

    async def clicked(self, interaction: Interaction) -> None:
        await show_chosen(interaction, self.owner_id, self.ref)


async def show_chosen(interaction: Interaction, owner_id: int, ref: str) -> None:
    """The asker's choice among names turns their message into that exercise's card."""
    if not await only_for(interaction, owner_id, "Only the person who asked can pick."):
        return
    page = await clicked_page(interaction, ref)
    if page is None:
        return
    await show_card(interaction, page, owner_id, "overview")


class ExerciseSelect(
    Clickable,
    discord.ui.DynamicItem[Select],
    template=rf"spotter:exercise:choose:(?P<owner_id>{USER_ID})",
):
    """The exercises a typed name fits ("calf"); the asker's choice shows it in place.
    Each option's value names its page."""

    def __init__(self, owner_id: int, pages: Iterable[Page] = ()) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"spotter:exercise:choose:{owner_id}",
                placeholder="Choose the exercise",
                options=[
                    discord.SelectOption(
                        label=shorten(page.name, LABEL_LIMIT),
                        value=page_ref(page.slug),
                        description=shorten(option_details(page), LABEL_LIMIT) or None,
                    )
                    for page in list(pages)[:SELECT_OPTION_LIMIT]
                ],
                row=0,
            )
        )
        self.owner_id = owner_id

    async def clicked(self, interaction: Interaction) -> None:
        (ref,) = self.item.values
        await show_chosen(interaction, self.owner_id, ref)


def option_details(page: Page) -> str:
    """What tells versions apart in a menu: equipment and target muscle."""
    attributes = page.attributes
    return " · ".join(part for part in (attributes.equipment, attributes.target_muscle) if part)


# -- registering -----------------------------------------------------------------------------

COMPONENTS: tuple[ComponentType, ...] = (
    SectionButton,
    VoteButton,
    DeleteButton,
    PickButton,
    VariantSelect,
    TabButton,
    FaqCardButton,
    ShareButton,
    RestButton,
    ChoiceButton,
    ExerciseSelect,
)


def is_known_component(custom_id: str, known: Iterable[ComponentType] = COMPONENTS) -> bool:
    return any(item.__discord_ui_compiled_template__.fullmatch(custom_id) for item in known)


async def answer_unknown_component(
    interaction: Interaction, known: Iterable[ComponentType] = COMPONENTS
) -> None:
    """A click on a Spotter component no template knows (a custom_id of an older version)
    gets a clear line instead of "This interaction failed"."""
    if interaction.type is not discord.InteractionType.component:
        return
    data: Mapping[str, object] = interaction.data or {}
    custom_id = str(data.get("custom_id", ""))
    if custom_id.startswith("spotter:") and not is_known_component(custom_id, known):
        await reply_privately(interaction, STALE)

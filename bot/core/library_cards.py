"""Cards for changing the library from Discord: an upload's preview, a removal to confirm,
and what a change did. Pure: no discord import; they fit Discord's limits (`render.fit`)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.library import ReloadReport, counted
from bot.core.model import Page
from bot.core.render import (
    ELLIPSIS,
    Card,
    CardField,
    CardWithFile,
    code_block,
    escape_markdown,
    escape_user_text,
    fit,
    shorten,
    unfenced,
)
from bot.core.uploads import Change, PlannedPage, UploadPlan

PREVIEW_FILE_NAME = "upload-preview.txt"
DIAGNOSTICS_LIMIT = 1800  # characters of diagnostics in the preview; all of them in the file
FAQ_FIELDS = 10  # changed pages whose FAQ diff gets a field
FAQ_LINES = 8  # questions listed per page


def _page_list(pages: Sequence[PlannedPage]) -> str:
    return (
        shorten(", ".join(f"{escape_markdown(p.page.name)} (`{p.relative}`)" for p in pages), 900)
        or "-"
    )


def faq_diff_lines(item: PlannedPage) -> list[str]:
    diff = item.faq
    return (
        [f"+ {q}" for q in diff.added]
        + [f"- {q}" for q in diff.removed]
        + [f"~ {q} (answer changed)" for q in diff.changed]
    )


def preview_text(plan: UploadPlan) -> str:
    """The whole preview as plain text, attached when the card cannot show all of it."""
    lines: list[str] = []
    for change in Change:
        for item in plan.named(change):
            lines.append(f"{change}: {item.page.name} ({item.relative})")
            lines += [f"    {line}" for line in faq_diff_lines(item)]
    lines += [f"removed: {name}" for name in plan.removed]
    if plan.diagnostics:
        lines += ["", "Diagnostics:", *plan.diagnostic_lines()]
    return "\n".join(lines).rstrip() + "\n"


def upload_preview_card(plan: UploadPlan, *, expires_minutes: int) -> CardWithFile:
    """What Confirm would write, what it leaves out and why; the FAQ diff of each page."""
    writable = plan.to_write
    refused = plan.named(Change.REFUSED)
    if writable:
        title = f"Upload preview: {counted(len(writable), 'page')} to write"
    elif refused:
        title = "Upload refused: the pages have errors, nothing was written"
    else:
        title = "Nothing to change: the library already has these pages"
    lines: list[str] = []
    labels = {
        Change.ADDED: "Added",
        Change.CHANGED: "Changed",
        Change.UNCHANGED: "Unchanged",
        Change.REFUSED: "Not written (errors)",
    }
    for change, label in labels.items():
        pages = plan.named(change)
        if pages:
            lines.append(f"**{label}:** {_page_list(pages)}")
    if plan.removed:
        names = shorten(", ".join(map(escape_markdown, plan.removed)), 900)
        lines.append(f"**Removed** (its file now holds another page): {names}")
    errors = plan.errors
    warnings = len(plan.diagnostics) - errors
    lines.append(f"**Diagnostics:** {counted(errors, 'error')}, {counted(warnings, 'warning')}")
    block, hidden = code_block(plan.diagnostic_lines(), DIAGNOSTICS_LIMIT)
    if block:
        lines.append(block)
    fields: list[CardField] = []
    with_faq = [item for item in writable if item.faq]
    for item in with_faq[:FAQ_FIELDS]:
        diff = faq_diff_lines(item)
        text = "\n".join(escape_user_text(line, 150) for line in diff[:FAQ_LINES])
        if len(diff) > FAQ_LINES:
            text += f"\n{ELLIPSIS} and {len(diff) - FAQ_LINES} more"
        fields.append(CardField(f"FAQ · {escape_markdown(item.page.name)}", text))
    long_diff = any(len(faq_diff_lines(item)) > FAQ_LINES for item in with_faq)
    cut = bool(hidden) or len(with_faq) > FAQ_FIELDS or long_diff
    if cut:
        lines.append(f"Everything is in the attached {PREVIEW_FILE_NAME}.")
    if writable:
        footer = (
            f"Confirm writes the pages without errors and reloads the library. "
            f"This preview expires in {expires_minutes} minutes."
        )
    else:
        footer = "Fix the pages and upload them again with /kb upload."
    card = fit(Card(title=title, description="\n".join(lines), fields=tuple(fields), footer=footer))
    return CardWithFile(card, preview_text(plan) if cut else None, PREVIEW_FILE_NAME)


def remove_card(page: Page, relative: str, *, expires_minutes: int) -> Card:
    return fit(
        Card(
            title=f"Remove {escape_markdown(page.name)}?",
            description=(
                f"`{relative}` moves to the library's `.trash/` folder and the library is "
                "reloaded: members stop getting answers from it. Nothing is deleted: moving "
                "the file back (and /kb reload) restores it."
            ),
            footer=f"{page.slug} · this question expires in {expires_minutes} minutes",
        )
    )


def faq_entry_card(question: str, answer: str) -> Card:
    """An Add FAQ entry that was not added, as typed, to paste again: code blocks keep every
    character and line (a fence inside is broken by a zero-width space)."""
    blocks = [
        f"**{name}**\n```\n{unfenced(value)}\n```"
        for name, value in (("Question", question), ("Answer", answer))
    ]
    return fit(Card(title="Your entry, to paste again", description="\n".join(blocks)))


def change_card(
    title: str, lines: Sequence[str], report: ReloadReport | None, notes: Sequence[str] = ()
) -> Card:
    """What a change from Discord did: the files, the reload, anything that went wrong."""
    text = list(lines)
    if report is not None:
        if report.kept_old:
            text.append(f"⚠️ **Reload kept the previous library:** {shorten(report.why, 400)}")
        else:
            text.append(
                f"**Library reloaded:** {report.pages_before} → {report.pages_after} pages, "
                f"FAQ {report.faq_before} → {report.faq_after}"
            )
    text += list(notes)
    footer = (
        ""
        if report is None
        else f"{counted(report.errors, 'error')}, {counted(report.warnings, 'warning')}"
    )
    return fit(Card(title=title, description="\n".join(text), footer=footer))

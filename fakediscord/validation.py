"""Discord's documented limits, checked the way Discord checks them.

Every check returns a list of ``Problem`` (an empty list means the payload is fine). The
server turns problems into an HTTP 400 ``Invalid Form Body`` (code 50035) with Discord's
nested ``errors`` object, and records each one as a ``Violation``.

Command and option names: Discord's rule is ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``
and lower case where a lower-case form exists. Python's ``re`` has no ``\\p{..}`` classes,
so ``name_problem`` checks character by character: ``-``, ``_`` and ``'`` are allowed, so
is anything ``str.isalnum()`` accepts (Unicode letters and numbers), and so are the
combining marks (category M*) of the Devanagari and Thai scripts. A chat-input name must
also equal its ``str.lower()``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .models import FLAG_COMPONENTS_V2

Path = tuple[str | int, ...]

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_AUTHOR = 256
MAX_ACTION_ROWS = 5
MAX_ROW_CHILDREN = 5
MAX_V2_COMPONENTS = 40
MAX_CUSTOM_ID = 100
MAX_LABEL = 80
MAX_SELECT_OPTIONS = 25
MAX_OPTION_TEXT = 100
MAX_PLACEHOLDER = 150
MAX_URL = 512
MAX_CHOICES = 25
MAX_CHOICE_TEXT = 100
MAX_NAME = 32
MAX_DESCRIPTION_CMD = 100
MAX_OPTIONS = 25
MAX_COMMAND_TEXT = 4000
MAX_GLOBAL_SLASH = 100
MAX_CONTEXT_MENUS = 15
MAX_MODAL_TITLE = 45

SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
V2_ONLY_TYPES = frozenset({9, 10, 11, 12, 13, 14, 17})


@dataclass(frozen=True)
class Problem:
    path: Path
    code: str
    message: str

    def where(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out or "<body>"

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


def _too_long(path: Path, value: Any, limit: int, *, minimum: int = 0) -> list[Problem]:
    if value is None:
        return [Problem(path, "BASE_TYPE_REQUIRED", "This field is required")] if minimum else []
    if not isinstance(value, str):
        value = str(value)
    if len(value) > limit:
        return [
            Problem(
                path,
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {limit} or fewer in length (got {len(value)}).",
            )
        ]
    if len(value) < minimum:
        return [
            Problem(
                path,
                "BASE_TYPE_BAD_LENGTH",
                f"Must be between {minimum} and {limit} in length (got {len(value)}).",
            )
        ]
    return []


def error_body(problems: Iterable[Problem]) -> dict[str, Any]:
    """Discord's ``Invalid Form Body`` response with the nested ``errors`` tree."""
    errors: dict[str, Any] = {}
    for problem in problems:
        node = errors
        for part in problem.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": problem.code, "message": problem.message})
    return {"message": "Invalid Form Body", "code": 50035, "errors": errors}


# --- messages -----------------------------------------------------------------------------


def embed_text_length(embed: Mapping[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    for fld in embed.get("fields") or []:
        total += len(fld.get("name") or "") + len(fld.get("value") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    return total


def check_embeds(embeds: Any, path: Path = ("embeds",)) -> list[Problem]:
    if not isinstance(embeds, list):
        return [Problem(path, "BASE_TYPE_ARRAY", "Must be an array.")]
    out: list[Problem] = []
    if len(embeds) > MAX_EMBEDS:
        out.append(
            Problem(
                path,
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {MAX_EMBEDS} or fewer in length (got {len(embeds)}).",
            )
        )
    total = 0
    for i, embed in enumerate(embeds):
        here = (*path, i)
        if not isinstance(embed, dict):
            out.append(Problem(here, "MODEL_TYPE_CONVERT", "Must be an object."))
            continue
        total += embed_text_length(embed)
        out += _too_long((*here, "title"), embed.get("title"), MAX_TITLE)
        out += _too_long((*here, "description"), embed.get("description"), MAX_DESCRIPTION)
        fields = embed.get("fields") or []
        if len(fields) > MAX_FIELDS:
            out.append(
                Problem(
                    (*here, "fields"),
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {MAX_FIELDS} or fewer in length (got {len(fields)}).",
                )
            )
        for j, fld in enumerate(fields):
            out += _too_long(
                (*here, "fields", j, "name"), fld.get("name"), MAX_FIELD_NAME, minimum=1
            )
            out += _too_long(
                (*here, "fields", j, "value"), fld.get("value"), MAX_FIELD_VALUE, minimum=1
            )
        footer = embed.get("footer")
        if footer:
            out += _too_long((*here, "footer", "text"), footer.get("text"), MAX_FOOTER)
        author = embed.get("author")
        if author:
            out += _too_long((*here, "author", "name"), author.get("name"), MAX_AUTHOR)
        url = embed.get("url")
        if url is not None:
            out += _too_long((*here, "url"), url, 2048)
    if total > MAX_EMBED_TOTAL:
        out.append(
            Problem(
                path,
                "MAX_EMBED_SIZE_EXCEEDED",
                f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL} (got {total}).",
            )
        )
    return out


def _check_button(comp: Mapping[str, Any], path: Path) -> list[Problem]:
    out: list[Problem] = []
    style = comp.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        out.append(Problem((*path, "style"), "BASE_TYPE_CHOICES", f"Bad button style {style!r}."))
    if style == 5:
        if "custom_id" in comp:
            out.append(
                Problem(
                    (*path, "custom_id"),
                    "BUTTON_COMPONENT_URL_NOT_ALLOWED",
                    "A link button cannot have a custom_id.",
                )
            )
        out += _too_long((*path, "url"), comp.get("url"), MAX_URL, minimum=1)
    elif style != 6:
        out += _too_long((*path, "custom_id"), comp.get("custom_id"), MAX_CUSTOM_ID, minimum=1)
    if comp.get("label") is not None:
        out += _too_long((*path, "label"), comp.get("label"), MAX_LABEL)
    if style != 6 and not comp.get("label") and not comp.get("emoji"):
        out.append(Problem(path, "BUTTON_COMPONENT_INVALID", "A button needs a label or an emoji."))
    return out


def _check_select(comp: Mapping[str, Any], path: Path) -> list[Problem]:
    out = _too_long((*path, "custom_id"), comp.get("custom_id"), MAX_CUSTOM_ID, minimum=1)
    if comp.get("placeholder") is not None:
        out += _too_long((*path, "placeholder"), comp.get("placeholder"), MAX_PLACEHOLDER)
    min_v, max_v = comp.get("min_values", 1), comp.get("max_values", 1)
    if not 0 <= min_v <= 25 or not 1 <= max_v <= 25 or min_v > max_v:
        out.append(
            Problem(
                (*path, "max_values"),
                "BASE_TYPE_BAD_INT",
                f"Bad min_values/max_values {min_v}/{max_v}.",
            )
        )
    if comp.get("type") == 3:
        options = comp.get("options") or []
        if not 1 <= len(options) <= MAX_SELECT_OPTIONS:
            out.append(
                Problem(
                    (*path, "options"),
                    "BASE_TYPE_BAD_LENGTH",
                    f"Must be between 1 and {MAX_SELECT_OPTIONS} in length (got {len(options)}).",
                )
            )
        for k, opt in enumerate(options):
            out += _too_long(
                (*path, "options", k, "label"), opt.get("label"), MAX_OPTION_TEXT, minimum=1
            )
            out += _too_long(
                (*path, "options", k, "value"), opt.get("value"), MAX_OPTION_TEXT, minimum=1
            )
            if opt.get("description") is not None:
                out += _too_long(
                    (*path, "options", k, "description"), opt.get("description"), MAX_OPTION_TEXT
                )
        if options and max_v > len(options):
            out.append(
                Problem(
                    (*path, "max_values"),
                    "BASE_TYPE_BAD_INT",
                    "max_values is larger than the number of options.",
                )
            )
    return out


def iter_components(components: Iterable[Any], path: Path) -> Iterable[tuple[Path, dict]]:
    """Every component, nested ones included, with its path."""
    for i, comp in enumerate(components):
        if not isinstance(comp, dict):
            continue
        here = (*path, i)
        yield here, comp
        if comp.get("components"):
            yield from iter_components(comp["components"], (*here, "components"))
        if isinstance(comp.get("accessory"), dict):
            yield (*here, "accessory"), comp["accessory"]


def check_components(
    components: Any, *, flags: int = 0, path: Path = ("components",)
) -> list[Problem]:
    if not isinstance(components, list):
        return [Problem(path, "BASE_TYPE_ARRAY", "Must be an array.")]
    out: list[Problem] = []
    v2 = bool(flags & FLAG_COMPONENTS_V2)
    if not v2:
        if len(components) > MAX_ACTION_ROWS:
            out.append(
                Problem(
                    path,
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {MAX_ACTION_ROWS} or fewer in length (got {len(components)}).",
                )
            )
        for i, row in enumerate(components):
            if not isinstance(row, dict) or row.get("type") != 1:
                out.append(
                    Problem(
                        (*path, i, "type"),
                        "COMPONENT_LAYOUT_REQUIRED",
                        "Top-level components must be action rows (type 1) "
                        "unless the IS_COMPONENTS_V2 flag is set.",
                    )
                )
                continue
            children = row.get("components") or []
            if not 1 <= len(children) <= MAX_ROW_CHILDREN:
                out.append(
                    Problem(
                        (*path, i, "components"),
                        "BASE_TYPE_BAD_LENGTH",
                        f"An action row holds 1 to {MAX_ROW_CHILDREN} components "
                        f"(got {len(children)}).",
                    )
                )
            if any(c.get("type") in SELECT_TYPES for c in children) and len(children) > 1:
                out.append(
                    Problem(
                        (*path, i, "components"),
                        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                        "A select menu takes a whole action row.",
                    )
                )
    seen_ids: set[str] = set()
    count = 0
    for here, comp in iter_components(components, path):
        count += 1
        ctype = comp.get("type")
        if ctype == 2:
            out += _check_button(comp, here)
        elif ctype in SELECT_TYPES:
            out += _check_select(comp, here)
        elif ctype in V2_ONLY_TYPES and not v2:
            out.append(
                Problem(
                    (*here, "type"),
                    "COMPONENT_TYPE_INVALID",
                    f"Component type {ctype} needs the IS_COMPONENTS_V2 flag.",
                )
            )
        cid = comp.get("custom_id")
        if isinstance(cid, str):
            if cid in seen_ids:
                out.append(
                    Problem(
                        (*here, "custom_id"),
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        f"Component custom id cannot be duplicated ({cid!r}).",
                    )
                )
            seen_ids.add(cid)
    if v2 and count > MAX_V2_COMPONENTS:
        out.append(
            Problem(
                path,
                "BASE_TYPE_MAX_LENGTH",
                f"At most {MAX_V2_COMPONENTS} components (got {count}).",
            )
        )
    return out


def check_message(
    body: Mapping[str, Any], *, require_content: bool = True, path: Path = ()
) -> list[Problem]:
    """A message create/edit body (or an interaction callback's ``data``)."""
    out: list[Problem] = []
    content = body.get("content")
    if content is not None:
        out += _too_long((*path, "content"), content, MAX_CONTENT)
    if body.get("embeds") is not None:
        out += check_embeds(body["embeds"], (*path, "embeds"))
    if body.get("components") is not None:
        out += check_components(
            body["components"], flags=int(body.get("flags") or 0), path=(*path, "components")
        )
    if require_content and not any(
        body.get(key)
        for key in ("content", "embeds", "components", "attachments", "poll", "sticker_ids")
    ):
        out.append(Problem(path, "EMPTY_MESSAGE", "Cannot send an empty message."))
    return out


def check_autocomplete(data: Mapping[str, Any], path: Path = ("data",)) -> list[Problem]:
    choices = data.get("choices")
    if not isinstance(choices, list):
        return [Problem((*path, "choices"), "BASE_TYPE_REQUIRED", "choices must be an array.")]
    out: list[Problem] = []
    if len(choices) > MAX_CHOICES:
        out.append(
            Problem(
                (*path, "choices"),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {MAX_CHOICES} or fewer in length (got {len(choices)}).",
            )
        )
    for i, choice in enumerate(choices):
        out += _too_long(
            (*path, "choices", i, "name"), choice.get("name"), MAX_CHOICE_TEXT, minimum=1
        )
        value = choice.get("value")
        if isinstance(value, str):
            out += _too_long((*path, "choices", i, "value"), value, MAX_CHOICE_TEXT, minimum=1)
        elif value is None:
            out.append(
                Problem(
                    (*path, "choices", i, "value"), "BASE_TYPE_REQUIRED", "This field is required"
                )
            )
    return out


MAX_TEXT_INPUT_LABEL = 45
MAX_LABEL_DESCRIPTION = 100
MAX_TEXT_INPUT_PLACEHOLDER = 100
MAX_TEXT_INPUT_VALUE = 4000
MODAL_TOP_LEVEL_TYPES = frozenset({1, 10, 18})  # action row (legacy), text display, label


def check_modal(data: Mapping[str, Any], path: Path = ("data",)) -> list[Problem]:
    out = _too_long((*path, "custom_id"), data.get("custom_id"), MAX_CUSTOM_ID, minimum=1)
    out += _too_long((*path, "title"), data.get("title"), MAX_MODAL_TITLE, minimum=1)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        out.append(
            Problem(
                (*path, "components"),
                "BASE_TYPE_BAD_LENGTH",
                f"A modal holds 1 to 5 components (got {len(components)}).",
            )
        )
    seen: set[str] = set()
    for i, comp in enumerate(components):
        here = (*path, "components", i)
        ctype = comp.get("type")
        if ctype not in MODAL_TOP_LEVEL_TYPES:
            out.append(
                Problem(
                    (*here, "type"),
                    "UNION_TYPE_CHOICES",
                    f"Component type {ctype!r} cannot be used at the top of a modal.",
                )
            )
            continue
        if ctype == 1:  # the legacy form: a row holding one text input with its own label
            inner = comp.get("components") or []
            if len(inner) != 1 or inner[0].get("type") != 4:
                out.append(
                    Problem(
                        (*here, "components"),
                        "BASE_TYPE_BAD_LENGTH",
                        "An action row in a modal holds exactly one text input.",
                    )
                )
                continue
            text_input = inner[0]
            out += _too_long(
                (*here, "components", 0, "label"),
                text_input.get("label"),
                MAX_TEXT_INPUT_LABEL,
                minimum=1,
            )
            out += _check_text_input(text_input, (*here, "components", 0), seen)
        elif ctype == 18:
            out += _too_long((*here, "label"), comp.get("label"), MAX_TEXT_INPUT_LABEL, minimum=1)
            if comp.get("description") is not None:
                out += _too_long(
                    (*here, "description"), comp.get("description"), MAX_LABEL_DESCRIPTION
                )
            child = comp.get("component")
            if not isinstance(child, dict):
                out.append(
                    Problem((*here, "component"), "BASE_TYPE_REQUIRED", "This field is required")
                )
            elif child.get("type") == 4:
                if child.get("label") is not None:
                    out.append(
                        Problem(
                            (*here, "component", "label"),
                            "TEXT_INPUT_LABEL_NOT_ALLOWED",
                            "A text input inside a label component cannot have its own label.",
                        )
                    )
                out += _check_text_input(child, (*here, "component"), seen)
    return out


def _check_text_input(comp: Mapping[str, Any], path: Path, seen: set[str]) -> list[Problem]:
    custom_id = comp.get("custom_id")
    out = _too_long((*path, "custom_id"), custom_id, MAX_CUSTOM_ID, minimum=1)
    if isinstance(custom_id, str):
        if custom_id in seen:
            out.append(
                Problem(
                    (*path, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    f"Component custom id {custom_id!r} cannot be duplicated.",
                )
            )
        seen.add(custom_id)
    if comp.get("style") not in (1, 2):
        out.append(
            Problem(
                (*path, "style"),
                "BASE_TYPE_CHOICES",
                f"Bad text input style {comp.get('style')!r}.",
            )
        )
    low, high = comp.get("min_length"), comp.get("max_length")
    if low is not None and not 0 <= low <= MAX_TEXT_INPUT_VALUE:
        out.append(Problem((*path, "min_length"), "NUMBER_TYPE_MAX", f"Bad min_length {low!r}."))
    if high is not None and not 1 <= high <= MAX_TEXT_INPUT_VALUE:
        out.append(Problem((*path, "max_length"), "NUMBER_TYPE_MAX", f"Bad max_length {high!r}."))
    if low is not None and high is not None and low > high:
        out.append(Problem((*path, "min_length"), "NUMBER_TYPE_MAX", "min_length > max_length."))
    if comp.get("placeholder") is not None:
        out += _too_long(
            (*path, "placeholder"), comp.get("placeholder"), MAX_TEXT_INPUT_PLACEHOLDER
        )
    value = comp.get("value")
    if value is not None:
        out += _too_long(
            (*path, "value"), value, min(high or MAX_TEXT_INPUT_VALUE, MAX_TEXT_INPUT_VALUE)
        )
    return out


# --- application commands ------------------------------------------------------------------


def _name_char_ok(ch: str) -> bool:
    if ch in "-_'" or ch.isalnum():
        return True
    if unicodedata.category(ch).startswith("M"):
        name = unicodedata.name(ch, "")
        return name.startswith(("DEVANAGARI", "THAI"))
    return False


def name_problem(name: Any, *, chat_input: bool) -> str | None:
    """Why ``name`` is not a valid command/option name, or None when it is."""
    if not isinstance(name, str):
        return "Name must be a string."
    if not 1 <= len(name) <= MAX_NAME:
        return f"Must be between 1 and {MAX_NAME} in length (got {len(name)})."
    if not chat_input:
        return None  # context menus: any characters, capitals and spaces included
    bad = [ch for ch in name if not _name_char_ok(ch)]
    if bad:
        return f"Command name {name!r} has characters Discord rejects: {''.join(bad)!r}."
    if name != name.lower():
        return f"Command name {name!r} must be lower case."
    return None


def _command_text_length(cmd: Mapping[str, Any]) -> int:
    total = len(cmd.get("name") or "") + len(cmd.get("description") or "")
    for opt in cmd.get("options") or []:
        total += _command_text_length(opt)
    for choice in cmd.get("choices") or []:
        total += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    return total


def _check_options(options: Any, path: Path, depth: int) -> list[Problem]:
    if not isinstance(options, list):
        return [Problem(path, "BASE_TYPE_ARRAY", "Must be an array.")]
    out: list[Problem] = []
    if len(options) > MAX_OPTIONS:
        out.append(
            Problem(
                path,
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {MAX_OPTIONS} or fewer in length (got {len(options)}).",
            )
        )
    names: set[str] = set()
    seen_optional = False
    for i, opt in enumerate(options):
        here = (*path, i)
        why = name_problem(opt.get("name"), chat_input=True)
        if why:
            out.append(Problem((*here, "name"), "APPLICATION_COMMAND_INVALID_NAME", why))
        if opt.get("name") in names:
            out.append(
                Problem(
                    (*here, "name"),
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    f"Option name {opt.get('name')!r} is used twice.",
                )
            )
        names.add(opt.get("name"))
        out += _too_long(
            (*here, "description"), opt.get("description"), MAX_DESCRIPTION_CMD, minimum=1
        )
        otype = opt.get("type")
        if otype in (1, 2):
            if depth >= (1 if otype == 2 else 2):
                out.append(
                    Problem(
                        (*here, "type"),
                        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                        "Subcommands and groups nest too deep.",
                    )
                )
            out += _check_options(opt.get("options") or [], (*here, "options"), depth + 1)
            continue
        if opt.get("required"):
            if seen_optional:
                out.append(
                    Problem(
                        (*here, "required"),
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options.",
                    )
                )
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        if len(choices) > MAX_CHOICES:
            out.append(
                Problem(
                    (*here, "choices"),
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {MAX_CHOICES} or fewer in length (got {len(choices)}).",
                )
            )
        if choices and opt.get("autocomplete"):
            out.append(
                Problem(
                    (*here, "autocomplete"),
                    "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                    "An option cannot have both choices and autocomplete.",
                )
            )
        for k, choice in enumerate(choices):
            out += _too_long(
                (*here, "choices", k, "name"), choice.get("name"), MAX_CHOICE_TEXT, minimum=1
            )
            if isinstance(choice.get("value"), str):
                out += _too_long(
                    (*here, "choices", k, "value"), choice.get("value"), MAX_CHOICE_TEXT, minimum=1
                )
    return out


def check_command(cmd: Any, path: Path) -> list[Problem]:
    if not isinstance(cmd, dict):
        return [Problem(path, "MODEL_TYPE_CONVERT", "Must be an object.")]
    ctype = cmd.get("type", 1)
    out: list[Problem] = []
    if ctype not in (1, 2, 3, 4):
        return [Problem((*path, "type"), "BASE_TYPE_CHOICES", f"Bad command type {ctype!r}.")]
    why = name_problem(cmd.get("name"), chat_input=ctype == 1)
    if why:
        out.append(Problem((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", why))
    if ctype == 1:
        out += _too_long(
            (*path, "description"), cmd.get("description"), MAX_DESCRIPTION_CMD, minimum=1
        )
        out += _check_options(cmd.get("options") or [], (*path, "options"), 0)
        total = _command_text_length(cmd)
        if total > MAX_COMMAND_TEXT:
            out.append(
                Problem(
                    path,
                    "APPLICATION_COMMAND_TOO_LARGE",
                    f"Command exceeds maximum size ({total} > {MAX_COMMAND_TEXT}).",
                )
            )
    else:
        if cmd.get("description"):
            out.append(
                Problem(
                    (*path, "description"),
                    "BASE_TYPE_BAD_LENGTH",
                    "Context menu commands must have an empty description.",
                )
            )
        if cmd.get("options"):
            out.append(
                Problem(
                    (*path, "options"),
                    "BASE_TYPE_BAD_LENGTH",
                    "Context menu commands cannot have options.",
                )
            )
    perms = cmd.get("default_member_permissions")
    if perms is not None and not str(perms).isdigit():
        out.append(
            Problem(
                (*path, "default_member_permissions"),
                "NUMBER_TYPE_COERCE",
                f"Value {perms!r} is not a permission bitfield.",
            )
        )
    return out


def check_command_list(commands: Any) -> list[Problem]:
    """A bulk overwrite (PUT) body: each command plus the per-scope counts and uniqueness."""
    if not isinstance(commands, list):
        return [Problem((), "BASE_TYPE_ARRAY", "Must be an array.")]
    out: list[Problem] = []
    seen: set[tuple[int, str | None]] = set()  # check_command reports a nameless one
    counts = {1: 0, 2: 0, 3: 0}
    for i, cmd in enumerate(commands):
        out += check_command(cmd, (i,))
        if not isinstance(cmd, dict):
            continue
        key: tuple[int, str | None] = (cmd.get("type", 1), cmd.get("name"))
        if key in seen:
            out.append(
                Problem(
                    (i, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique ({cmd.get('name')!r}).",
                )
            )
        seen.add(key)
        counts[key[0]] = counts.get(key[0], 0) + 1
    if counts[1] > MAX_GLOBAL_SLASH:
        out.append(
            Problem(
                (),
                "BASE_TYPE_MAX_LENGTH",
                f"At most {MAX_GLOBAL_SLASH} chat-input commands (got {counts[1]}).",
            )
        )
    for kind, label in ((2, "user"), (3, "message")):
        if counts.get(kind, 0) > MAX_CONTEXT_MENUS:
            out.append(
                Problem(
                    (),
                    "BASE_TYPE_MAX_LENGTH",
                    f"At most {MAX_CONTEXT_MENUS} {label} commands (got {counts[kind]}).",
                )
            )
    return out

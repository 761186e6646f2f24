"""The fake's validator, checked directly against Discord's documented limits."""

from __future__ import annotations

import pytest

from fakediscord import validation as v


def where(problems: list[v.Problem]) -> list[str]:
    return [p.where() for p in problems]


@pytest.mark.parametrize(
    "name",
    [
        "ping",
        "ask",
        "push-up",
        "o'brien",
        "übung",
        "упражнение",
        "運動",
        "x" * 32,
        "a_b",
        "v2",
        "नमस्ते",
    ],
)
def test_valid_chat_input_names(name: str) -> None:
    assert v.name_problem(name, chat_input=True) is None


@pytest.mark.parametrize(
    "name", ["", "x" * 33, "Ping", "two words", "emoji🙂", "a.b", "Übung", "slash/cmd"]
)
def test_invalid_chat_input_names(name: str) -> None:
    assert v.name_problem(name, chat_input=True) is not None


def test_context_menu_names_may_have_capitals_and_spaces() -> None:
    assert v.name_problem("Report answer", chat_input=False) is None
    assert v.name_problem("R" * 33, chat_input=False) is not None


def test_message_limits() -> None:
    assert v.check_message({"content": "x" * 2000}) == []
    assert where(v.check_message({"content": "x" * 2001})) == ["content"]
    assert where(v.check_message({})) == ["<body>"]  # empty message
    assert where(v.check_message({"embeds": [{"title": "t"}] * 11})) == ["embeds"]


def test_embed_limits() -> None:
    embed = {
        "title": "t" * 257,
        "description": "d" * 4097,
        "fields": [{"name": "", "value": "v"}, {"name": "n", "value": "v" * 1025}],
        "footer": {"text": "f" * 2049},
        "author": {"name": "a" * 257},
    }
    assert set(where(v.check_embeds([embed]))) == {
        "embeds[0].title",
        "embeds[0].description",
        "embeds[0].fields[0].name",
        "embeds[0].fields[1].value",
        "embeds[0].footer.text",
        "embeds[0].author.name",
        "embeds",  # the 6000 total
    }
    assert where(v.check_embeds([{"fields": [{"name": "n", "value": "v"}] * 26}])) == [
        "embeds[0].fields"
    ]


def test_embed_total_counts_across_embeds() -> None:
    ok = {"description": "d" * 3000}
    assert v.check_embeds([ok, ok]) == []
    problems = v.check_embeds([ok, ok, {"title": "t"}])
    assert [p.code for p in problems] == ["MAX_EMBED_SIZE_EXCEEDED"]


def _button(custom_id: str, label: str = "ok") -> dict:
    return {"type": 2, "style": 1, "custom_id": custom_id, "label": label}


def test_component_limits() -> None:
    row = {"type": 1, "components": [_button(f"b{i}") for i in range(5)]}
    assert v.check_components([row]) == []
    six = {"type": 1, "components": [_button(f"c{i}") for i in range(6)]}
    assert "components[0].components" in where(v.check_components([six]))
    rows = [{"type": 1, "components": [_button(f"r{i}")]} for i in range(6)]
    assert "components" in where(v.check_components(rows))
    assert where(v.check_components([{"type": 1, "components": [_button("x" * 101)]}])) == [
        "components[0].components[0].custom_id"
    ]
    assert where(v.check_components([{"type": 1, "components": [_button("a", "l" * 81)]}])) == [
        "components[0].components[0].label"
    ]
    dup = {"type": 1, "components": [_button("same"), _button("same")]}
    assert [p.code for p in v.check_components([dup])] == ["COMPONENT_CUSTOM_ID_DUPLICATED"]


def test_select_limits() -> None:
    select = {
        "type": 3,
        "custom_id": "s",
        "options": [{"label": f"o{i}", "value": str(i)} for i in range(26)],
    }
    problems = where(v.check_components([{"type": 1, "components": [select]}]))
    assert "components[0].components[0].options" in problems
    shared = {"type": 1, "components": [{**select, "options": select["options"][:3]}, _button("b")]}
    assert [p.code for p in v.check_components([shared])] == ["COMPONENT_LAYOUT_WIDTH_EXCEEDED"]
    long_label = {**select, "options": [{"label": "l" * 101, "value": "v"}]}
    assert where(v.check_components([{"type": 1, "components": [long_label]}])) == [
        "components[0].components[0].options[0].label"
    ]


def test_link_button_url() -> None:
    link = {"type": 2, "style": 5, "label": "docs", "url": "https://x/" + "a" * 520}
    assert where(v.check_components([{"type": 1, "components": [link]}])) == [
        "components[0].components[0].url"
    ]


def test_autocomplete_limits() -> None:
    good = {"choices": [{"name": "n", "value": "v"}] * 25}
    assert v.check_autocomplete(good, ()) == []
    assert where(v.check_autocomplete({"choices": [{"name": "n", "value": "v"}] * 26}, ())) == [
        "choices"
    ]
    assert where(v.check_autocomplete({"choices": [{"name": "", "value": "v" * 101}]}, ())) == [
        "choices[0].name",
        "choices[0].value",
    ]


def _slash(name: str = "ask", **extra: object) -> dict:
    return {"name": name, "type": 1, "description": "Ask a question", "options": [], **extra}


def test_command_list_rules() -> None:
    assert v.check_command_list([_slash(), {"name": "Report answer", "type": 3}]) == []
    assert where(v.check_command_list([_slash("Ask")])) == ["[0].name"]
    assert where(v.check_command_list([_slash(description="")])) == ["[0].description"]
    assert where(v.check_command_list([_slash(description="d" * 101)])) == ["[0].description"]
    assert where(v.check_command_list([_slash(), _slash()])) == ["[1].name"]
    many = [_slash(f"c{i}") for i in range(101)]
    assert where(v.check_command_list(many)) == ["<body>"]
    assert where(v.check_command_list([{"name": "Menu", "type": 3, "description": "no"}])) == [
        "[0].description"
    ]


def test_option_rules() -> None:
    option = {"name": "question", "type": 3, "description": "What to ask", "required": True}
    assert v.check_command_list([_slash(options=[option])]) == []
    bad = {**option, "name": "Question", "description": ""}
    assert where(v.check_command_list([_slash(options=[bad])])) == [
        "[0].options[0].name",
        "[0].options[0].description",
    ]
    optional_first = [{**option, "name": "a", "required": False}, {**option, "name": "b"}]
    assert where(v.check_command_list([_slash(options=optional_first)])) == [
        "[0].options[1].required"
    ]
    too_many = [{**option, "name": f"o{i}", "required": False} for i in range(26)]
    assert where(v.check_command_list([_slash(options=too_many)])) == ["[0].options"]
    choices = {**option, "choices": [{"name": f"c{i}", "value": str(i)} for i in range(26)]}
    assert where(v.check_command_list([_slash(options=[choices])])) == ["[0].options[0].choices"]


def test_error_body_is_discord_shaped() -> None:
    body = v.error_body(v.check_embeds([{"description": "d" * 5000}]))
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body"
    assert body["errors"]["embeds"]["0"]["description"]["_errors"][0]["code"] == (
        "BASE_TYPE_MAX_LENGTH"
    )


def _label(custom_id: str = "q", **text_input: object) -> dict:
    return {
        "type": 18,
        "label": "Question",
        "component": {"type": 4, "custom_id": custom_id, "style": 1, **text_input},
    }


def test_modal_limits() -> None:
    good = {"custom_id": "m", "title": "Add an FAQ entry", "components": [_label()]}
    assert v.check_modal(good, ()) == []
    legacy = {"type": 1, "components": [{"type": 4, "custom_id": "a", "style": 2, "label": "A"}]}
    assert v.check_modal({**good, "components": [legacy]}, ()) == []
    assert where(v.check_modal({**good, "title": "t" * 46}, ())) == ["title"]
    assert where(v.check_modal({**good, "components": [_label()] * 6}, ())) == [
        "components",
        "components[1].component.custom_id",
        "components[2].component.custom_id",
        "components[3].component.custom_id",
        "components[4].component.custom_id",
        "components[5].component.custom_id",
    ]
    bad_label = {**_label(), "label": "l" * 46, "description": "d" * 101}
    assert where(v.check_modal({**good, "components": [bad_label]}, ())) == [
        "components[0].label",
        "components[0].description",
    ]
    bad_input = _label(label="own label", placeholder="p" * 101, max_length=10, value="v" * 11)
    assert where(v.check_modal({**good, "components": [bad_input]}, ())) == [
        "components[0].component.label",
        "components[0].component.placeholder",
        "components[0].component.value",
    ]
    lengths = _label(min_length=5, max_length=4001, style=3)
    assert where(v.check_modal({**good, "components": [lengths]}, ())) == [
        "components[0].component.style",
        "components[0].component.max_length",
    ]
    button_row = {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "b"}]}
    no_label = {"type": 1, "components": [{"type": 4, "custom_id": "a", "style": 1}]}
    assert where(v.check_modal({**good, "components": [button_row, no_label]}, ())) == [
        "components[0].components",
        "components[1].components[0].label",
    ]
    assert where(v.check_modal({**good, "components": [{"type": 2}]}, ())) == ["components[0].type"]

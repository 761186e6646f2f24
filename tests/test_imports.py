"""The import graph of bot/, read from the source with ast: no module imports another that
imports it back (directly or round a circle), not even for type checking only, and nothing
but the runner imports the bot class (cogs are extensions, loaded by module name).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "bot"


def module_names(root: Path) -> dict[str, Path]:
    """Every module under the package at `root`, by dotted name (a package by its own)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes(node: ast.AST, *, type_checking: bool) -> Iterator[ast.AST]:
    """The nodes below `node`; the bodies of `if TYPE_CHECKING:` only if `type_checking`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test) and not type_checking:
            for other in child.orelse:
                yield other
                yield from _nodes(other, type_checking=False)
            continue
        yield child
        yield from _nodes(child, type_checking=type_checking)


def imports_of(
    name: str, path: Path, modules: Mapping[str, Path], *, type_checking: bool = True
) -> set[str]:
    """The modules of the package that `name` imports (at its top or in a function; with
    `type_checking`, those it imports for type checking only too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in _nodes(tree, type_checking=type_checking):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in modules:
                    found.add(submodule)  # from bot.adapter import followups
                elif base in modules:
                    found.add(base)
    found.discard(name)
    return found


def import_graph(root: Path = PACKAGE, *, type_checking: bool = True) -> dict[str, set[str]]:
    modules = module_names(root)
    return {
        name: imports_of(name, path, modules, type_checking=type_checking)
        for name, path in modules.items()
    }


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One circle of imports (its modules, the first repeated at the end), or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(module: str) -> list[str] | None:
        path.append(module)
        on_path.add(module)
        for imported in sorted(graph.get(module, ())):
            if imported in on_path:
                return [*path[path.index(imported) :], imported]
            if imported not in done:
                cycle = visit(imported)
                if cycle is not None:
                    return cycle
        path.pop()
        on_path.discard(module)
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done:
            cycle = visit(module)
            if cycle is not None:
                return cycle
    return None


def test_the_import_graph_of_bot_has_no_cycle() -> None:
    graph = import_graph()
    assert "bot.adapter.views" in graph["bot.adapter.asking"]  # the graph is read at all
    assert "bot.adapter.services" in graph["bot.adapter.cogs.ask"]  # type checking only
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_only_the_runner_imports_the_bot_class() -> None:
    for type_checking in (False, True):
        graph = import_graph(type_checking=type_checking)
        importers = sorted(name for name, found in graph.items() if "bot.adapter.client" in found)
        assert importers == ["bot.adapter.runner"]


def test_the_core_never_imports_discord_the_adapter_or_storage() -> None:
    modules = module_names(PACKAGE)
    for name, path in modules.items():
        if name.startswith("bot.core"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {
                alias.name if isinstance(node, ast.Import) else node.module or ""
                for node in _nodes(tree, type_checking=True)
                if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in node.names
            }
            wrong = {i for i in imported if i.split(".")[0] == "discord"}
            wrong |= {i for i in imported if i.startswith(("bot.adapter", "bot.storage"))}
            assert not wrong, f"{name} imports {sorted(wrong)}"


def test_a_cycle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None

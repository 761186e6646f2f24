"""`spotter` command line: check the library, ask offline, run and sync the bot, read insights."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.core.loader import LibraryNotFound, load_knowledge

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    root = Path(args.dir) if args.dir else settings.knowledge_dir
    try:
        kb = load_knowledge(root)
    except LibraryNotFound as error:
        print(f"spotter check: {error}", file=sys.stderr)
        return EXIT_USAGE
    for diagnostic in sorted(kb.diagnostics, key=lambda d: (d.path, d.line)):
        print(diagnostic)
    stats = kb.stats
    print(
        f"{_plural(stats.files, 'file')}, {_plural(stats.pages, 'page')}, "
        f"{stats.faq_entries} FAQ answers: "
        f"{_plural(stats.errors, 'error')}, {_plural(stats.warnings, 'warning')} "
        f"({stats.seconds * 1000:.0f} ms)"
    )
    return EXIT_ERRORS if stats.errors else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spotter", description=__doc__)
    parser.add_argument("--config", help="config file (default: $SPOTTER_CONFIG or ./config.yaml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="lint the exercise library")
    check.add_argument("dir", nargs="?", help="library folder (default: the configured one)")
    check.set_defaults(handler=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as error:
        print(f"spotter: {error}", file=sys.stderr)
        return EXIT_USAGE
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `spotter ask ... | head`
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

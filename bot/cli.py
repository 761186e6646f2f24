"""`spotter` command line: check the library, ask offline, run and sync the bot, read insights."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings, with_overrides
from bot.core.insights import MAX_REPORT_DAYS
from bot.core.library import counted
from bot.core.loader import LibraryNotFound, load_knowledge
from bot.core.search import AnswerIndex, Result

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _printable(text: str) -> str:
    """One line stdout can encode: a file name that is not valid UTF-8 must not crash the
    report, and a line break inside a message must not split a diagnostic in two."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text.encode(encoding, "backslashreplace").decode(encoding)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    root = Path(args.dir) if args.dir else settings.knowledge_dir
    try:
        kb = load_knowledge(root, settings.load_limits)
    except LibraryNotFound as error:
        print(f"spotter check: {error}", file=sys.stderr)
        return EXIT_USAGE
    for diagnostic in sorted(kb.diagnostics, key=lambda d: (d.path, d.line)):
        print(_printable(str(diagnostic)))
    stats = kb.stats
    print(
        f"{counted(stats.files, 'file')}, {counted(stats.pages, 'page')}, "
        f"{stats.faq_entries} FAQ answers: "
        f"{counted(stats.errors, 'error')}, {counted(stats.warnings, 'warning')} "
        f"({stats.seconds * 1000:.0f} ms)"
    )
    return EXIT_ERRORS if stats.errors else EXIT_OK


def _load_index(knowledge: str | None, settings: Settings) -> AnswerIndex | None:
    root = Path(knowledge) if knowledge else settings.knowledge_dir
    try:
        kb = load_knowledge(root, settings.load_limits)
    except LibraryNotFound as error:
        print(f"spotter: {error}", file=sys.stderr)
        return None
    if kb.errors:
        print(
            f"spotter: {len(kb.errors)} problems in {root} (run 'spotter check {root}'); "
            "answering from the pages that loaded",
            file=sys.stderr,
        )
    return AnswerIndex(kb, min_confidence=settings.min_confidence)


def _print_readable(result: Result) -> None:
    if result.answer is None:
        print("I don't know that one.")
        if result.alternatives:
            print("Did you mean:")
            for match in result.alternatives:
                print(f"  - {match.exercise} ({match.heading})")
        return
    answer = result.answer
    print(
        f"{answer.exercise} - {answer.heading}  [{answer.section}, confidence {answer.score:.2f}]"
    )
    print()
    print(answer.text)
    if answer.links:
        print()
        for link in answer.links:
            print(f"  {link.title}: {link.url}")
    if result.also:
        print()
        print("Or on this page: " + ", ".join(m.heading for m in result.also))
    if result.alternatives:
        print()
        print("Also: " + ", ".join(f"{m.exercise} ({m.heading})" for m in result.alternatives))


def _ask_json(index: AnswerIndex, question: str, context: str | None) -> str:
    data = index.answer(question, context=context).to_json()
    if context is not None:
        data["context"] = context
    return json.dumps(data, ensure_ascii=False)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    index = _load_index(args.knowledge, settings)
    if index is None:
        return EXIT_USAGE
    context = args.context
    if context is not None and context not in index.by_slug:
        found = index.find(context)  # a name, as /exercise takes it
        if found.page is None:
            names = [p.slug for p in (found.matches or found.nearest)[:5]]
            hint = f" (did you mean: {', '.join(names)}?)" if names else ""
            print(f"spotter ask: --context: no page '{context}'{hint}", file=sys.stderr)
            return EXIT_USAGE
        context = found.page.slug
    if args.batch is None:
        if not args.question:
            print("spotter ask: give a QUESTION, or --batch FILE", file=sys.stderr)
            return EXIT_USAGE
        question = " ".join(args.question)
        if args.json:
            print(_ask_json(index, question, context))
        else:
            result = index.answer(question, context=context)
            _print_readable(result)
        return EXIT_OK
    if not args.json:
        print("spotter ask: --batch needs --json", file=sys.stderr)
        return EXIT_USAGE
    try:
        source = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        print(f"spotter ask: cannot read {args.batch}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    with source:
        for line in source:
            print(_ask_json(index, line.rstrip("\r\n"), context), flush=True)
    return EXIT_OK


NO_TOKEN = (
    "DISCORD_TOKEN is not set: put the bot token in the environment or in a .env file "
    "(see .env.example)"
)


def _connect(settings: Settings, command: str) -> bool:
    """Checks the token, points discord.py at DISCORD_API_BASE/DISCORD_GATEWAY_URL and
    bounds its waits for Discord (discord_timeout_seconds)."""
    # Imported here: `spotter check` and `spotter ask` should not pay for importing discord.py.
    from bot.adapter.connection import point_at, set_timeout

    if not settings.token:
        print(f"spotter {command}: {NO_TOKEN}", file=sys.stderr)
        return False
    try:
        point_at(settings.api_base, settings.gateway_url)
        set_timeout(settings.discord_timeout_seconds)
    except ValueError as error:
        print(f"spotter {command}: {error}", file=sys.stderr)
        return False
    return True


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        settings = with_overrides(settings, shards=args.shards, shard_count=args.shard_count)
    except ConfigError as error:
        print(f"spotter run: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not _connect(settings, "run"):
        return EXIT_USAGE
    from bot.adapter import runner

    try:
        runner.configure_logging(settings.log_level)
        asyncio.run(runner.run(settings))
    except runner.RunError as error:
        print(f"spotter run: {error}", file=sys.stderr)
        return error.code
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    if not _connect(settings, "sync"):
        return EXIT_USAGE
    from bot.adapter import runner

    try:
        runner.configure_logging("WARNING")
        names = asyncio.run(runner.sync(settings, args.guild))
    except runner.RunError as error:
        print(f"spotter sync: {error}", file=sys.stderr)
        return error.code
    where = "globally" if args.guild is None else f"to guild {args.guild}"
    print(f"Synced {counted(len(names), 'command')} {where}: {', '.join(names) or '-'}")
    return EXIT_OK


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= days <= MAX_REPORT_DAYS:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_REPORT_DAYS}, not {days}")
    return days


def _no_database_file(command: str, database: str | Path, hint: str) -> bool:
    """Says so (on stderr) when the SQLite file a command reads does not exist."""
    from bot.storage.database import is_postgres_url, sqlite_path

    if is_postgres_url(database) or sqlite_path(database).is_file():
        return False
    print(f"spotter {command}: no database at {sqlite_path(database)} {hint}", file=sys.stderr)
    return True


def _report(args: argparse.Namespace, settings: Settings) -> int:
    """`spotter gaps` and `spotter stats`: read the bot's database, never create one."""
    # Imported here: the other commands should not pay for importing the storage layer.
    from bot.core.insights import gaps_text, stats_text
    from bot.storage import StorageError, Store

    database = settings.database
    if _no_database_file(
        args.command,
        database,
        "(the bot creates it when it first runs; point database_path or SPOTTER_DATABASE at an "
        "existing one)",
    ):
        return EXIT_USAGE

    async def read() -> str:
        async with Store.open(database, create=False, health_check=False) as store:
            if args.command == "gaps":
                return gaps_text(await store.gaps(args.days, args.guild), args.days)
            return stats_text(await store.stats(args.days, args.guild), args.days)

    try:
        text = asyncio.run(read())
    except StorageError as error:
        print(f"spotter {args.command}: {_printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    for line in text.splitlines():
        print(_printable(line))
    return EXIT_OK


def cmd_db_copy(args: argparse.Namespace, settings: Settings) -> int:
    """`spotter db copy --to TARGET [--from SOURCE]`: every row worth keeping, into an empty
    database, in one transaction."""
    from bot.storage import StorageError
    from bot.storage.copying import COPIED_TABLES, copy_database
    from bot.storage.database import is_postgres_url, sqlite_path, without_password

    source: str | Path = args.source if args.source is not None else settings.database
    target: str = args.to

    def safe(text: str) -> str:
        """A message without either URL's password, whatever the driver put in it."""
        for url in (source, target):
            if is_postgres_url(url):
                text = text.replace(str(url), without_password(str(url)))
        return _printable(text)

    try:
        for database in (source, target):
            if not is_postgres_url(database):
                sqlite_path(database)  # another kind of URL: a usage error, before connecting
        if _no_database_file(
            "db copy", source, "to copy from (--from, default: the configured database)"
        ):
            return EXIT_USAGE
        report = asyncio.run(copy_database(source, target))
    except ValueError as error:  # SameDatabase too: a usage error
        print(f"spotter db copy: {safe(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except StorageError as error:
        print(f"spotter db copy: {safe(str(error))}", file=sys.stderr)
        return EXIT_ERRORS
    print(
        f"Copied {_printable(report.source)} to {_printable(report.target)} in "
        f"{report.seconds:.1f} s:"
    )
    width = max(len(table.name) for table in COPIED_TABLES)
    for name, count in report.rows.items():
        print(f"  {name:<{width}}  {count:>9,}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spotter", description=__doc__)
    parser.add_argument("--config", help="config file (default: $SPOTTER_CONFIG or ./config.yaml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="lint the exercise library")
    check.add_argument("dir", nargs="?", help="library folder (default: the configured one)")
    check.set_defaults(handler=cmd_check)

    ask = commands.add_parser("ask", help="answer a question offline, from the library")
    ask.add_argument(
        "--knowledge", metavar="DIR", help="library folder (default: the configured one)"
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--batch", metavar="FILE", help="one question per line ('-' for stdin)")
    ask.add_argument(
        "--context",
        metavar="PAGE",
        help="read the question as a follow-up of an answer from this page, by slug or name "
        "('goblet-squat', 'Goblet Squat')",
    )
    ask.add_argument("question", nargs="*", help="the question")
    ask.set_defaults(handler=cmd_ask)

    run = commands.add_parser("run", help="run the Discord bot (token in DISCORD_TOKEN)")
    run.add_argument(
        "--shards",
        metavar="IDS",
        help="the gateway shards this process runs, like 0-3 or 0,2,5 (needs --shard-count; "
        "default: the shards setting, else all)",
    )
    run.add_argument(
        "--shard-count",
        metavar="N",
        help="the bot's total number of shards, the same in every process (default: the "
        "shard_count setting)",
    )
    run.set_defaults(handler=cmd_run)

    sync = commands.add_parser("sync", help="sync the slash commands with Discord, then exit")
    sync.add_argument("--guild", type=int, metavar="ID", help="sync to this guild only")
    sync.set_defaults(handler=cmd_sync)

    for name, summary in (
        ("gaps", "questions the bot could not answer well, grouped: what to write next"),
        ("stats", "questions per day, answer rate, feedback, top exercises, latency"),
    ):
        report = commands.add_parser(name, help=summary, description=summary)
        report.add_argument(
            "--days", type=_days, default=7, metavar="N", help="days back, today included (7)"
        )
        report.add_argument("--guild", type=int, metavar="ID", help="one server only")
        report.set_defaults(handler=_report)

    db = commands.add_parser("db", help="the bot's database: copy it to another")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    copy = db_commands.add_parser(
        "copy",
        help="copy the question log, votes, settings and library changes into an empty database",
        description="Copy the question log, votes, per-server settings and library changes "
        "into an empty database (e.g. from SQLite to PostgreSQL), in one transaction: on "
        "failure the target keeps nothing. Stop the bot first.",
    )
    copy.add_argument(
        "--to",
        required=True,
        metavar="DATABASE",
        help="where to: postgresql://user:password@host:port/name, or a SQLite file",
    )
    copy.add_argument(
        "--from",
        dest="source",
        metavar="DATABASE",
        help="where from: a SQLite file, or a sqlite:/// or postgresql:// URL (default: the "
        "configured database)",
    )
    copy.set_defaults(handler=cmd_db_copy)
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

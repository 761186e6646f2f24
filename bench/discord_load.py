"""Load benchmark: N concurrent ``/ask`` slash interactions against a bot on the loopback
FakeDiscord (the real discord.py client, real HTTP and websocket on 127.0.0.1).

    python -m bench.discord_load --n 500 --n 2000

For each N: start a fresh fake and bot, dispatch N interactions back to back (all in
flight at once), wait (bounded) for the answers, and print N, answered, lost, late (first
response after Discord's 3 s, which Discord refuses), wall time, throughput, and latency
percentiles from dispatch to the interaction callback ("cb") and to the visible answer
("done"), as the fake (Discord's side) sees them.

By default the bot runs in a child process (``--serve-bot``), so the fake and the bot do not
share one event loop and one CPU; ``--same-process`` runs both in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.connection import point_at
from tests.fakediscord import FakeDiscord, FakeMember, Interaction, running_bot

REPO = Path(__file__).resolve().parents[1]

QUESTIONS = [
    "how many reps of push-ups should i do",
    "what muscles do calf raises work",
    "is the plank good for beginners",
    "how do i do a diamond push-up",
    "decline or incline push-up for upper chest",
    "seated calf raise vs standing calf raise",
]
READY_LINE = "BOT-READY"
ERRORS_PREFIX = "BOT-ERRORS "


def tiny_bot() -> commands.Bot:
    """A stand-in for Spotter: ``/ask question`` answers with a small embed."""
    bot = commands.Bot(
        command_prefix=commands.when_mentioned,
        intents=discord.Intents.default(),
        guild_ready_timeout=0.05,
        allowed_mentions=discord.AllowedMentions.none(),
    )

    @bot.tree.command(name="ask", description="Ask Spotter an exercise question")
    @app_commands.describe(question="Your question")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        embed = discord.Embed(title="Spotter", description=f"You asked: {question[:200]}")
        embed.set_footer(text="benchmark bot")
        await interaction.response.send_message(embed=embed)

    return bot


def make_bot() -> commands.Bot:
    """The real Spotter bot, on the bundled library and a throwaway database. Load is measured
    here, not rate limits, so the per-user cooldown is out of the way."""
    from bot.adapter.client import create_bot
    from bot.config import Settings

    folder = Path(tempfile.mkdtemp(prefix="spotter-load-"))
    settings = Settings(
        knowledge_dir=REPO / "knowledge",
        database_path=folder / "load.sqlite3",
        cooldown_rate=1_000_000,
        log_level="WARNING",
    )
    return create_bot(settings, guild_ready_timeout=0.05)


class ErrorCounter(logging.Handler):
    """Counts ERROR+ records (discord.py logs every failed command) instead of printing."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _quiet_discord(verbose: bool) -> ErrorCounter:
    counter = ErrorCounter()
    log = logging.getLogger("discord")
    log.addHandler(counter)
    if not verbose:
        log.propagate = False
    return counter


# --- the bot side (child process) ----------------------------------------------------------


async def serve_bot(args: argparse.Namespace) -> int:
    """Run the bot until stdin closes (or ``--timeout`` passes); report on stdout."""
    counter = _quiet_discord(args.verbose)
    point_at(args.api_base, args.gateway_url)
    bot = tiny_bot() if args.tiny else make_bot()
    start = asyncio.create_task(bot.start(args.token))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + args.timeout
    try:
        while not bot.is_ready():
            if start.done():
                start.result()
                return 1
            if loop.time() > deadline:
                return 1
            await asyncio.sleep(0.01)
        if not await bot.tree.fetch_commands():
            await bot.tree.sync()
        print(READY_LINE, flush=True)
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(reader.read(), max(0.0, deadline - loop.time()))
        return 0
    finally:
        await bot.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(start, 10)
        point_at(None, None)
        print(f"{ERRORS_PREFIX}{counter.count}", flush=True)


# --- the Discord side ----------------------------------------------------------------------


@dataclass
class Round:
    n: int
    answered: int
    lost: int
    late: int
    wall: float
    callback_ms: list[float]
    done_ms: list[float]
    violations: int
    bot_errors: int


class BotHandle:
    errors = 0


@contextlib.asynccontextmanager
async def bot_in_process(fake: FakeDiscord, args: argparse.Namespace) -> AsyncIterator[BotHandle]:
    counter = _quiet_discord(args.verbose)
    handle = BotHandle()
    bot = tiny_bot() if args.tiny else make_bot()
    try:
        async with running_bot(fake, bot, timeout=args.timeout):
            if not fake.synced_commands():
                await bot.tree.sync()
            yield handle
    finally:
        logging.getLogger("discord").removeHandler(counter)
        handle.errors = counter.count


@contextlib.asynccontextmanager
async def bot_in_child(fake: FakeDiscord, args: argparse.Namespace) -> AsyncIterator[BotHandle]:
    handle = BotHandle()
    cmd = [
        sys.executable,
        "-m",
        "bench.discord_load",
        "--serve-bot",
        "--api-base",
        fake.api_base,
        "--gateway-url",
        fake.gateway_url,
        "--token",
        fake.token,
        "--timeout",
        str(args.timeout * 3),
    ]
    cmd += ["--tiny"] if args.tiny else []
    cmd += ["--verbose"] if args.verbose else []
    proc = await asyncio.create_subprocess_exec(
        *cmd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), args.timeout)
        if line.decode().strip() != READY_LINE:
            raise RuntimeError(f"the bot process did not become ready (said {line!r})")
        yield handle
    finally:
        proc.stdin.close()
        try:
            out = await asyncio.wait_for(proc.stdout.read(), 15)
            await asyncio.wait_for(proc.wait(), 5)
        except TimeoutError:
            proc.kill()  # our own child, by its handle
            await proc.wait()
            out = b""
        for text in out.decode().splitlines():
            if text.startswith(ERRORS_PREFIX):
                handle.errors = int(text[len(ERRORS_PREFIX) :])


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _visible(inter: Interaction) -> bool:
    return any(not int(m.get("flags") or 0) & 128 for m in inter.messages)


async def run_round(n: int, args: argparse.Namespace, seed: int) -> Round:
    rng = random.Random(seed)
    runner = bot_in_process if args.same_process else bot_in_child
    async with FakeDiscord() as fake:
        guild = await fake.add_guild("Load")
        channel = await fake.add_channel(guild, "general")
        members: list[FakeMember] = [
            await fake.add_member(guild, f"user{i}") for i in range(args.users)
        ]
        async with runner(fake, args) as handle:
            await fake.wait_for(fake.synced_commands, args.timeout, what="a command sync")
            done_at: dict[int, float] = {}
            inters: list[Interaction] = []
            start = time.monotonic()
            for i in range(n):
                inters.append(
                    await fake.invoke_slash(
                        args.command,
                        {args.option: f"{rng.choice(QUESTIONS)} #{i}"},
                        user=rng.choice(members),
                        channel=channel,
                    )
                )

            def settled() -> bool:
                now = time.monotonic()
                for inter in inters:
                    if inter.id not in done_at and _visible(inter):
                        done_at[inter.id] = now
                return all(
                    inter.id in done_at
                    or (
                        not inter.acknowledged
                        and now - inter.dispatched_at > fake.interaction_deadline + 1
                    )
                    for inter in inters
                )

            with contextlib.suppress(TimeoutError):  # unanswered ones count as lost
                await fake.wait_for(settled, timeout=args.timeout, what=f"{n} answers")
            last = max((i.answered_at for i in inters if i.answered_at), default=start)
            wall = max(last, max(done_at.values(), default=start)) - start
        late = sum("after the interaction was created" in v.message for v in fake.violations)
        answered = [i for i in inters if i.acknowledged]
        return Round(
            n=n,
            answered=len(answered),
            lost=n - len(answered),
            late=late,
            wall=wall,
            callback_ms=sorted(1000 * (i.latency or 0) for i in answered),
            done_ms=sorted(
                1000 * (done_at[i.id] - i.dispatched_at) for i in inters if i.id in done_at
            ),
            violations=len(fake.violations),
            bot_errors=handle.errors,
        )


def print_table(rounds: list[Round], mode: str) -> None:
    header = (
        f"{'N':>6} {'answered':>9} {'lost':>5} {'late':>5} {'wall s':>7} {'inter/s':>8} "
        f"{'cb p50 ms':>10} {'cb p99 ms':>10} {'done p50':>9} {'done p99':>9}"
    )
    print(f"bot: {mode}")
    print(header)
    print("-" * len(header))
    for r in rounds:
        rate = r.answered / r.wall if r.wall > 0 else float("nan")
        print(
            f"{r.n:>6} {r.answered:>9} {r.lost:>5} {r.late:>5} {r.wall:>7.2f} {rate:>8.1f} "
            f"{percentile(r.callback_ms, 50):>10.1f} {percentile(r.callback_ms, 99):>10.1f} "
            f"{percentile(r.done_ms, 50):>9.1f} {percentile(r.done_ms, 99):>9.1f}"
        )
    for r in rounds:
        if r.violations or r.bot_errors:
            print(
                f"N={r.n}: {r.violations} violation(s) recorded by the fake "
                f"({r.late} late first responses); {r.bot_errors} error(s) logged by the bot"
            )


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


async def main_async(args: argparse.Namespace) -> list[Round]:
    return [await run_round(n, args, args.seed + i) for i, n in enumerate(args.n or [500])]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--n",
        type=int,
        action="append",
        help="interactions per round (repeat for several rounds; default 500)",
    )
    parser.add_argument("--command", default="ask", help="slash command to invoke")
    parser.add_argument("--option", default="question", help="its string option")
    parser.add_argument("--users", type=int, default=50, help="distinct members asking")
    parser.add_argument("--timeout", type=float, default=60.0, help="max seconds per round")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tiny", action="store_true", help="always use the stand-in bot")
    parser.add_argument(
        "--same-process",
        action="store_true",
        help="run the bot in this process (shares the fake's event loop)",
    )
    parser.add_argument("--verbose", action="store_true", help="show library logs")
    parser.add_argument("--serve-bot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--api-base", help=argparse.SUPPRESS)
    parser.add_argument("--gateway-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if any(n < 1 or n > 100_000 for n in args.n or []):
        parser.error("--n must be between 1 and 100000")
    logging.basicConfig(
        level=logging.WARNING if args.verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        logging.getLogger("tests.fakediscord").setLevel(logging.ERROR)
    _raise_fd_limit()
    if args.serve_bot:
        return asyncio.run(serve_bot(args))
    rounds = asyncio.run(main_async(args))
    print_table(rounds, "same process as the fake" if args.same_process else "child process")
    return 0 if all(r.lost == 0 for r in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())

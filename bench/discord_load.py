"""Load benchmark: N concurrent ``/ask`` slash interactions against a bot on the loopback
FakeDiscord (the real discord.py client, real HTTP and websocket on 127.0.0.1).

    python -m bench.discord_load --n 500 --n 2000

For each N: start a fresh fake and bot, dispatch N interactions back to back (all in
flight at once), wait (bounded) for the answers, and print N, answered (a first response
Discord accepted), lost (none: the member saw "The application did not respond"), stuck (left
on "thinking..." without an answer), late (first responses Discord refused, after its 3 s),
wall time, throughput, and latency percentiles from dispatch to the interaction callback
("cb") and to the visible answer ("done"), as the fake (Discord's side) sees them. Then every
warning and error the bot logged, from any logger, with the most frequent messages.

By default the bot runs in a child process (``--serve-bot``), so the fake and the bot do not
share one event loop and one CPU; ``--same-process`` runs both in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import math
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bench.stats import percentile
from bot.adapter.connection import point_at
from fakediscord import FakeDiscord, FakeMember, Interaction, running_bot
from fakediscord.models import FLAG_LOADING

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
LOG_PREFIX = "BOT-LOGGED "
CPU_PREFIX = "BOT-CPU "
EXAMPLE_PREFIX = "BOT-LOGGED-MESSAGE "
# The fake's own loggers (in --same-process mode): not the bot's.
FAKE_LOGGERS = ("fakediscord", "aiohttp.server", "aiohttp.access", "aiohttp.web")
EXAMPLES = 5
# How often the benchmark checks whether every interaction is settled: rarely, so that the
# fake (Discord) spends its time on the bot's requests (timings come from its records).
SETTLE_POLL = 0.5
# An interaction never acknowledged is given up on this long after dispatch.
GIVE_UP_AFTER = 5.0


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


class LogCounter(logging.Handler):
    """Counts every WARNING and ERROR the bot logs, from any logger (discord.py's, ours,
    asyncio's "Task exception was never retrieved"), and the most frequent messages."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warnings = 0
        self.errors = 0
        self.messages: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(FAKE_LOGGERS):
            return
        if record.levelno >= logging.ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        lines = record.getMessage().splitlines() or [""]
        # Ids differ from message to message: group by the rest.
        text = re.sub(r"\d{5,}", "<id>", lines[0])[:150]
        self.messages[f"{record.levelname} {record.name}: {text}"] += 1


def count_bot_logs() -> LogCounter:
    from bot.adapter.runner import not_about_voice  # the bot's modules: only where it runs

    counter = LogCounter()
    counter.addFilter(not_about_voice)  # as `spotter run` does
    logging.getLogger().addHandler(counter)
    return counter


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the bot side (child process) ----------------------------------------------------------


async def serve_bot(args: argparse.Namespace) -> int:
    """Run the bot until stdin closes (or ``--timeout`` passes); report on stdout."""
    counter = count_bot_logs()
    point_at(args.api_base, args.gateway_url)
    bot = tiny_bot() if args.tiny else make_bot()
    start = asyncio.create_task(bot.start(args.token))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + args.timeout
    cpu_at_ready = math.nan
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
        cpu_at_ready = cpu_seconds()
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
        gc.collect()  # "Task exception was never retrieved" is logged when a task is freed
        print(f"{CPU_PREFIX}{cpu_seconds() - cpu_at_ready:.3f}", flush=True)
        print(f"{LOG_PREFIX}{counter.warnings} {counter.errors}", flush=True)
        for message, times in counter.messages.most_common(EXAMPLES):
            print(f"{EXAMPLE_PREFIX}{times} {message}", flush=True)


# --- the Discord side ----------------------------------------------------------------------


@dataclass
class Round:
    n: int
    answered: int
    lost: int
    stuck: int
    late: int
    dispatch: float
    wall: float
    callback_ms: list[float]
    done_ms: list[float]
    violations: int
    bot_warnings: int
    bot_errors: int
    bot_messages: list[str]
    bot_cpu: float
    fake_cpu: float
    load: float


@dataclass
class BotHandle:
    warnings: int = 0
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    cpu: float = math.nan  # seconds the bot process computed from ready to stopped


@contextlib.asynccontextmanager
async def bot_in_process(fake: FakeDiscord, args: argparse.Namespace) -> AsyncIterator[BotHandle]:
    counter = count_bot_logs()
    handle = BotHandle()
    bot = tiny_bot() if args.tiny else make_bot()
    try:
        async with running_bot(fake, bot, timeout=args.timeout):
            if not fake.synced_commands():
                await bot.tree.sync()
            yield handle
    finally:
        gc.collect()
        logging.getLogger().removeHandler(counter)
        handle.warnings, handle.errors = counter.warnings, counter.errors
        handle.messages = [f"{n} {m}" for m, n in counter.messages.most_common(EXAMPLES)]


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
            if text.startswith(CPU_PREFIX):
                handle.cpu = float(text[len(CPU_PREFIX) :])
            elif text.startswith(LOG_PREFIX):
                warnings, errors = text[len(LOG_PREFIX) :].split()
                handle.warnings, handle.errors = int(warnings), int(errors)
            elif text.startswith(EXAMPLE_PREFIX):
                handle.messages.append(text[len(EXAMPLE_PREFIX) :])


def _visible(inter: Interaction) -> bool:
    """Has the member got a message (not just "thinking...")?"""
    if inter.followups:
        return True  # the first follow-up replaces the placeholder
    original = inter.original
    return original is not None and not int(original.get("flags") or 0) & FLAG_LOADING


def answer_times(fake: FakeDiscord, inters: list[Interaction]) -> dict[int, float]:
    """When the answer (a message callback, or the first follow-up) reached Discord, from the
    fake's record of requests."""
    by_token = {inter.token: inter for inter in inters}
    by_id = {inter.id: inter for inter in inters}
    done: dict[int, float] = {}
    for request in fake.requests:
        if request.method != "POST" or not 200 <= request.status < 300:
            continue
        parts = request.path.split("/")
        inter = None
        if parts[1] == "interactions" and parts[-1] == "callback":
            body = request.body if isinstance(request.body, dict) else {}
            if body.get("type") == 4:
                inter = by_id.get(int(parts[2]))
        elif parts[1] == "webhooks" and len(parts) == 4:
            inter = by_token.get(parts[3])
        if inter is not None and inter.id not in done:
            done[inter.id] = request.at
    return done


async def run_round(n: int, args: argparse.Namespace, seed: int) -> Round:
    rng = random.Random(seed)
    runner = bot_in_process if args.same_process else bot_in_child
    load = os.getloadavg()[0]  # other work on the machine skews every number here
    async with FakeDiscord() as fake:
        guild = await fake.add_guild("Load")
        channel = await fake.add_channel(guild, "general")
        members: list[FakeMember] = [
            await fake.add_member(guild, f"user{i}") for i in range(args.users)
        ]
        async with runner(fake, args) as handle:
            await fake.wait_for(fake.synced_commands, args.timeout, what="a command sync")
            inters: list[Interaction] = []
            fake_cpu = cpu_seconds()
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
                # Discord's API keeps serving while its gateway sends: so does the fake.
                await asyncio.sleep(0)
            dispatch = time.monotonic() - start

            # Polled, not woken by every request: the fake (Discord) must not spend its time
            # watching the benchmark's predicate while the burst is on.
            pending = list(inters)
            deadline = time.monotonic() + args.timeout
            while pending and time.monotonic() < deadline:
                await asyncio.sleep(SETTLE_POLL)
                now = time.monotonic()
                pending = [
                    inter
                    for inter in pending
                    if not _visible(inter)
                    and (inter.acknowledged or now - inter.dispatched_at < GIVE_UP_AFTER)
                ]
            fake_cpu = cpu_seconds() - fake_cpu
            done_at = answer_times(fake, inters)
            last = max((i.answered_at for i in inters if i.answered_at), default=start)
            wall = max(last, max(done_at.values(), default=start)) - start
        late = sum("after the interaction was created" in v.message for v in fake.violations)
        answered = [i for i in inters if i.acknowledged]
        return Round(
            n=n,
            answered=len(answered),
            lost=n - len(answered),
            stuck=sum(1 for i in answered if not _visible(i)),
            late=late,
            dispatch=dispatch,
            wall=wall,
            callback_ms=sorted(1000 * (i.latency or 0) for i in answered),
            done_ms=sorted(
                1000 * (done_at[i.id] - i.dispatched_at) for i in inters if i.id in done_at
            ),
            violations=len(fake.violations),
            bot_warnings=handle.warnings,
            bot_errors=handle.errors,
            bot_messages=handle.messages,
            bot_cpu=handle.cpu,
            fake_cpu=fake_cpu,
            load=load,
        )


def print_table(rounds: list[Round], mode: str) -> None:
    header = (
        f"{'N':>6} {'answered':>9} {'lost':>5} {'stuck':>5} {'late':>5} {'disp s':>6} "
        f"{'wall s':>7} {'inter/s':>8} {'cb p50 ms':>10} {'cb p99 ms':>10} {'done p50':>9} "
        f"{'done p99':>9} {'bot cpu s':>9} {'fake cpu s':>10} {'warn':>5} {'error':>5} {'load':>5}"
    )
    print(f"bot: {mode}")
    print(header)
    print("-" * len(header))
    for r in rounds:
        rate = r.answered / r.wall if r.wall > 0 else float("nan")
        print(
            f"{r.n:>6} {r.answered:>9} {r.lost:>5} {r.stuck:>5} {r.late:>5} {r.dispatch:>6.2f} "
            f"{r.wall:>7.2f} {rate:>8.1f} {percentile(r.callback_ms, 0.50):>10.1f} "
            f"{percentile(r.callback_ms, 0.99):>10.1f} {percentile(r.done_ms, 0.50):>9.1f} "
            f"{percentile(r.done_ms, 0.99):>9.1f} {r.bot_cpu:>9.2f} {r.fake_cpu:>10.2f} "
            f"{r.bot_warnings:>5} "
            f"{r.bot_errors:>5} {r.load:>5.2f}"
        )
    for r in rounds:
        if r.violations or r.bot_warnings or r.bot_errors:
            print(
                f"N={r.n}: {r.violations} violation(s) recorded by the fake "
                f"({r.late} late first responses); the bot logged {r.bot_warnings} "
                f"warning(s) and {r.bot_errors} error(s), most often:"
            )
            for message in r.bot_messages:
                print(f"    {message}")
    print(
        'lost: no first response ("The application did not respond"); stuck: left on '
        '"thinking..."; late: first responses Discord refused; disp s: time to dispatch '
        "them all; load: the machine's 1-minute load average before the round"
    )


def clean(r: Round) -> bool:
    return r.lost == 0 and r.stuck == 0 and r.late == 0 and r.bot_errors == 0


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
    if args.verbose:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    else:  # counted and summarised instead of printed
        logging.getLogger().setLevel(logging.WARNING)
        logging.getLogger("fakediscord").setLevel(logging.ERROR)
    _raise_fd_limit()
    if args.serve_bot:
        return asyncio.run(serve_bot(args))
    rounds = asyncio.run(main_async(args))
    print_table(rounds, "same process as the fake" if args.same_process else "child process")
    return 0 if all(clean(r) for r in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())

"""A loopback Discord for tests: the real discord.py client against a fake on 127.0.0.1.

See README.md in this directory.
"""

from .actions import CommandUnavailable
from .harness import running_bot
from .interactions import Interaction
from .models import (
    ChannelType,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Overwrite,
    Perm,
)
from .records import Hold, RecordedRequest, Violation
from .server import FakeDiscord, allows_mass_ping

__all__ = [
    "ChannelType",
    "CommandUnavailable",
    "FakeAttachment",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "Hold",
    "Interaction",
    "Overwrite",
    "Perm",
    "RecordedRequest",
    "Violation",
    "allows_mass_ping",
    "running_bot",
]

"""Reading what Spotter sent, and test settings (shared with bench: from fakediscord)."""

from __future__ import annotations

from fakediscord import RecordedRequest
from fakediscord.harness import spotter_settings
from fakediscord.messages import button, components, custom_ids, embed, is_ephemeral

__all__ = [
    "REPS_QUESTION",
    "button",
    "components",
    "custom_ids",
    "embed",
    "is_answer_followup",
    "is_ephemeral",
    "spotter_settings",
]

# The bundled library answers this with high confidence (an FAQ answer).
REPS_QUESTION = "how many reps for single leg calf raises"
# Answered surely from Band Single Leg Calf Raise, with the plain Single Leg Calf Raise as the
# runner-up: a version of it, offered as such.
VERSIONED_QUESTION = "how many sets of single leg calf raises"


def is_answer_followup(request: RecordedRequest) -> bool:
    """A follow-up carrying an answer (the "ask again" notice has none)."""
    body = request.body if isinstance(request.body, dict) else {}
    return request.path.startswith("/webhooks/") and bool(body.get("embeds"))

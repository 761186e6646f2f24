"""Does a chat message read as a question? The cheap first gate of auto-answer.

Auto-answer replies to messages nobody addressed to the bot, so it must stay quiet on chat.
This gate only decides the *form* of a message; whether it is about an exercise the library
can answer is decided afterwards by the answer engine's confidence (a stricter threshold than
/ask). Both must pass. The rules, in order:

1. Noise is dropped first: quoted lines (``> ...``), code blocks, links and Discord markup
   (mentions, custom emoji, channel links). What is left must have at least two words and at
   most ``MAX_QUESTION_CHARS`` characters: a long post is a story or a log, not a quick
   question, and answering its first sentence would answer the wrong thing.
2. A question mark that ends a sentence ("rdl form?", "how deep? asking for my knees").
3. Or it starts (after greetings like "hey guys,") with a question word ("how", "what",
   "why", ...), with "is", "are" or "does" ("is squatting to parallel enough": chat drops
   the subject of a statement, never of these), or with another auxiliary verb followed by
   a subject ("should i", "can someone"); a bare "do 3 sets" is an instruction and "can
   confirm" a reply, not questions.
4. Or it contains an intent cue anywhere ("how many", "how to", "any tips", "form check",
   "difference between", "not sure if", ...).

Pure: no I/O, no Discord.
"""

from __future__ import annotations

import re

MAX_QUESTION_CHARS = 500
MIN_WORDS = 2

_CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)  # logs and code: not the question
# Inline code in chat quotes a name ("`rack pulls` tips?"): its words stay.
_INLINE_CODE = re.compile(r"`([^`\n]*)`")
_MASKED_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?https?://[^)\s]*>?\s*\)", re.IGNORECASE)
_URL = re.compile(r"<?(?:https?://|www\.)\S+", re.IGNORECASE)
# Mentions, custom emoji, channel links, timestamps, slash-command mentions; a mention's
# possessive goes with it ("<@123>'s log": not a word "s").
_MARKUP = re.compile(
    r"<(?:[@#][!&]?\d+|a?:\w+:\d+|t:\d+(?::\w)?|/[\w -]+:\d+|id:\w+)>(?:['\u2019]s\b)?"
)
_EMOJI_CODE = re.compile(r"(?<!\w):[a-z0-9_+-]{2,32}:(?!\w)", re.IGNORECASE)
_PING = re.compile(r"@(?:everyone|here)\b", re.IGNORECASE)
_SPOILER = re.compile(r"\|\|(.*?)\|\|", re.DOTALL)
_QUOTE_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_HEADING_MARK = re.compile(r"^\s*(?:#{1,3}|-#)\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*{1,3}|_{2}|~~")
# A '?' that ends a sentence: not one inside a word or a leftover query string.
_QUESTION_MARK = re.compile(r"\?+(?=[\s)\"'.!,;:*_~]|$)")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Emoji: pictographs, symbols, dingbats, and the selector that draws one as an emoji ("☀️").
# Custom emoji are markup, cleaned away first.
_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\ufe0f"
_PICTOGRAPH = re.compile(f"[{_EMOJI}]")
# A character every markup pattern above needs ("www." aside): text with none is plain words.
_MARKUP_CHARACTERS = frozenset("`>|[<@:#*_~")

QUESTION_WORDS = frozenset(
    {"how", "what", "whats", "what's", "why", "when", "where", "which", "who", "whose", "whom"}
)
# These start a question only when a subject follows: "should i ..." but not "do 3 sets".
AUXILIARIES = frozenset(
    {
        "am", "was", "were", "do", "did", "can", "could", "should", "would", "will",
        "shall", "may", "might", "must", "has", "have", "had", "don't", "can't",
        "shouldn't", "won't",
    }
)  # fmt: skip
# These start a question whatever follows: "is squatting to parallel enough".
ASKING_AUXILIARIES = frozenset({"is", "are", "does", "isn't", "aren't", "doesn't"})
SUBJECTS = frozenset(
    {
        "i", "you", "we", "they", "it", "he", "she", "this", "that", "these", "those",
        "there", "my", "your", "our", "their", "a", "an", "the", "anyone", "anybody",
        "someone", "somebody", "any", "u", "ya",
    }
)  # fmt: skip
# Words people put before the question itself: "hey guys, quick question: ...".
FILLER = frozenset(
    {
        "hey", "hi", "hello", "yo", "hiya", "ok", "okay", "so", "um", "uh", "well", "guys",
        "all", "everyone", "folks", "team", "quick", "question", "q", "also", "and", "but",
        "sorry", "pls", "please", "noob", "dumb", "stupid",
    }
)  # fmt: skip
INTENT_CUES = (
    "how many", "how much", "how long", "how often", "how far", "how deep", "how heavy",
    "how do", "how does", "how should", "how to", "how can", "what is", "what's the",
    "whats the", "what are", "is it ok", "is it okay", "is it bad", "is it safe", "should i",
    "do i need", "any tips", "tips for", "tips on", "any advice", "advice on", "advice for",
    "help with", "form check", "difference between", "better for", "good for",
    "not sure if", "not sure how", "not sure whether", "wondering", "i wonder",
    "anyone know", "does anyone", "can someone", "can anyone", "someone explain",
)  # fmt: skip
# Who a greeting is for: "good morning gang" ("gm gang") greets, "good morning form" asks about
# the exercise.
AUDIENCE = frozenset(
    {
        "all", "everyone", "everybody", "guys", "gang", "folks", "team", "fam", "people",
        "yall", "y'all", "friends", "lads", "ladies", "boys", "girls", "squad", "peeps",
        "legends", "crew", "chat",
    }
)  # fmt: skip
_GREETING = (
    r"(?:(?:good\s+)?(?:morning|afternoon|evening)|gm)[\s,!.]+(?:"
    + "|".join(sorted(AUDIENCE))
    + ")"
)
# Emoji go with the greeting they follow ("morning all ☀️").
_LEADING_FILLER = re.compile(
    r"^(?:(?:" + "|".join([_GREETING, *sorted(FILLER)]) + r")\b[\s,:;!.\-–—" + _EMOJI + "]*)+",
    re.IGNORECASE,
)
_CUES = re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in INTENT_CUES) + r")\b")


def clean_message(text: str) -> str:
    """A Discord message reduced to the words a person reads, on one line.

    Quoted lines, code blocks, mentions, custom emoji, emoji shortcodes and URLs go; spoilers,
    inline code, masked links, headings and emphasis keep their words. Every way of asking
    (/ask, mentions, Find answer, auto-answer) reaches the engine through this
    (`question_text`, inside `AnswerIndex.answer`).
    """
    if _MARKUP_CHARACTERS.isdisjoint(text) and "www." not in text.lower():
        # (most questions, and any the engine reads again once cleaned)
        return " ".join(text.replace("\u2019", "'").split())
    return _without_markup(text)


def _without_markup(text: str) -> str:
    """clean_message of any text, pattern by pattern."""
    text = _CODE_BLOCK.sub(" ", text)
    text = _QUOTE_LINE.sub(" ", text)
    text = _SPOILER.sub(r" \1 ", text)
    text = _MASKED_LINK.sub(r" \1 ", text)
    text = _URL.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    text = _PING.sub(" ", text)
    text = _EMOJI_CODE.sub(" ", text)
    text = _INLINE_CODE.sub(r" \1 ", text)
    text = _HEADING_MARK.sub("", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.replace("\u2019", "'").split())


def question_text(text: str) -> str:
    """What to ask the engine: the cleaned message without the greeting in front ("hey
    guys, quick question:"), whose words the library does not know and would count against
    the answer's confidence. A greeting and nothing else asks nothing ("good morning all" is
    no Good Morning question)."""
    return _LEADING_FILLER.sub("", clean_message(text))


def looks_like_question(text: str) -> bool:
    """True when a message reads as a question (see the module's rules)."""
    cleaned = clean_message(text)
    if len(cleaned) > MAX_QUESTION_CHARS:
        return False
    lowered = cleaned.lower()
    words = _WORD.findall(lowered)
    if len(words) < MIN_WORDS:
        return False
    if _QUESTION_MARK.search(lowered):
        return True
    return _starts_like_a_question(words) or _CUES.search(" ".join(words)) is not None


def exclaims(text: str) -> bool:
    """True when a message exclaims ("!", an emoji): news and cheers, more often than asks."""
    cleaned = clean_message(text)
    return "!" in cleaned or _PICTOGRAPH.search(cleaned) is not None


def _starts_like_a_question(words: list[str]) -> bool:
    start = 0
    while start < len(words) - 1 and words[start] in FILLER:
        start += 1
    first = words[start]
    if first in QUESTION_WORDS or first in ASKING_AUXILIARIES:
        return True
    following = words[start + 1] if start + 1 < len(words) else ""
    return first in AUXILIARIES and following in SUBJECTS

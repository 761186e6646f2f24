"""Text normalisation: the build's shortcuts give what the plain pipeline gives."""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from pathlib import Path

import pytest

from bot.core.loader import load_knowledge
from bot.core.search.text import Normaliser, WordCache, default_vocabulary, stem, words

KNOWLEDGE = Path(__file__).parents[3] / "knowledge"


def words_by_regex(text: str) -> list[str]:
    """`words` as first written: lower case, apostrophes out, ASCII, runs of letters and digits."""
    text = text.lower().replace("'", "").replace("’", "").replace("`", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", text)


def test_words_splits_every_character_as_the_regex_does() -> None:
    characters = [chr(code) for code in range(128)] + ["’", "é", "ß", "\u00a0"]
    for character in characters:
        for text in (f"Ab{character}C9", f"{character}x", f"x{character}", character * 2):
            assert words(text) == words_by_regex(text), repr(text)
    rng = random.Random(9)
    for _ in range(2000):
        text = "".join(rng.choice(characters) for _ in range(rng.randint(0, 30)))
        assert words(text) == words_by_regex(text), repr(text)


def test_words_examples() -> None:
    assert words("Farmer’s Carry!") == ["farmers", "carry"]
    assert words("Don't lock the KNEES") == ["dont", "lock", "the", "knees"]
    assert words("Développé, 3x10") == ["developpe", "3x10"]
    assert words("") == []


def test_sets_by_reps_is_sets_and_reps() -> None:
    """ "3x8 or 5x3?" asks about sets and reps; "3x" alone is three times ("3x a week"), and
    a size ("1920x1080") is neither."""
    normaliser = Normaliser(default_vocabulary())
    assert normaliser.tokens("3x8 or 5x3 for push press") == normaliser.tokens(
        "sets reps or sets reps for push press"
    )
    assert normaliser.tokens("3x a week") == normaliser.tokens("3 times a week")
    assert normaliser.tokens("1920x1080") == ["1920x1080"]


def test_a_number_run_into_its_unit_is_the_number_and_the_unit() -> None:
    """ "60kg" is 60 kg (so a weight, a word the library knows), "30sec" 30 seconds; plates
    ("45s") and a one-rep max ("1rm") stay as typed."""
    normaliser = Normaliser(default_vocabulary())
    assert normaliser.tokens("is 60kg a lot") == normaliser.tokens("is 60 kg a lot")
    assert normaliser.tokens("hold 30sec") == normaliser.tokens("hold 30 sec")
    assert normaliser.tokens("45s and my 1rm") == ["45", "and", "my", "1rm"]


def test_a_contraction_is_its_words() -> None:
    """ "Why won't my calves grow?" and "why are my calves not growing" share their "not"."""
    normaliser = Normaliser(default_vocabulary())
    for short, long in (("won't", "will not"), ("isn't", "is not"), ("didnt", "did not")):
        assert normaliser.tokens(f"my knees {short} bend") == normaliser.tokens(
            f"my knees {long} bend"
        )
    assert "not" in normaliser.tokens("Why won't my calves grow?")


def test_ways_of_saying_one_thing_meet() -> None:
    """ "setup" and "set up", "the diff" and "different from", "different", "difference",
    "differences" and "compared", "as good as" and "better than", "alt" and "alternate", a
    "side lateral raise" and a "lateral raise", a reverse and a rear lunge read the same; "set"
    alone stays a set of reps; "the next step up" is a progression, not the step-up."""
    normaliser = Normaliser(default_vocabulary())
    assert normaliser.tokens("the cable setup") == normaliser.tokens("the cable set up")
    assert normaliser.tokens("whats the diff") == normaliser.tokens("whats the difference")
    assert "versus" in normaliser.tokens("how is it different from curls")
    assert normaliser.tokens("what is different") == normaliser.tokens("what is difference")
    for inflected in ("differences", "compared", "comparing", "comparison"):
        assert normaliser.tokens(f"any {inflected}") == normaliser.tokens("any difference")
    assert normaliser.tokens("alt hammer curls") == normaliser.tokens("alternate hammer curls")
    # "as good as" compares, as "better than" does; a plain "good" is still good.
    assert normaliser.tokens("as good as dips") == normaliser.tokens("better than dips")
    assert "versus" not in normaliser.tokens("is it good for beginners")
    assert normaliser.tokens("side lateral raise") == normaliser.tokens("lateral raise")
    assert normaliser.tokens("reverse lunges") == normaliser.tokens("rear lunge")
    assert "setup" not in normaliser.tokens("3 sets up to 12 reps")
    idiom = normaliser.tokens("whats the next step up")
    assert "progression" in idiom and "step" not in idiom


def test_gym_names_read_as_the_textbook_names() -> None:
    """Aussie pull-ups are inverted rows, an "arnie press" is the Arnold press, foam rolling
    is what pages call SMR (self-myofascial release), a Yates row is the reverse grip
    bent-over row, a rowing machine is the dataset's "Rowing, Stationary", a med ball a
    medicine ball, hypers hyperextensions, and no weight bodyweight."""
    normaliser = Normaliser(default_vocabulary())
    assert normaliser.tokens("aussie pullups") == normaliser.tokens("inverted row")
    assert normaliser.tokens("arnie press") == normaliser.tokens("arnold press")
    assert normaliser.tokens("foam rolling my quads") == normaliser.tokens("smr my quads")
    assert normaliser.tokens("yates rows") == normaliser.tokens("reverse grip bent-over row")
    assert normaliser.tokens("the rowing machine") == normaliser.tokens("the rowing, stationary")
    assert normaliser.tokens("exercise bike") == normaliser.tokens("bicycling, stationary")
    assert normaliser.tokens("med ball slams") == normaliser.tokens("medicine ball slams")
    assert normaliser.tokens("reverse hypers") == normaliser.tokens("reverse hyperextension")
    assert normaliser.tokens("lunges, no weight") == normaliser.tokens("lunges, bodyweight")


def test_having_none_of_a_thing_reads_as_going_without_it() -> None:
    """A gym that "doesn't have a hyperextension bench" has "no hyperextension bench", as a
    page name can say it, and so has one "with out" or "w/o" one; "you don't have to" says
    something is not needed."""
    normaliser = Normaliser(default_vocabulary())
    without = normaliser.tokens("no hyperextension bench")
    for said in (
        "my gym doesn't have a hyperextension bench",
        "my gym doesnt have the hyperextension bench",
        "we do not have any hyperextension bench",
        "hypers with out hyperextension bench",
        "hypers w/o hyperextension bench",
        "hypers w/out hyperextension bench",
    ):
        assert normaliser.tokens(said)[-3:] == without, said
    assert "without" not in normaliser.tokens("you don't have to lock out")


def test_body_positions_read_as_dataset_names_say_them() -> None:
    """Sitting down is seated, face down is prone, face up is supine, feet together is a narrow
    stance; "sit ups" stay sit-ups."""
    normaliser = Normaliser(default_vocabulary())
    assert normaliser.tokens("lateral raise sitting down") == normaliser.tokens(
        "lateral raise seated"
    )
    assert normaliser.tokens("face down incline curl") == normaliser.tokens("prone incline curl")
    assert normaliser.tokens("face up throw") == normaliser.tokens("supine throw")
    assert normaliser.tokens("leg press feet together") == normaliser.tokens(
        "leg press narrow stance"
    )
    assert normaliser.tokens("sit ups") == ["sit", "up"]


def test_on_knees_is_kneeling_and_above_the_head_is_overhead() -> None:
    """Names say "Rollout - On Knees" and "Raise Above Head" where members say "kneeling
    rollouts" and "raise overhead"; a bare knee stays a body part."""
    normaliser = Normaliser(default_vocabulary())
    assert normaliser.tokens("ab rollout - on knees") == normaliser.tokens("ab rollout kneeling")
    assert normaliser.tokens("rollouts on my knees") == normaliser.tokens("rollouts kneeling")
    assert normaliser.tokens("front raise above head") == normaliser.tokens("front raise overhead")
    assert normaliser.tokens("my knees hurt") == normaliser.tokens("my knee hurt")


def test_having_just_started_is_being_a_beginner() -> None:
    """ "someone who just started lifting" asks what "is it for beginners" asks; lifting there
    is no Log Lift."""
    normaliser = Normaliser(default_vocabulary())
    assert normaliser.tokens("ok for someone who just started lifting") == normaliser.tokens(
        "ok for someone who beginner"
    )
    assert "beginner" in normaliser.tokens("started working out last week")


def test_a_phrase_reads_chat_spellings_of_its_little_words() -> None:
    """ "wat is teh right way" asks what "what is the right way" asks; alone, "wat" is "what"."""
    normaliser = Normaliser(default_vocabulary())
    assert normaliser.tokens("wat is teh right way to squat") == normaliser.tokens(
        "what is the right way to squat"
    )
    assert normaliser.tokens("walk me thru rdls") == normaliser.tokens("walk me through rdls")
    assert normaliser.tokens("wat") == normaliser.tokens("what")
    # A phrase may span two texts at a spelled word: they are not expanded apart.
    assert not normaliser.seamless([["wat", "is"], ["teh", "right", "way"]])


def test_a_number_in_the_plural_is_the_number() -> None:
    """ "Landmine 180's" and "landmine 180" meet; "45s" are 45 lb plates."""
    assert [stem(word) for word in words("Landmine 180's, two 45s")] == [
        "landmin",
        "180",
        "two",
        "45",
    ]
    assert stem("3x10") == "3x10" and stem("abs") == "ab"


def test_a_word_and_its_inflections_meet() -> None:
    """Plurals of -ve and -ie words and the -ied past meet their word; -lves plurals still
    meet -lf ("calves" is the calf muscle)."""
    for forms in (
        ("move", "moves"),
        ("negative", "negatives"),
        ("sleeve", "sleeves"),
        ("calorie", "calories"),
        ("carry", "carries", "carried", "carrying"),
        ("calf", "calves"),
        ("half", "halves"),
    ):
        assert len({stem(word) for word in forms}) == 1, forms


PHRASE_TEXTS = [
    "how do i do a one leg step by step",
    "how how do i",  # a phrase starting inside a failed one
    "step by step by step",  # overlapping phrases: the first wins
    "it band at home in place",
    "use a resistance band for the lower back",
    "lower",  # a phrase's first word last
    "how to how",
    "side raises and side bridge then push down and pull down",
    "reps sets muscles exercises",  # one-word terms
    "which is",
    "wat is teh right way, hwo do u do it",  # chat spellings inside phrases
    "",
]


@pytest.fixture(scope="module")
def library_texts() -> list[str]:
    kb = load_knowledge(KNOWLEDGE)
    texts = []
    for page in kb.pages.values():
        texts += [page.name, page.summary, *(faq.question for faq in page.faq)]
        texts += [faq.answer for faq in page.faq]
        texts += [item.text for item in (*page.steps, *page.tips, *page.mistakes)]
        texts.append(" ".join(item.text for item in page.steps))
    return texts


def test_word_cache_stems_as_the_normaliser(library_texts: list[str]) -> None:
    normaliser = Normaliser(default_vocabulary())
    stopwords = normaliser.vocabulary.stopwords
    cache = WordCache(normaliser)
    for text in [*PHRASE_TEXTS, *library_texts, *PHRASE_TEXTS]:  # cached words the second time
        raw = words(text)
        expected = normaliser.stems(raw)
        assert cache.stems(raw) == expected, text
        assert cache.content(raw) == [t for t in expected if t not in stopwords], text


def test_phrases_are_what_expand_replaces() -> None:
    normaliser = Normaliser(default_vocabulary())
    raw = words("how do i keep my lower back flat, step by step")
    assert normaliser.phrases(raw) == [
        (0, 3, ("howto",)),
        (5, 7, ("lowerback",)),
        (8, 11, ("howto",)),
    ]
    assert normaliser.phrases(words("lower the bar")) == []


def test_a_word_read_as_more_words_reads_those_words_as_written() -> None:
    normaliser = Normaliser(default_vocabulary())
    assert normaliser.stems(words("smith machine squat")) == ["smith", "machin", "squat"]
    assert normaliser.stems(words("smith squat")) == ["smith", "machin", "squat"]
    growing = [
        value
        for key, value in normaliser.terms.items()
        if len(key) == 1 < len(value) and value[0] == key[0]
    ]
    assert growing  # "smith", "rep", "set"
    for value in growing:
        assert normaliser.expand(list(value)) == list(value)


def test_two_weights_read_as_the_words_data_sets_name_such_versions_with() -> None:
    normaliser = Normaliser(default_vocabulary())
    two = normaliser.stems(words("front two dumbbell raise"))
    for said in ("both dumbbells", "a pair of dumbbells", "2 dumbbells"):
        assert normaliser.stems(words(f"front raise with {said}"))[-2:] == two[1:3], said
    double = normaliser.stems(words("double kettlebell"))
    assert normaliser.stems(words("both kettlebells")) == double


def test_texts_without_a_term_across_a_seam_are_expanded_as_alone() -> None:
    normaliser = Normaliser(default_vocabulary())
    keys = sorted(normaliser.terms)
    rng = random.Random(4)
    seamless = 0
    for _ in range(5000):
        # Terms and words side by side, cut into pieces at random: often inside a term.
        joined = [word for _ in range(rng.randint(1, 4)) for word in rng.choice(keys)]
        cuts = sorted(rng.choices(range(len(joined) + 1), k=rng.randint(0, 3)))
        pieces = [joined[start:end] for start, end in itertools.pairwise([0, *cuts, len(joined)])]
        if normaliser.seamless(pieces):
            seamless += 1
            alone = [token for piece in pieces for token in normaliser.stems(piece)]
            assert normaliser.stems(joined) == alone, pieces
    assert 500 < seamless < 4500  # both kinds were tried
    assert not normaliser.seamless([["keep", "your", "lower"], [], ["back", "flat"]])
    assert normaliser.seamless([["keep", "your", "lower"], ["chest", "up"]])

"""Every tuning constant of the answer engine, in one place.

Learned weights live in ranker.json (fitted by `python -m bench.fit_ranker`); these are the
hand-set parts: how names are scored, which candidates the ranking sees, and when to answer.
"""

DEFAULT_MIN_CONFIDENCE = 0.5  # abstain below an even chance of naming the right exercise
# Platt scaling of a list answer's coverage into a confidence (lists are not learned).
LIST_CALIBRATION = (12.011, -5.808)
MAX_ALTERNATIVES = 5
# Below this share of its page's chance, the passage given is one of several the page may
# answer with: the next ones, each at least OTHER_PASSAGE_SHARE of it, come with it (`also`).
PASSAGE_SURE_SHARE = 0.6
OTHER_PASSAGE_SHARE = 0.1
MAX_OTHER_PASSAGES = 2
MAX_SUGGESTIONS = 3
MIN_SUGGESTION = 0.01  # below this chance a page is no suggestion, however little else fits
SUGGESTION_FLOOR = 0.1  # share of the chance a question is ours below which a page is noise
MAX_QUESTION_CHARS = 2000
ANSWER_CACHE_SIZE = 2048  # recent (question, threshold) pairs whose results are kept
# How often a spelling dictionary must have seen a word for it to be everyday English, which
# typo correction leaves alone ("heard" is meant, not "head"; "barbel", seen 50 times, is a
# slip for barbell).
EVERYDAY_COUNT = 500
LOOKUP_CUTOFF = 60  # WRatio below which a name is no suggestion for what was typed
NEAREST_NAMES = 5  # names offered when /exercise finds no page by the name typed
NEAREST_SHARE = 0.75  # ... each named at least this well relative to the nearest one

# Which exercise.
CANDIDATES = 24  # pages kept from the vector scoring, by name and by list fit
# People leave variant words out of a name more often than they add words no page explains.
NAME_EXPONENT = 0.35
ALIAS_SHARE = 0.97  # an alias is a nickname: the page's own name wins a tie
ATTRIBUTE_MATCH_SHARE = 0.5  # a word found in attributes explains half as much as one in a name
# Muscles and equipment said beside a named exercise are mostly context ("my knees hurt").
ATTRIBUTE_CONTEXT_SHARE = 0.25
UNKNOWN_PENALTY = 0.5  # a question of only words the library never uses loses half its score
LONG_QUESTION_WORDS = 20  # past this many words, a message is more rant than question
# Words that separate two exercises in one question: "X or Y", "X vs Y", "X if I do Y".
SEPARATORS = frozenset(
    {"or", "and", "if", "versus", "than", "instead", "substitute", "after", "before"}
)
MAX_PARTS = 3
SET_ASIDE_SHARE = 0.5  # a page named with a word the question sets aside ("not the sumo one")
PART_NAME_COVERAGE = 0.5  # a part must name at least this much of an exercise by itself
PART_SHARE = 0.97  # the whole question naming an exercise wins a tie with a part naming it

# What is asked.
PASSAGE_SHARE = 0.5  # how much the passage's fit decides; the rest is how well the page was named
FIT_FLOOR = 0.35  # any page answers "what is it": a poor fit costs confidence only below this
SECTION_PRIOR = {"quick": 0.15, "attributes": 0.2, "how_to": 0.15, "tips": 0.1, "mistakes": 0.1}
SECTION_CUE_FIT = 0.85
STRONG_CUE, WEAK_CUE = 1.0, 0.35
SPECIFIC_INTENTS = ("tips", "mistakes")  # "form mistakes" asks for mistakes, not the steps
HOW_TO_ASIDE = 0.6  # how_to's strength beside a narrower ask (SPECIFIC_INTENTS, "how wide")
NAME_WORD_DISCOUNT = 0.3  # in FAQ matching, the exercise's own name says little about the ask
FAQ_INTENT_BONUS = 0.3
HOW_OPENER = "howto"  # the token "how", "how do I"... become (vocabulary.yaml)
FAQ_ATTRIBUTE_FIT = 0.9  # an FAQ about muscles/equipment/difficulty beats the bare attributes

# Candidates for the learned ranking (ranking.py).
NAME_CANDIDATES = 10  # pages the question names best
PASSAGE_CANDIDATES = 40  # passages that share the question's words best
# 12 rather than 16 (--cv over 5,095 questions): lower held-out loss in every fold, 11 more
# right, 1 fewer wrong; a quarter fewer candidates to score.
MAX_CANDIDATE_PAGES = 12
NAME_SCORE_FLOOR = 0.01  # a page found by its passages alone, in the log of the name score
SCOPE_LIFT_CAP = 4.0  # summed scope-word log-odds past this say no more: the feature is sum / cap
ONE_HOT_SECTIONS = ("faq", "how_to", "tips", "mistakes", "quick", "attributes", "related")
FAQ, QUICK = ONE_HOT_SECTIONS.index("faq"), ONE_HOT_SECTIONS.index("quick")
# Ambiguity: versions of one exercise, each at least this likely, together above the threshold.
AMBIGUOUS_FLOOR = 0.05
AMBIGUOUS_SHARE = 0.33  # ... and each at least this share of the likeliest: they fit about equally
MAX_AMBIGUOUS = 10

# Lists of exercises.
LIST_SIZE = 8
LIST_NAME_COVERAGE = 0.75  # a question naming this much of an exercise is about that exercise
SECONDARY_MUSCLE_SHARE = 0.5  # a secondary muscle matches half as well as the target

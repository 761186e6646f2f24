"""A library of real exercises for blind benchmarks: `python -m bench.dataset_library OUT_DIR`.

Reads the public-domain free-exercise-db data file (873 exercises; see
../shared/datasets/free-exercise-db/README.md beside the repository) at benchmark time and
writes one Markdown page per exercise in the shape of a real library page: title, quick answer
with attribute bullets, numbered steps, Pro tips and Common mistakes on about half of the
pages, templated FAQ entries on every page plus hand-style ones on about 40%, related links and
a footer. The data file is never copied into the repository. Output depends only on the data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATASET = (
    Path(__file__).resolve().parents[2] / "shared/datasets/free-exercise-db/exercises.json"
)
SITE = "https://library.example"
FOOTER = f"Build your next training block with the [Exercise Library]({SITE})."

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_LEADING_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+")

BODY_PARTS: dict[str, str] = {
    "calves": "Legs",
    "quadriceps": "Legs",
    "hamstrings": "Legs",
    "glutes": "Legs",
    "adductors": "Legs",
    "abductors": "Legs",
    "chest": "Chest",
    "lats": "Back",
    "middle back": "Back",
    "lower back": "Back",
    "traps": "Back",
    "shoulders": "Shoulders",
    "biceps": "Arms",
    "triceps": "Arms",
    "forearms": "Arms",
    "abdominals": "Core",
    "neck": "Neck",
}
EQUIPMENT_NAMES: dict[str | None, str] = {
    None: "Body Weight",
    "body only": "Body Weight",
    "bands": "Resistance Band",
    "kettlebells": "Kettlebell",
    "e-z curl bar": "EZ Bar",
}
# Equipment attribute -> how prose names it ("... using <phrase>").
EQUIPMENT_PHRASES: dict[str, str] = {
    "Body Weight": "just your body weight",
    "Barbell": "a barbell",
    "Dumbbell": "dumbbells",
    "Cable": "a cable machine",
    "Machine": "a machine",
    "Kettlebell": "a kettlebell",
    "Resistance Band": "a resistance band",
    "Medicine Ball": "a medicine ball",
    "Exercise Ball": "an exercise ball",
    "Foam Roll": "a foam roller",
    "EZ Bar": "an EZ bar",
    "Other": "other equipment",
}


@dataclass(frozen=True, slots=True)
class Exercise:
    name: str
    slug: str
    level: str  # beginner, intermediate, expert
    category: str  # lower case, as in the data
    equipment: str  # the Equipment attribute
    target: str  # lower case primary muscle
    secondary: tuple[str, ...]  # lower case
    force: str | None
    mechanic: str | None
    steps: tuple[str, ...]

    @property
    def body_part(self) -> str:
        return BODY_PARTS.get(self.target, "Full Body")

    @property
    def static(self) -> bool:
        return self.force == "static"


def slugify(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def title(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def pluralise(name: str) -> str:
    """Naive plural of a lower-cased name: the head noun before 'with', 'over', '(' and the like."""
    head, sep, tail = name, "", ""
    for marker in (" (", " - ", " with ", " over ", " on ", " off ", " from ", " to "):
        before, found, after = name.partition(marker)
        if not found or (marker == " to " and " " not in before):
            continue  # 'side to side chins' keeps its last word as the noun
        if marker == " (" and not name.endswith(")"):
            continue  # 'machine shoulder (military) press'
        head, sep, tail = before, found, after
        break
    if head.endswith(("ss", "sh", "ch", "x")):
        head += "es"
    elif head.endswith("s"):
        pass
    elif len(head) > 1 and head.endswith("y") and head[-2] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return head + sep + tail


def bucket(slug: str, salt: str, size: int = 100) -> int:
    """A stable number in [0, size) for a page, independent of Python's hash seed."""
    digest = hashlib.sha256(f"{salt}:{slug}".encode()).hexdigest()
    return int(digest[:12], 16) % size


def clean_steps(instructions: Sequence[str]) -> tuple[str, ...]:
    steps = []
    for raw in instructions:
        text = " ".join(_LEADING_NUMBER.sub("", raw).split())
        if text:
            steps.append(text)
    return tuple(steps)


def to_exercise(record: dict) -> Exercise:
    equipment = record.get("equipment")
    shown = EQUIPMENT_NAMES[equipment] if equipment in EQUIPMENT_NAMES else title(str(equipment))
    primary = [m.lower() for m in record.get("primaryMuscles") or []]
    name = " ".join(str(record["name"]).split())
    return Exercise(
        name=name,
        slug=slugify(name),
        level=str(record.get("level") or "beginner").lower(),
        category=str(record.get("category") or "strength").lower(),
        equipment=shown,
        target=primary[0] if primary else "full body",
        secondary=tuple(m.lower() for m in record.get("secondaryMuscles") or []),
        force=record.get("force"),
        mechanic=record.get("mechanic"),
        steps=clean_steps(record.get("instructions") or []),
    )


# -- pools for tips and mistakes ------------------------------------------------------------

TIPS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "strength": (
        "Control the lowering phase for two to three seconds instead of dropping into it.",
        "Use a full range of motion that you can own without pain or compensation.",
        "Pick a load that leaves one or two clean reps in reserve at the end of each set.",
        "Exhale through the hardest part of the rep and breathe in as you return.",
        "Add weight or reps gradually from week to week rather than all at once.",
    ),
    "stretching": (
        "Breathe slowly and never bounce into the stretch.",
        "Ease in until you feel mild tension, then hold; the stretch should never be painful.",
        "Hold each position for 20-30 seconds and repeat two or three times.",
        "Relax the muscle you are stretching; tensing it fights the stretch.",
        "Stretch when you are warm, for example after training or a short walk.",
    ),
    "plyometrics": (
        "Land softly with bent knees and hips, as quietly as you can.",
        "Reset between reps so every one is fast and crisp.",
        "Stop the set as soon as your height, distance or speed drops off.",
        "Do this early in a session, after a warm-up and while you are fresh.",
        "Keep your knees tracking over your toes on every take-off and landing.",
    ),
    "powerlifting": (
        "Take a big breath and brace your core before each rep.",
        "Set up the same way every time: feet, grip, breath, then lift.",
        "Warm up with several lighter sets before your working weight.",
        "Keep the bar path close to your body and as straight as possible.",
        "Film a set from the side now and then to check your positions.",
    ),
    "olympic weightlifting": (
        "Keep the bar close to your body through the whole pull.",
        "Drill the movement with an empty bar or a PVC pipe before adding load.",
        "Finish the extension through hips, knees and ankles before pulling under.",
        "Keep reps low (one to three) so every rep is fast and technically sharp.",
        "Use bumper plates and a platform so you can bail out safely.",
    ),
    "strongman": (
        "Brace hard and keep a neutral spine before the implement leaves the floor.",
        "Chalk your hands; grip is often what fails first.",
        "Practise the event with light loads before training it heavy.",
        "Take short, quick steps when moving with the implement.",
        "Clear the area around you and have a spotter when loads get heavy.",
    ),
    "cardio": (
        "Start at an easy pace for five minutes before picking up the intensity.",
        "Keep a pace where you could still speak in short sentences for steady sessions.",
        "Increase total time by no more than about ten percent a week.",
        "Stay relaxed through your shoulders and hands.",
        "Alternate harder and easier days instead of going all out every session.",
    ),
}
TIPS_BY_EQUIPMENT: dict[str, tuple[str, ...]] = {
    "Barbell": (
        "Brace your core before each rep.",
        "Grip the bar evenly; check that your hands sit the same distance from the centre.",
        "Use collars so the plates cannot slide during the set.",
    ),
    "Dumbbell": (
        "Move both dumbbells at the same speed so one side does not take over.",
        "Start with your weaker side on one-arm work and match the reps on the other.",
        "Pick dumbbells you can control at the bottom of the range, not just the top.",
    ),
    "Cable": (
        "Set the pulley height so the cable pulls in line with the working muscle.",
        "Keep tension on the cable at the end of each rep; do not let the stack touch down.",
        "Step far enough from the stack that the weight never rests between reps.",
    ),
    "Machine": (
        "Adjust the seat and pads so the joint lines up with the machine's pivot.",
        "Move through the full range the machine allows without slamming the stack.",
        "Note your seat settings so every session starts from the same setup.",
    ),
    "Kettlebell": (
        "Grip the handle firmly but keep the forearm relaxed enough to let the bell move.",
        "Drive the movement with your hips, not your arms, on ballistic reps.",
        "Master the movement with a light bell before moving up a size.",
    ),
    "Resistance Band": (
        "Check the band for nicks or tears before each session.",
        "Anchor the band securely so it cannot slip during the set.",
        "Control the return; the band pulls hardest at the end of the range.",
    ),
    "Body Weight": (
        "Make it harder with a slower tempo before adding load.",
        "Keep your body in one straight line unless the movement calls for bending.",
    ),
    "EZ Bar": (
        "Use the angled grips to keep your wrists comfortable.",
        "Keep your elbows still so the target muscle does the work.",
    ),
    "Medicine Ball": (
        "Pick a ball light enough that you can move it fast.",
        "Throw against a solid wall or to a partner, never toward people nearby.",
    ),
    "Exercise Ball": (
        "Use a ball sized so your hips and knees sit at about ninety degrees when seated.",
        "Place the ball on a non-slip surface before you start.",
    ),
    "Foam Roll": (
        "Roll slowly, about one inch per second, and pause on tender spots.",
        "Keep breathing and let the muscle relax onto the roller.",
        "Avoid rolling directly over joints and bones.",
    ),
}
TIPS_STATIC_STRENGTH: tuple[str, ...] = (
    "Keep breathing steadily during the hold instead of holding your breath.",
    "End each hold while your position is still clean, not when it has fallen apart.",
    "Build up hold time in small steps of five to ten seconds.",
)

MISTAKES_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "strength": (
        "Using so much weight that momentum does the work.",
        "Cutting the range of motion short to lift more.",
        "Rushing the lowering phase.",
        "Holding your breath for the whole set.",
        "Skipping a warm-up set before working weight.",
    ),
    "stretching": (
        "Bouncing in and out of the stretch.",
        "Forcing the position until it hurts.",
        "Holding your breath instead of breathing slowly.",
        "Stretching cold muscles with no warm-up.",
        "Rushing through the hold in a few seconds.",
    ),
    "plyometrics": (
        "Landing stiff-legged with locked knees.",
        "Letting the knees cave inward on landing.",
        "Doing too many reps, so speed and height drop off.",
        "Training plyometrics when already fatigued.",
        "Jumping on a slippery or uneven surface.",
    ),
    "powerlifting": (
        "Losing the brace halfway through the rep.",
        "Letting the bar drift away from your body.",
        "Jumping to heavy singles without enough warm-up sets.",
        "Changing your setup from rep to rep.",
    ),
    "olympic weightlifting": (
        "Pulling with the arms too early instead of finishing the hip extension.",
        "Letting the bar swing away from the body.",
        "Adding weight before the technique is consistent.",
        "Doing high-rep sets where technique breaks down.",
    ),
    "strongman": (
        "Rounding the back when picking up the implement.",
        "Starting heavy without practising the event light first.",
        "Taking long, slow steps that let the load swing.",
        "Neglecting grip, so the set ends before the legs are tired.",
    ),
    "cardio": (
        "Starting too fast and fading halfway through.",
        "Increasing time or distance too quickly from week to week.",
        "Skipping the warm-up and cool-down.",
        "Going hard every session with no easy days.",
    ),
}
MISTAKES_BY_EQUIPMENT: dict[str, tuple[str, ...]] = {
    "Barbell": (
        "Gripping the bar unevenly so one side works harder.",
        "Lifting without collars on the bar.",
    ),
    "Dumbbell": (
        "Letting the dumbbells drift apart or clank together at the top.",
        "Using a heavier dumbbell than you can control at the bottom.",
    ),
    "Cable": (
        "Letting the weight stack rest between reps.",
        "Leaning the whole body to move the cable.",
    ),
    "Machine": (
        "Skipping the seat and pad adjustment.",
        "Letting the weight stack slam down between reps.",
    ),
    "Kettlebell": (
        "Lifting with the arms instead of driving with the hips.",
        "Letting the bell flip over and hit the wrist.",
    ),
    "Resistance Band": (
        "Letting the band snap back instead of controlling the return.",
        "Using a worn or torn band.",
    ),
    "Body Weight": ("Letting the hips sag or pike out of line.",),
    "Medicine Ball": ("Using a ball too heavy to move quickly.",),
    "Exercise Ball": ("Using a ball that is over- or under-inflated.",),
    "Foam Roll": (
        "Rolling too fast to let the muscle relax.",
        "Rolling directly over the joints.",
    ),
}
MISTAKES_STATIC_STRENGTH: tuple[str, ...] = (
    "Holding your breath during the hold.",
    "Continuing the hold after your position has broken down.",
)


def pick(pool: Sequence[str], count: int, rng: random.Random) -> list[str]:
    unique = list(dict.fromkeys(pool))
    return rng.sample(unique, min(count, len(unique)))


def _bullets(ex: Exercise, salt: str, by_equipment, by_category, static) -> list[str]:
    """Two or three bullets from the pools that fit this exercise, chosen by its slug."""
    equipment_fits = ex.category in ("strength", "powerlifting") or ex.equipment in (
        "Foam Roll",
        "Medicine Ball",
    )
    pool = list(by_equipment.get(ex.equipment, ())) if equipment_fits else []
    if ex.category == "strength" and ex.static:
        pool = [*static, *(item for item in pool if "rep" not in item)]
    else:
        pool += by_category.get(ex.category, by_category["strength"])
    rng = random.Random(bucket(ex.slug, f"{salt}-choice", 1 << 30))
    return pick(pool, 2 + bucket(ex.slug, f"{salt}-count", 2), rng)


def tips_for(ex: Exercise) -> list[str]:
    return _bullets(ex, "tips", TIPS_BY_EQUIPMENT, TIPS_BY_CATEGORY, TIPS_STATIC_STRENGTH)


def mistakes_for(ex: Exercise) -> list[str]:
    return _bullets(
        ex, "mistakes", MISTAKES_BY_EQUIPMENT, MISTAKES_BY_CATEGORY, MISTAKES_STATIC_STRENGTH
    )


# -- hand-style FAQ ---------------------------------------------------------------------------

HIGH_REP_MUSCLES = frozenset({"calves", "forearms", "abdominals", "neck"})
LARGE_MUSCLES = frozenset(
    {"quadriceps", "hamstrings", "glutes", "chest", "lats", "middle back", "lower back"}
)
AT_HOME: dict[str, str] = {
    "Body Weight": "Yes. It needs no equipment, only enough floor space to move freely.",
    "Dumbbell": (
        "Yes, if you have a pair of dumbbells. Adjustable dumbbells save space and let you "
        "progress the load over time."
    ),
    "Kettlebell": "Yes. One or two kettlebells and a little floor space are all you need.",
    "Resistance Band": (
        "Yes. Bands are cheap, light and easy to anchor to a door or a sturdy post."
    ),
    "Barbell": (
        "Only with a home gym: you need a barbell and plates, and for heavy pressing or squatting "
        "a rack with safety bars. Dumbbells are the usual substitute at home."
    ),
    "EZ Bar": (
        "Yes, if you own an EZ bar and a few plates. A pair of dumbbells works as a substitute."
    ),
    "Cable": (
        "Not as written, since it needs a cable station. A resistance band anchored at the same "
        "height copies the line of pull well enough for home training."
    ),
    "Machine": (
        "Usually not, since it needs the machine. A free-weight or band version of the same "
        "movement is the practical home substitute."
    ),
    "Medicine Ball": (
        "Yes, with a medicine ball and a solid wall or enough open space to throw safely."
    ),
    "Exercise Ball": "Yes. An exercise ball is inexpensive and all the equipment this needs.",
    "Foam Roll": "Yes. A foam roller and a little floor space are enough.",
    "Other": (
        "It depends on the equipment the exercise uses. Check the setup in the steps above; if "
        "you do not have it, pick a variation that uses what you own."
    ),
}
INSTEAD_OF: dict[str, tuple[str, str]] = {
    "Barbell": (
        "a barbell",
        "Dumbbells are the easiest swap: they allow a similar movement and let each side work "
        "on its own. A Smith machine or heavy resistance bands also work.",
    ),
    "Dumbbell": (
        "dumbbells",
        "Kettlebells, resistance bands or a cable station with a single handle can all replace "
        "dumbbells. At home, filled water jugs or a loaded backpack work for light sets.",
    ),
    "Cable": (
        "a cable machine",
        "A resistance band anchored at the same height is the closest match. Dumbbells work "
        "too, though the resistance curve is different.",
    ),
    "Machine": (
        "a machine",
        "A free-weight version of the movement with dumbbells or a barbell trains the same "
        "muscles; it demands more balance, so start lighter.",
    ),
    "Kettlebell": (
        "a kettlebell",
        "A dumbbell held by one end is the usual substitute for most kettlebell exercises.",
    ),
    "Resistance Band": (
        "a resistance band",
        "A cable station gives the same kind of pull with more precise loading. Light dumbbells "
        "work for many band exercises as well.",
    ),
    "EZ Bar": (
        "an EZ bar",
        "A straight barbell or a pair of dumbbells works; dumbbells let you pick a wrist "
        "position that feels comfortable.",
    ),
    "Medicine Ball": (
        "a medicine ball",
        "A sandbag, a slam ball or a light dumbbell held with both hands can stand in, but only "
        "throw implements built to be thrown.",
    ),
    "Exercise Ball": (
        "an exercise ball",
        "A flat bench or the floor works for most exercise-ball movements, although you lose "
        "the balance challenge.",
    ),
    "Foam Roll": (
        "a foam roller",
        "A lacrosse ball, a tennis ball or a rolling pin can do the same job on smaller areas.",
    ),
}
FREQUENCY: dict[str, str] = {
    "large": (
        "Two sessions a week is a good target for most people. Leave 48-72 hours between hard "
        "sessions for the {target} so they can recover."
    ),
    "small": (
        "The {target} recover fairly quickly, so two or three sessions a week works well. Count "
        "the indirect work they get from compound lifts too."
    ),
    "high": (
        "The {target} tolerate frequent training: three or four short sessions a week is fine "
        "as long as they are not sore going in."
    ),
}
BODY_PART_FAQ: dict[str, tuple[str, str]] = {
    "Core": (
        "Will the {name} give me a six pack?",
        "Not on its own. The {name} strengthens the {target}, but visible abs depend mostly on "
        "body fat, which is set by diet and overall activity.",
    ),
    "Legs": (
        "Is the {name} bad for your knees?",
        "Not when done with good form and a sensible load. Keep the knees tracking over the toes "
        "and work in a pain-free range; if your knees hurt, reduce the range or load.",
    ),
    "Back": (
        "Is the {name} safe for your lower back?",
        "Yes, with a neutral spine and a braced core. Start light, stop before your form breaks "
        "down, and see a professional if you have an existing back injury.",
    ),
    "Chest": (
        "How do you feel the {name} more in your chest?",
        "Slow the lowering phase, keep your shoulder blades pulled back and down, and think "
        "about squeezing the chest at the end of each rep rather than just moving the weight.",
    ),
    "Shoulders": (
        "Is the {name} safe for your shoulders?",
        "For healthy shoulders, yes. Warm up first, work in a pain-free range and progress the "
        "load slowly; sharp or pinching pain means stop and adjust.",
    ),
    "Arms": (
        "Should you train {target} to failure?",
        "Occasionally, on the last set of an isolation exercise like this one. Most sets should "
        "stop one or two reps short of failure so you can recover and keep good form.",
    ),
    "Neck": (
        "Is it safe to train your neck?",
        "Yes, with light loads, slow controlled reps and no jerking. Start with body weight or "
        "very light resistance and build up over several weeks.",
    ),
}


def faq_reps(ex: Exercise) -> tuple[str, str] | None:
    name, plural = ex.name, pluralise(ex.name.lower())
    if ex.category == "stretching":
        if ex.equipment == "Foam Roll":
            return (
                f"How long should you foam roll your {ex.target}?",
                "Spend 30-90 seconds on each area, rolling slowly and pausing on tender spots. "
                "More time is not better; stop if the pain is sharp.",
            )
        return (
            f"How long should you hold the {name}?",
            "Hold for 20-30 seconds per side and repeat two or three times. For very tight "
            "areas you can build up to 60 seconds, breathing slowly throughout.",
        )
    if ex.category == "cardio":
        return (
            f"How long should a {name} session be?",
            "Twenty to forty minutes at a steady pace suits most people. Beginners can start "
            "with 10-15 minutes and add a few minutes each week.",
        )
    if ex.static:
        return (
            f"How long should you hold the {name}?",
            "Start with three holds of 20-30 seconds and add five to ten seconds as your form "
            "stays solid. Quality beats duration.",
        )
    if ex.category == "plyometrics":
        return (
            f"How many reps should you do for {plural}?",
            "Keep sets short: three to five sets of three to six explosive reps with 60-90 "
            "seconds of rest. Stop when height or speed drops.",
        )
    if ex.category == "olympic weightlifting":
        return (
            f"How many reps should you do for {plural}?",
            "Keep reps low, one to three per set for three to six sets, so every rep is fast "
            "and technically sharp.",
        )
    if ex.category == "powerlifting":
        return (
            f"How many reps should you do for {plural}?",
            "For strength, three to five sets of one to five reps with long rests. Lighter "
            "volume work of six to ten reps helps build the muscle behind it.",
        )
    if ex.category == "strongman":
        return (
            f"How should you program the {name}?",
            "Train it in short, heavy efforts: for example three to five sets of three to five "
            "reps, or 20-40 metre runs for carries and drags, with two to three minutes of rest.",
        )
    if ex.target in HIGH_REP_MUSCLES:
        return (
            f"How many reps should you do for {plural}?",
            f"The {ex.target} respond well to higher reps. Aim for three sets of 15-25 reps "
            "with a controlled tempo and a short pause at the hardest point.",
        )
    return (
        f"How many reps should you do for {plural}?",
        "For muscle growth, three or four sets of 8-12 reps with a weight that leaves one or two "
        "reps in reserve. For strength, use heavier sets of four to six reps.",
    )


def faq_frequency(ex: Exercise) -> tuple[str, str] | None:
    if ex.category == "cardio" or ex.target == "full body":
        return None
    if ex.category == "stretching":
        return (
            f"How often should you stretch your {ex.target}?",
            f"Most days is fine. Short daily sessions improve flexibility of the {ex.target} "
            "faster than one long session a week.",
        )
    if ex.target in LARGE_MUSCLES:
        kind = "large"
    elif ex.target in HIGH_REP_MUSCLES:
        kind = "high"
    else:
        kind = "small"
    return f"How often should you train {ex.target}?", FREQUENCY[kind].format(target=ex.target)


def faq_at_home(ex: Exercise) -> tuple[str, str] | None:
    if ex.category in ("olympic weightlifting", "strongman"):
        return None
    return f"Can you do the {ex.name} at home?", AT_HOME[ex.equipment]


def faq_instead(ex: Exercise) -> tuple[str, str] | None:
    if ex.equipment not in INSTEAD_OF:
        return None
    phrase, answer = INSTEAD_OF[ex.equipment]
    return f"What can I use instead of {phrase}?", answer


def faq_body_part(ex: Exercise) -> tuple[str, str] | None:
    if ex.category == "stretching":
        return (
            f"Should you do the {ex.name} before or after a workout?",
            "After a workout or as a separate session works best. Before training, a short "
            "dynamic warm-up prepares you better than long static holds.",
        )
    if ex.category == "plyometrics":
        return (
            f"Should you do the {ex.name} before or after lifting?",
            "Before lifting, right after your warm-up, while you are fresh. Explosive work done "
            "tired is slower and riskier.",
        )
    if ex.category == "olympic weightlifting":
        return (
            f"Do you need a coach to learn the {ex.name}?",
            "It helps a lot. The lift is technical, and a few sessions with a qualified coach "
            "or careful video review will save months of ingrained mistakes.",
        )
    if ex.category == "cardio":
        return None
    template = BODY_PART_FAQ.get(ex.body_part)
    if template is None:
        return None
    question, answer = template
    if ex.body_part == "Arms" and ex.mechanic != "isolation":
        return None
    return (
        question.format(name=ex.name, target=ex.target),
        answer.format(name=ex.name, target=ex.target),
    )


HAND_FAQ = (faq_reps, faq_frequency, faq_at_home, faq_instead, faq_body_part)


def hand_faq(ex: Exercise) -> list[tuple[str, str]]:
    if bucket(ex.slug, "hand-faq") >= 40:
        return []
    candidates = [entry for entry in (make(ex) for make in HAND_FAQ) if entry is not None]
    rng = random.Random(bucket(ex.slug, "hand-faq-choice", 1 << 30))
    count = 1 + bucket(ex.slug, "hand-faq-count", 3)
    chosen = set(rng.sample(range(len(candidates)), min(count, len(candidates))))
    return [entry for index, entry in enumerate(candidates) if index in chosen]


# -- the page -----------------------------------------------------------------------------------


def movement_sentence(ex: Exercise) -> str:
    mechanic = {"compound": "compound", "isolation": "isolation"}.get(ex.mechanic or "")
    force = {"push": "pushing", "pull": "pulling"}.get(ex.force or "")
    if ex.static:
        return "It is a static exercise: you hold a position rather than move through reps."
    if mechanic and force:
        return f"It is {article(mechanic)} {mechanic} {force} movement."
    if mechanic:
        return f"It is {article(mechanic)} {mechanic} movement."
    if force:
        return f"It is a {force} movement."
    return ""


def quick_answer(ex: Exercise) -> str:
    level, category = ex.level, ex.category
    equipment = EQUIPMENT_PHRASES.get(ex.equipment, ex.equipment.lower())
    first = (
        f"The {ex.name.lower()} is {article(level)} {level} {category} exercise for the "
        f"{ex.target} using {equipment}."
    )
    templated_equipment = ex.equipment.lower()
    if ex.equipment == "Other":
        templated_equipment = "other equipment"
    templated = (
        f"{level.capitalize()} {ex.body_part.lower()} exercise using {templated_equipment}. "
        f"Targets {ex.target}"
    )
    templated += f", also works {', '.join(ex.secondary)}." if ex.secondary else "."
    return " ".join(part for part in (first, movement_sentence(ex), templated) if part)


def muscles_answer(ex: Exercise) -> str:
    if ex.secondary:
        works = (
            f"The {ex.name} primarily targets the {ex.target}, with secondary activation in the "
            f"{', '.join(ex.secondary)}."
        )
    else:
        works = f"The {ex.name} primarily targets the {ex.target}."
    return (
        f"{works} It's classified as {article(ex.category)} {ex.category} exercise for the "
        f"{ex.body_part.lower()}."
    )


def beginner_answer(ex: Exercise) -> str:
    if ex.level == "beginner":
        return (
            f"Yes. The {ex.name} is rated as beginner, so it is a good place to start. Use a "
            "light load and focus on clean, controlled reps before progressing."
        )
    if ex.level == "intermediate":
        return (
            f"The {ex.name} is rated as intermediate. Beginners should build a base of "
            f"{ex.target} strength with easier variations first."
        )
    return (
        f"The {ex.name} is rated as expert, so it is not a beginner exercise. Master simpler "
        f"{ex.target} exercises and build strength and technique before trying it."
    )


def render_page(ex: Exercise, written_faq: Sequence[tuple[str, str]] = ()) -> str:
    """The page; `written_faq` (hand-written entries) come first in its FAQ."""
    lines = [f"# {ex.name}", "", "## Quick answer", "", quick_answer(ex), ""]
    lines += [
        f"- **Body Part:** {ex.body_part}",
        f"- **Equipment:** {ex.equipment}",
        f"- **Target Muscle:** {title(ex.target)}",
    ]
    if ex.secondary:
        lines.append(f"- **Secondary Muscles:** {', '.join(title(m) for m in ex.secondary)}")
    lines += [
        f"- **Difficulty:** {title(ex.level)}",
        f"- **Category:** {title(ex.category)}",
        "",
        "---",
        "",
    ]
    if ex.steps:
        lines += ["## How to perform", ""]
        lines += [f"{number}. {step}" for number, step in enumerate(ex.steps, 1)]
        lines.append("")
    if bucket(ex.slug, "tips") < 50:
        lines += ["## Pro tips", "", *(f"- {tip}" for tip in tips_for(ex)), ""]
    if bucket(ex.slug, "mistakes") < 50:
        lines += ["## Common mistakes", "", *(f"- {m}" for m in mistakes_for(ex)), ""]
    lines += ["## FAQ", ""]
    faq = [
        *written_faq,
        *hand_faq(ex),
        (f"What muscles does the {ex.name} work?", muscles_answer(ex)),
        (f"Is the {ex.name} good for beginners?", beginner_answer(ex)),
    ]
    for question, answer in faq:
        lines += [f"### {question}", "", answer, ""]
    equipment_slug = slugify(ex.equipment)
    lines += [
        "## Related exercises",
        "",
        f"- [More {ex.body_part} Exercises]({SITE}/exercises/{slugify(ex.body_part)})",
        f"- [More {ex.equipment} Exercises]({SITE}/exercises/equipment/{equipment_slug})",
        f"- [More {title(ex.target)} Exercises]({SITE}/exercises/muscle/{slugify(ex.target)})",
        "",
        "---",
        "",
        FOOTER,
        "",
    ]
    return "\n".join(lines)


def load_exercises(dataset: Path = DEFAULT_DATASET) -> list[Exercise]:
    if not dataset.is_file():
        raise FileNotFoundError(
            f"free-exercise-db data file not found: {dataset} "
            "(expected shared/datasets/free-exercise-db/exercises.json beside the repository)"
        )
    records = json.loads(dataset.read_text(encoding="utf-8"))
    if not isinstance(records, list):
        raise ValueError(f"{dataset}: expected a JSON array of exercises")
    return [to_exercise(record) for record in records]


def build_library(
    out_dir: Path,
    dataset: Path = DEFAULT_DATASET,
    written_faq: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> int:
    """Writes one page per exercise into out_dir; returns how many pages were written.

    `written_faq` maps an exercise name, as the data spells it, to hand-written FAQ entries.
    """
    written_faq = written_faq or {}
    exercises = load_exercises(Path(dataset))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    for exercise in exercises:
        slug = exercise.slug
        if slug in written:  # never overwrite: a second page with the same slug is dropped
            continue
        page = render_page(exercise, written_faq.get(exercise.name, ()))
        (out / f"{slug}.md").write_text(page, encoding="utf-8", newline="\n")
        written.add(slug)
    return len(written)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    args = parser.parse_args(argv)
    try:
        count = build_library(args.out_dir, args.dataset)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {count} pages to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

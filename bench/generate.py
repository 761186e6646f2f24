"""Synthetic exercise libraries for benchmarks: `python -m bench.generate OUT_DIR N [--seed S]`.

Pages follow the shape of a real library page (title, quick answer with attribute bullets,
steps, tips, mistakes, FAQ, related links, footer) and are as uneven as real ones: many lack
tips or mistakes, FAQ sections hold 2 to 7 entries, some templated and some written by hand,
and a few pages carry front matter with aliases. The output depends only on N and the seed.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SITE = "https://spotter.example"
FOOTER = f"Plan your next training block with [Spotter]({SITE})."


@dataclass(frozen=True, slots=True)
class Family:
    """A movement: the last words of an exercise name and what it trains."""

    name: str
    plural: str
    body_part: str
    target: str
    secondary: tuple[str, ...]
    equipment: tuple[str, ...]
    positions: tuple[str, ...]
    stances: tuple[str, ...]
    category: str = "Strength"
    base_difficulty: int = 1  # 0 beginner, 1 intermediate, 2 advanced


@dataclass(frozen=True, slots=True)
class Exercise:
    name: str
    slug: str
    family: Family
    equipment: str
    position: str
    stance: str
    technique: str
    difficulty: str


# Equipment as it appears in a name -> the Equipment attribute.
EQUIPMENT: dict[str, str] = {
    "Band": "Resistance Band",
    "Dumbbell": "Dumbbell",
    "Barbell": "Barbell",
    "Cable": "Cable",
    "Kettlebell": "Kettlebell",
    "Smith Machine": "Smith Machine",
    "EZ Bar": "EZ Bar",
    "Trap Bar": "Trap Bar",
    "Landmine": "Landmine",
    "Machine": "Machine",
    "": "Body Weight",
}
ALL_LOADED = ("Band", "Dumbbell", "Barbell", "Cable", "Kettlebell", "Smith Machine")
LEGS_ONE = ("Single-Leg", "Staggered", "Narrow-Stance", "Wide-Stance", "")
ARMS_ONE = ("Single-Arm", "Close-Grip", "Wide-Grip", "Reverse-Grip", "Neutral-Grip", "")
TECHNIQUES = ("Pause", "Tempo", "Deficit", "Isometric", "Partial", "")
DIFFICULTIES = ("Beginner", "Intermediate", "Advanced")

FAMILIES: tuple[Family, ...] = (
    Family(
        "Calf Raise",
        "calf raises",
        "Legs",
        "Calves",
        ("Ankles", "Feet"),
        (*ALL_LOADED, "Machine", ""),
        ("Seated", "Standing", "Donkey", ""),
        LEGS_ONE,
        "Strength",
        0,
    ),
    Family(
        "Squat",
        "squats",
        "Legs",
        "Quadriceps",
        ("Glutes", "Hamstrings", "Lower Back"),
        (*ALL_LOADED, "Landmine", ""),
        ("Front", "Box", "Overhead", "Sumo", ""),
        LEGS_ONE,
    ),
    Family(
        "Row",
        "rows",
        "Back",
        "Lats",
        ("Rhomboids", "Biceps", "Rear Deltoids"),
        (*ALL_LOADED, "Landmine", "Machine"),
        ("Seated", "Bent-Over", "Chest-Supported", "Pendlay", ""),
        ARMS_ONE,
    ),
    Family(
        "Curl",
        "curls",
        "Arms",
        "Biceps",
        ("Forearms", "Brachialis"),
        ("Band", "Dumbbell", "Barbell", "Cable", "Kettlebell", "EZ Bar", "Machine"),
        ("Seated", "Standing", "Incline", "Preacher", "Concentration", "Spider", ""),
        ARMS_ONE,
        "Strength",
        0,
    ),
    Family(
        "Shoulder Press",
        "shoulder presses",
        "Shoulders",
        "Front Deltoids",
        ("Triceps", "Lateral Deltoids", "Upper Chest"),
        (*ALL_LOADED, "Landmine", "Machine"),
        ("Seated", "Standing", "Half-Kneeling", "Z", ""),
        ARMS_ONE,
    ),
    Family(
        "Bench Press",
        "bench presses",
        "Chest",
        "Chest",
        ("Triceps", "Front Deltoids"),
        ("Dumbbell", "Barbell", "Smith Machine", "Band", "Machine"),
        ("Incline", "Decline", "Floor", "Flat", ""),
        ARMS_ONE,
    ),
    Family(
        "Deadlift",
        "deadlifts",
        "Back",
        "Hamstrings",
        ("Glutes", "Lower Back", "Traps", "Forearms"),
        ("Barbell", "Dumbbell", "Kettlebell", "Trap Bar", "Smith Machine", "Band"),
        ("Romanian", "Stiff-Leg", "Sumo", "Snatch-Grip", ""),
        LEGS_ONE,
        "Strength",
        2,
    ),
    Family(
        "Lunge",
        "lunges",
        "Legs",
        "Quadriceps",
        ("Glutes", "Hamstrings", "Adductors"),
        ("Dumbbell", "Barbell", "Kettlebell", "Band", "Smith Machine", "Landmine", ""),
        ("Walking", "Reverse", "Lateral", "Curtsy", "Forward", ""),
        ("Deficit", "Front-Foot-Elevated", ""),
    ),
    Family(
        "Push-Up",
        "push-ups",
        "Chest",
        "Chest",
        ("Triceps", "Front Deltoids", "Abs"),
        ("", "Band", "Kettlebell", "Dumbbell"),
        ("Incline", "Decline", "Kneeling", "Archer", "Pike", ""),
        ("Close-Grip", "Wide-Grip", "Single-Arm", ""),
        "Strength",
        0,
    ),
    Family(
        "Fly",
        "flies",
        "Chest",
        "Chest",
        ("Front Deltoids", "Biceps"),
        ("Dumbbell", "Cable", "Band", "Machine"),
        ("Incline", "Decline", "Flat", "Standing", "Low-to-High", "High-to-Low", ""),
        ("Single-Arm", ""),
        "Strength",
        0,
    ),
    Family(
        "Triceps Extension",
        "triceps extensions",
        "Arms",
        "Triceps",
        ("Forearms",),
        ("Dumbbell", "Cable", "Band", "EZ Bar", "Barbell", "Kettlebell"),
        ("Overhead", "Lying", "Seated", "Standing", "Incline", ""),
        ARMS_ONE,
        "Strength",
        0,
    ),
    Family(
        "Lateral Raise",
        "lateral raises",
        "Shoulders",
        "Lateral Deltoids",
        ("Upper Trapezius", "Supraspinatus"),
        ("Dumbbell", "Cable", "Band", "Kettlebell", "Machine"),
        ("Seated", "Standing", "Leaning", "Lying", ""),
        ("Single-Arm", ""),
        "Strength",
        0,
    ),
    Family(
        "Front Raise",
        "front raises",
        "Shoulders",
        "Front Deltoids",
        ("Upper Chest", "Traps"),
        ("Dumbbell", "Cable", "Band", "Barbell", "Kettlebell"),
        ("Seated", "Standing", "Incline", ""),
        ("Single-Arm", "Neutral-Grip", ""),
        "Strength",
        0,
    ),
    Family(
        "Crunch",
        "crunches",
        "Core",
        "Abs",
        ("Obliques", "Hip Flexors"),
        ("", "Cable", "Band", "Machine", "Dumbbell"),
        ("Decline", "Kneeling", "Bicycle", "Reverse", "Stability Ball", ""),
        ("",),
        "Strength",
        0,
    ),
    Family(
        "Plank",
        "planks",
        "Core",
        "Abs",
        ("Obliques", "Shoulders", "Glutes"),
        ("", "Band", "Kettlebell", "Dumbbell"),
        ("Side", "High", "Forearm", "Copenhagen", ""),
        ("Single-Leg", "Single-Arm", ""),
        "Stability",
        0,
    ),
    Family(
        "Hip Thrust",
        "hip thrusts",
        "Legs",
        "Glutes",
        ("Hamstrings", "Quadriceps", "Abs"),
        ("Barbell", "Dumbbell", "Band", "Smith Machine", "Machine", "Kettlebell", ""),
        ("Bench", "Floor", "Feet-Elevated", ""),
        ("Single-Leg", "Wide-Stance", ""),
    ),
    Family(
        "Shrug",
        "shrugs",
        "Back",
        "Traps",
        ("Forearms", "Rhomboids"),
        ("Barbell", "Dumbbell", "Trap Bar", "Smith Machine", "Cable", "Kettlebell"),
        ("Seated", "Standing", "Incline", "Behind-the-Back", ""),
        ("Single-Arm", "Wide-Grip", ""),
        "Strength",
        0,
    ),
    Family(
        "Pulldown",
        "pulldowns",
        "Back",
        "Lats",
        ("Biceps", "Rear Deltoids", "Rhomboids"),
        ("Cable", "Band", "Machine"),
        ("Kneeling", "Seated", "Straight-Arm", ""),
        ARMS_ONE,
        "Strength",
        0,
    ),
    Family(
        "Leg Curl",
        "leg curls",
        "Legs",
        "Hamstrings",
        ("Calves", "Glutes"),
        ("Machine", "Band", "Dumbbell", "Cable", "Stability Ball"),
        ("Seated", "Lying", "Standing", "Nordic", ""),
        ("Single-Leg", ""),
        "Strength",
        0,
    ),
    Family(
        "Good Morning",
        "good mornings",
        "Back",
        "Hamstrings",
        ("Lower Back", "Glutes"),
        ("Barbell", "Band", "Smith Machine", "Dumbbell", "Kettlebell"),
        ("Seated", "Standing", "Zercher", ""),
        ("Wide-Stance", "Single-Leg", ""),
    ),
    Family(
        "Step-Up",
        "step-ups",
        "Legs",
        "Quadriceps",
        ("Glutes", "Hamstrings", "Calves"),
        ("Dumbbell", "Barbell", "Kettlebell", "Band", ""),
        ("Lateral", "Crossover", "High", ""),
        ("",),
        "Strength",
        0,
    ),
    Family(
        "Kickback",
        "kickbacks",
        "Arms",
        "Triceps",
        ("Rear Deltoids",),
        ("Dumbbell", "Cable", "Band"),
        ("Bent-Over", "Kneeling", "Standing", ""),
        ("Single-Arm", "Neutral-Grip", ""),
        "Strength",
        0,
    ),
)

STEP_OPENINGS = (
    "Set up {equipment_phrase} and take your starting position with a neutral spine.",
    "Stand tall with your feet hip-width apart and brace your core before the first rep.",
    "Get into position, grip {equipment_phrase} firmly and pull your shoulders down and back.",
    "Adjust the setup so the working joint lines up with the line of force.",
)
STEP_MIDDLES = (
    "Move slowly through the full range, leading with the {target_lower}.",
    "Keep your ribs down and your neck in line with your spine as you move.",
    "Breathe out as you work against the resistance and in as you return.",
    "Pause for a moment at the hardest point of the rep without losing tension.",
    "Keep the {secondary_lower} relaxed so the {target_lower} does most of the work.",
    "Control the lowering phase for two to three seconds.",
    "Stop a hand's width short of locking out so the tension stays on the muscle.",
)
STEP_CLOSINGS = (
    "Return to the starting position under control and repeat for the desired reps.",
    "Finish the set, then switch sides and repeat for the same number of reps.",
    "Rack or set down {equipment_phrase} carefully once the set is done.",
)
TIPS = (
    "Film a set from the side now and then to check your range of motion.",
    "Pick a load you can move for every rep without changing your form.",
    "Think about squeezing the {target_lower} rather than just moving the weight.",
    "Warm up with a light set of {plural} before your working sets.",
    "Exhale through the hardest part of each rep to keep your trunk braced.",
    "Use a slower tempo when the load feels too light instead of adding momentum.",
    "Keep a log of weights and reps so you can add a little every week.",
)
MISTAKES = (
    "Using momentum to swing the weight up instead of controlling it.",
    "Cutting the range of motion short to lift more weight.",
    "Letting the lower back round or arch as the set gets hard.",
    "Holding your breath for the whole set.",
    "Rushing the lowering phase and losing tension at the bottom.",
    "Letting the {secondary_lower} take over from the {target_lower}.",
    "Going too heavy before the movement pattern is solid.",
)
TEMPLATE_QUESTIONS = (
    (
        "What muscles does the {name} work?",
        "The {name} primarily targets the {target_lower}, with secondary activation in the "
        "{secondary_lower}. It's classified as a {category_lower} exercise for the {body_lower}.",
    ),
    (
        "Is the {name} good for beginners?",
        "The {name} is rated as {difficulty_lower}. {beginner_advice}",
    ),
)
HAND_QUESTIONS = (
    (
        "How many reps should you do for {plural_short}?",
        "For strength, work in sets of 5-8 reps; for size, 8-15 reps taken close to failure. "
        "Two to four hard sets per session are enough for the {target_lower}.",
    ),
    (
        "Is the {name} better than the {other}?",
        "Neither is better for everyone. The {name} {difference}, while the {other} lets most "
        "people load the {target_lower} in a different position. Rotate both over a training year.",
    ),
    (
        "Why do {plural_short} {stance_reason}?",
        "Working this way {stance_benefit} and shows up weak spots that a standard setup hides.",
    ),
    (
        "Can I do {plural_short} at home?",
        "Yes, if you have {equipment_home}. Keep the reps slow and stop each set a rep or two "
        "short of failure when you train alone.",
    ),
    (
        "How heavy should the {name} be?",
        "Start with a weight you could lift about three more times at the end of each set. "
        "Add load only when every rep looks like the first one.",
    ),
    (
        "What can I do instead of {plural_short}?",
        "A {alternative} trains the same muscles with a similar pattern and fits well when the "
        "equipment for the {name} is taken.",
    ),
    (
        "How often should I train {plural_short}?",
        "Two sessions a week suits most people. Leave at least one rest day between hard sessions "
        "for the {target_lower}.",
    ),
)
BEGINNER_ADVICE = (
    "Beginners can start with it right away, using light loads and slow reps.",
    "Beginners should build a base of {target_lower} strength with easier variations first.",
    "It is best kept for lifters with a year or more of steady training behind them.",
)
STANCE_REASONS = {
    "Single-Leg": ("one leg at a time", "corrects imbalances between sides, improves balance"),
    "Single-Arm": ("one arm at a time", "evens out strength between sides, trains the core"),
    "Close-Grip": ("with a close grip", "shifts work toward the triceps and inner muscles"),
    "Wide-Grip": ("with a wide grip", "shortens the range and biases the outer fibres"),
    "Reverse-Grip": ("with a reverse grip", "brings in the forearms and changes the leverage"),
    "Neutral-Grip": ("with a neutral grip", "is kinder to the wrists and elbows"),
    "Staggered": ("with a staggered stance", "loads the front leg more"),
    "Narrow-Stance": ("with a narrow stance", "puts more work on the quadriceps"),
    "Wide-Stance": ("with a wide stance", "brings in the adductors and glutes"),
}
TECHNIQUE_REASONS = {
    "Pause": ("with a pause", "removes the bounce and builds strength at the hardest point"),
    "Tempo": ("with a slow tempo", "keeps the muscle under tension longer at a lighter load"),
    "Deficit": ("from a deficit", "adds range of motion at the bottom"),
    "Isometric": ("as isometric holds", "builds strength at one joint angle with little fatigue"),
    "Partial": ("as partials", "overloads the strongest part of the range"),
}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _difficulty(family: Family, stance: str, technique: str, rng: random.Random) -> str:
    level = family.base_difficulty
    if stance.startswith("Single") or technique in ("Deficit", "Pause"):
        level += 1
    if rng.random() < 0.15:
        level += rng.choice((-1, 1))
    return DIFFICULTIES[max(0, min(level, 2))]


def _exercises(n: int, rng: random.Random) -> list[Exercise]:
    """N exercises with distinct names and slugs, built from families and modifiers."""
    exercises: list[Exercise] = []
    seen: set[str] = set()
    attempts = 0
    while len(exercises) < n:
        attempts += 1
        family = rng.choice(FAMILIES)
        equipment = rng.choice(family.equipment)
        position = rng.choice(family.positions) if rng.random() < 0.6 else ""
        stance = rng.choice(family.stances) if rng.random() < 0.5 else ""
        technique = rng.choice(TECHNIQUES) if rng.random() < 0.25 else ""
        words = [equipment, position, stance, technique, family.name]
        name = " ".join(word for word in words if word)
        if attempts > 50 * n:  # the combinations ran out: number the variations
            name = f"{name} Variation {len(exercises) + 1}"
        slug = slugify(name)
        if slug in seen:
            continue
        seen.add(slug)
        difficulty = _difficulty(family, stance, technique, rng)
        exercises.append(
            Exercise(name, slug, family, equipment, position, stance, technique, difficulty)
        )
    return exercises


def _fields(exercise: Exercise) -> dict[str, str]:
    family = exercise.family
    equipment = EQUIPMENT.get(exercise.equipment, exercise.equipment)
    secondary = ", ".join(family.secondary)
    return {
        "name": exercise.name,
        "name_lower": exercise.name.lower(),
        "plural": family.plural,
        "plural_short": " ".join(
            w for w in (exercise.stance.lower().replace("-", " "), family.plural) if w
        ),
        "target": family.target,
        "target_lower": family.target.lower(),
        "secondary": secondary,
        "secondary_lower": secondary.lower(),
        "body": family.body_part,
        "body_lower": family.body_part.lower(),
        "category_lower": family.category.lower(),
        "difficulty": exercise.difficulty,
        "difficulty_lower": exercise.difficulty.lower(),
        "equipment": equipment,
        "equipment_phrase": (
            "your body weight" if equipment == "Body Weight" else f"the {equipment.lower()}"
        ),
        "equipment_home": (
            "a clear patch of floor"
            if equipment == "Body Weight"
            else f"a {equipment.lower()} and some floor space"
        ),
    }


def _faq(exercise: Exercise, family_members: Sequence[Exercise], rng: random.Random) -> list[str]:
    values = _fields(exercise)
    family = exercise.family
    other = rng.choice(family_members).name if len(family_members) > 1 else exercise.name
    if other == exercise.name:
        other = f"Barbell {family.name}" if exercise.equipment != "Barbell" else family.name
    alternatives = [f.name.lower() for f in FAMILIES if f.body_part == family.body_part]
    values["other"] = other
    values["alternative"] = rng.choice(alternatives)
    values["difference"] = rng.choice(
        (
            "is easier to learn and to load gradually",
            "puts more stretch on the muscle at the bottom",
            "keeps constant tension through the whole rep",
            "lets you train each side on its own",
        )
    )
    values["beginner_advice"] = BEGINNER_ADVICE[DIFFICULTIES.index(exercise.difficulty)].format(
        **values
    )
    reason = STANCE_REASONS.get(exercise.stance) or TECHNIQUE_REASONS.get(exercise.technique)
    hand = list(HAND_QUESTIONS)
    if reason is None:
        hand = [q for q in hand if "{stance_reason}" not in q[0]]
    else:
        values["stance_reason"], values["stance_benefit"] = reason

    count = rng.randint(2, 7)
    pool: list[tuple[str, str]] = []
    if rng.random() < 0.8:
        pool.extend(TEMPLATE_QUESTIONS)
    rng.shuffle(hand)
    pool = hand[: max(0, count - len(pool))] + pool
    entries: list[str] = []
    for question, answer in pool[:count]:
        entries.append(f"### {question.format(**values)}\n\n{answer.format(**values)}")
    return entries


def _steps(values: dict[str, str], rng: random.Random) -> list[str]:
    middle = rng.sample(STEP_MIDDLES, rng.randint(2, 5))
    steps = [rng.choice(STEP_OPENINGS), *middle, rng.choice(STEP_CLOSINGS)]
    lines = []
    for number, step in enumerate(steps, 1):
        text = step.format(**values)
        if rng.random() < 0.05:  # writers sometimes wrap a long step
            words = text.split()
            half = len(words) // 2
            text = " ".join(words[:half]) + "\n   " + " ".join(words[half:])
        lines.append(f"{number}. {text}")
    return lines


def render_page(exercise: Exercise, family_members: Sequence[Exercise], rng: random.Random) -> str:
    """One page's Markdown; family_members are the library's exercises of the same family."""
    values = _fields(exercise)
    family = exercise.family
    parts: list[str] = []
    if rng.random() < 0.12:
        aliases = [
            exercise.name.replace("Dumbbell", "DB").replace("Barbell", "BB"),
            f"{family.name.lower()} with {values['equipment'].lower()}",
        ]
        unique = sorted(set(aliases) - {exercise.name})
        parts.append("---\naliases: [" + ", ".join(unique) + "]\n---")
    summary = (
        f"The {values['name_lower']} is a {values['body_lower']} exercise that targets the "
        f"{values['target_lower']} using {values['equipment_phrase']}. It also engages the "
        f"{values['secondary_lower']}, which helps build strength and control across the whole "
        f"movement. {exercise.difficulty} {values['body_lower']} exercise using "
        f"{values['equipment'].lower()}. Targets {values['target_lower']}, also works "
        f"{values['secondary_lower']}."
    )
    parts.append(f"# {exercise.name}\n\n## Quick answer\n\n{summary}")
    parts.append(
        "\n".join(
            (
                f"- **Body Part:** {family.body_part}",
                f"- **Equipment:** {values['equipment']}",
                f"- **Target Muscle:** {family.target}",
                f"- **Secondary Muscles:** {values['secondary']}",
                f"- **Difficulty:** {exercise.difficulty}",
                f"- **Category:** {family.category}",
            )
        )
    )
    parts.append("---")
    parts.append("## How to perform\n\n" + "\n".join(_steps(values, rng)))
    if rng.random() < 0.6:
        tips = rng.sample(TIPS, rng.randint(2, 4))
        parts.append("## Pro tips\n\n" + "\n".join(f"- {t.format(**values)}" for t in tips))
    if rng.random() < 0.55:
        mistakes = rng.sample(MISTAKES, rng.randint(2, 4))
        parts.append(
            "## Common mistakes\n\n" + "\n".join(f"- {m.format(**values)}" for m in mistakes)
        )
    parts.append("## FAQ\n\n" + "\n\n".join(_faq(exercise, family_members, rng)))
    related = [
        (f"More {family.body_part} Exercises", f"{SITE}/exercises/{slugify(family.body_part)}"),
        (
            f"More {values['equipment']} Exercises",
            f"{SITE}/exercises/equipment/{slugify(values['equipment'])}",
        ),
        (f"More {family.target} Exercises", f"{SITE}/exercises/muscle/{slugify(family.target)}"),
    ]
    related = related[: rng.randint(1, 3)]
    parts.append(
        "## Related exercises\n\n" + "\n".join(f"- [{title}]({url})" for title, url in related)
    )
    parts.append("---")
    parts.append(FOOTER)
    return "\n\n".join(parts) + "\n"


def generate_library(out_dir: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Writes N pages named `<slug>.md` into out_dir; returns their paths in writing order."""
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    exercises = _exercises(n, rng)
    by_family: dict[str, list[Exercise]] = {}
    for exercise in exercises:
        by_family.setdefault(exercise.family.name, []).append(exercise)
    written: list[Path] = []
    for exercise in exercises:
        path = out / f"{exercise.slug}.md"
        page = render_page(exercise, by_family[exercise.family.name], rng)
        path.write_text(page, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("out_dir", help="folder to write the pages into (created if missing)")
    parser.add_argument("n", type=int, help="number of pages")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must not be negative")
    written = generate_library(args.out_dir, args.n, args.seed)
    print(f"wrote {len(written)} pages to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

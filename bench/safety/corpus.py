"""Deterministic synthetic corpus for the beacon_safety benchmark.

Texts are composed from a pool of sentences in the styles Beacon sees (everyday posts,
distress, recovery stories, replies, event text, some crisis language, Markdown, links),
seeded so that every run measures exactly the same input. Lengths follow a log-normal
distribution with a median near 800 characters and a long tail past 10,000.
"""

from __future__ import annotations

import math
import random

SEED = 20261122

EVERYDAY = [
    "I went for a walk by the river this morning and it helped a little.",
    "My therapist suggested I write down three small things that went well each day.",
    "Does anyone have tips for sleeping when your mind will not switch off?",
    "We are meeting at the library on Thursday at six, everyone is welcome.",
    "I finally called the GP and booked an appointment for next week.",
    "The support group has been a lifeline for me since the spring.",
    "Work has been busy but I am trying to keep my evenings free.",
    "My cat sat on my keyboard during a meeting and everyone laughed.",
    "I cooked a proper dinner for the first time in weeks.",
    "Thank you all for the kind replies on my last post, it meant a lot.",
    "The waiting list for counselling here is about four months.",
    "Has anyone tried the breathing exercise where you count to four?",
    "I am nervous about starting my new job on Monday.",
    "It was crazy busy at the shop today and my feet are killing me.",
    "We raised three hundred pounds at the bake sale for the helpline.",
    "I have been journaling every night and noticing patterns in my mood.",
    "My sister visited at the weekend and we watched old films.",
    "I am learning to say no to things that drain me.",
    "The park was full of dogs and children and it felt like summer.",
    "Please share this event with anyone who might find it useful.",
]
DISTRESS = [
    "I feel so empty lately and nothing seems to matter.",
    "I can't cope with everything at the moment.",
    "I cried in the car again before going into work.",
    "I have been so depressed since the winter started.",
    "Everything feels too much and I am exhausted all the time.",
    "I had a panic attack on the bus this morning.",
]
RECOVERY = [
    "Five years ago I tried to take my life, and today I am doing well.",
    "When I was sixteen I used to self-harm, but I have been free of it for years.",
    "I was in a dark place back then and I wanted to die, but therapy helped.",
    "My recovery has not been a straight line, and that is okay.",
]
REPLIES = [
    "Please reach out to a crisis line if things get worse, you are not alone.",
    "Are you safe right now? If you are thinking about suicide please call 988.",
    "Sending you a big hug, I have been there too and it does get easier.",
]
CRISIS = [
    "I want to die and I don't know who to tell.",
    "i just want it to end, i cant do this anymore",
    "I have been thinking about ending it every night this week.",
    "This is my last post, thank you for everything.",
]
MISC = [
    "**Update:** the meeting has moved to room 4.",
    "More info at https://example.org/events/walk or email events@example.org.",
    "> quoted from the last post: you are not alone",
    "- bring water\n- bring a snack\n- wear good shoes",
    "Call me on 020 7946 0018 if you need a lift.",
    "My shrink says I should stop calling myself a junkie.",
    "我们一起散步吧 😂 🌿 مرحبا",
    "<p>Welcome to the <b>garden</b> group!</p>",
]

POOLS = [
    (EVERYDAY, 0.62),
    (DISTRESS, 0.12),
    (RECOVERY, 0.06),
    (REPLIES, 0.06),
    (CRISIS, 0.04),
    (MISC, 0.10),
]


def _length(rng: random.Random) -> int:
    """Return a target length: log-normal, median 800, with about 1% above 10,000."""
    if rng.random() < 0.01:
        return rng.randint(10_000, 30_000)
    return max(20, int(math.exp(rng.gauss(math.log(800), 0.75))))


def generate(n: int = 10_000, seed: int = SEED) -> list[str]:
    """Return ``n`` texts composed from the sentence pools, deterministically."""
    rng = random.Random(seed)
    pools = [p for p, _ in POOLS]
    weights = [w for _, w in POOLS]
    texts = []
    for _ in range(n):
        target = _length(rng)
        parts: list[str] = []
        size = 0
        while size < target:
            sentence = rng.choice(rng.choices(pools, weights)[0])
            if rng.random() < 0.15:
                sentence = sentence.lower().rstrip(".")
            parts.append(sentence)
            size += len(sentence) + 1
            if rng.random() < 0.12:
                parts.append("\n\n")
        texts.append(" ".join(parts))
    return texts

"""Floor on the forum-style hold-out set, and contrast cases for the rules written after it.

`holdout.jsonl` (265 texts) was written before any rule was changed for it and scored once
blind (see docs/developer/safety.md); it was then used to develop the rules, so it is no
longer blind. These thresholds keep what was gained.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from beacon_safety import assess

HOLDOUT = Path(__file__).with_name("holdout.jsonl")


@pytest.fixture(scope="module")
def results() -> list[tuple[dict, str]]:
    with HOLDOUT.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    return [
        (rec, str(assess(rec["text"], kind=rec.get("kind", "generic")).risk)) for rec in records
    ]


def test_holdout_is_big_and_unique(results: list[tuple[dict, str]]) -> None:
    assert len(results) >= 250
    assert len({rec["id"] for rec, _ in results}) == len(results)


def test_holdout_crisis_recall(results: list[tuple[dict, str]]) -> None:
    crisis = [got for rec, got in results if rec["expected"] == "crisis"]
    assert sum(g == "crisis" for g in crisis) / len(crisis) >= 0.85


def test_holdout_none_rarely_raised_to_crisis(results: list[tuple[dict, str]]) -> None:
    none = [got for rec, got in results if rec["expected"] == "none"]
    assert sum(g == "crisis" for g in none) / len(none) < 0.1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # internet slang for the writer killing themself
        ("honestly i want to kms", "crisis"),
        ("been thinking about unaliving myself again", "crisis"),
        ("thinking about sewerslide ngl", "crisis"),
        ("i think im gonna ctb this weekend", "crisis"),
        ("kms if i have to sit through another zoom call lol", "none"),
        # futures without the writer, goodbyes, done
        ("i dont think ill be here much longer", "crisis"),
        ("i dont think ill be here much longer, my lease ends and im moving", "none"),
        ("pretty sure i wont be here by christmas", "crisis"),
        ("sorry for everything, goodbye", "crisis"),
        ("im done. i cant keep doing this", "crisis"),
        ("im done with this semester finally!!", "none"),
        # plans, means, preparation
        ("i have everything i need to do it", "crisis"),
        ("i have everything i need to bake the cake now", "none"),
        ("i drove out here to do it", "crisis"),
        ("i drove out here to see the sunset", "none"),
        ("ive been researching ways to do it", "crisis"),
        ("ive been researching ways to save money on groceries", "none"),
        ("tonight is the night. i cant do this anymore", "crisis"),
        ("tonight is the night, finally seeing the new movie", "none"),
        ("i've got everything ready for the trip tomorrow", "none"),
        # wishes not to be alive
        ("i hate being alive", "crisis"),
        ("i keep thinking about how to end it", "crisis"),
        ("i'm a burden, everyone would be happier without me", "crisis"),
        ("the team would be better without me dragging them down at five-a-side", "none"),
        # a "lol" far away in a run-on post does not make a crisis sentence a joke
        (
            "idk why im typing this at 4am lol my sleep schedule is cooked and rent went up "
            "again and my boss cut my hours and i keep thinking about ending things",
            "crisis",
        ),
        # nobody jokes with these words
        ("i bought a rope 💀", "crisis"),
        ("i'm literally dying lmao", "none"),
        ("that pun was so bad i want to die lol", "none"),
        # questions about helping someone else
        ("how do i help a friend who is suicidal?", "none"),
        # a vacation is not disappearing
        ("i just want to disappear for a week on a beach with no wifi", "none"),
        ("I just want to disappear for a while.", "concern"),
    ],
)
def test_forum_categories(text: str, expected: str) -> None:
    assert str(assess(text).risk) == expected

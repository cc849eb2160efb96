"""Regression floor on our labelled development set (see bench/safety for the full report)."""

from __future__ import annotations

from collections import Counter

import pytest

from beacon_safety import assess

pytestmark = pytest.mark.safety

HARD_CASES = {
    "passive_ideation",
    "goodbye",
    "third_party",
    "recovery_past",
    "supportive_reply",
    "negation",
    "hypothetical",
    "idiom_hyperbole",
    "spanish_none",
    "search_help",
    "tricky_none",
}


@pytest.fixture(scope="module")
def results(devset: list[dict]) -> list[tuple[dict, str]]:
    return [
        (
            rec,
            str(
                assess(
                    rec["text"], kind=rec.get("kind", "generic"), lang=rec.get("lang", "en")
                ).risk
            ),
        )
        for rec in devset
    ]


def test_devset_is_big_and_covers_every_case(devset: list[dict]) -> None:
    assert len(devset) >= 400
    cases = Counter(rec["case"] for rec in devset)
    for case in (
        "present_ideation",
        "passive_ideation",
        "plan_means_timing",
        "goodbye",
        "current_self_harm",
        "distress",
        "third_party",
        "eating_disorder",
        "ambiguous",
        "recovery_past",
        "supportive_reply",
        "negation",
        "hypothetical",
        "idiom_hyperbole",
        "neutral",
        "spanish_crisis",
        "spanish_none",
    ):
        assert cases[case] >= 5, case
    assert len({rec["id"] for rec in devset}) == len(devset)


def test_crisis_recall(results: list[tuple[dict, str]]) -> None:
    crisis = [got for rec, got in results if rec["expected"] == "crisis"]
    assert sum(g == "crisis" for g in crisis) / len(crisis) >= 0.9


def test_none_rarely_raised_to_crisis(results: list[tuple[dict, str]]) -> None:
    none = [got for rec, got in results if rec["expected"] == "none"]
    assert sum(g == "crisis" for g in none) / len(none) < 0.1


def test_concern_recall(results: list[tuple[dict, str]]) -> None:
    concern = [got for rec, got in results if rec["expected"] == "concern"]
    assert sum(g == "concern" for g in concern) / len(concern) >= 0.85


def test_hard_cases(results: list[tuple[dict, str]]) -> None:
    hard = [(rec, got) for rec, got in results if rec["case"] in HARD_CASES]
    right = sum(got == rec["expected"] for rec, got in hard)
    assert right / len(hard) >= 0.95


def test_overall_accuracy(results: list[tuple[dict, str]]) -> None:
    assert sum(got == rec["expected"] for rec, got in results) / len(results) >= 0.93

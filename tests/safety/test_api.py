"""The public API: stable names, immutability, JSON round trip, content-warning vocabulary."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import beacon_safety
from beacon_safety import CONTENT_WARNINGS, KINDS, Assessment, Risk, Signal, assess

pytestmark = pytest.mark.safety

TEXT = (
    "Five years ago I overdosed. Now I want to die again and my shrink is away. "
    "Email me at sam@example.org."
)


def test_public_names() -> None:
    for name in beacon_safety.__all__:
        assert hasattr(beacon_safety, name)


def test_assessment_is_frozen_and_slotted() -> None:
    result = assess(TEXT)
    assert isinstance(result, Assessment)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.risk = Risk.NONE  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.signals[0].reason = "x"  # type: ignore[misc]
    assert not hasattr(result, "__dict__")
    assert isinstance(result.signals, tuple)
    assert isinstance(result.content_warnings, tuple)


def test_risk_is_a_str_enum() -> None:
    assert Risk.CRISIS == "crisis"
    assert [str(r) for r in Risk] == ["none", "concern", "crisis"]
    assert Risk.NONE.rank < Risk.CONCERN.rank < Risk.CRISIS.rank


def test_to_dict_round_trips_through_json() -> None:
    result = assess(TEXT, kind="story")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["risk"] == "crisis"
    assert data["kind"] == "story"
    assert data["lang"] == "en"
    assert {"signals", "content_warnings", "safe_messaging", "language", "personal_data"} <= set(
        data
    )
    first = data["signals"][0]
    assert set(first) == {"kind", "start", "end", "reason", "tier"}
    rebuilt = tuple(
        Signal(s["kind"], s["start"], s["end"], s["reason"], Risk(s["tier"]))
        for s in data["signals"]
    )
    assert rebuilt == result.signals


def test_content_warnings_come_from_the_fixed_vocabulary() -> None:
    slugs = {slug for slug, _ in CONTENT_WARNINGS}
    assert {
        "suicide",
        "self-harm",
        "eating-disorders",
        "substance-use",
        "abuse",
        "sexual-violence",
        "violence",
        "grief-and-loss",
        "psychosis-and-hospitalisation",
    } == slugs
    texts = [
        TEXT,
        "My dad passed away in March and the funeral was hard.",
        "I relapsed on heroin after rehab.",
        "I was sectioned and spent a month on a psych ward.",
        "He raped me when I was 15.",
        "I've been purging again.",
    ]
    for text in texts:
        warnings = assess(text).content_warnings
        assert warnings and set(warnings) <= slugs


def test_kind_is_keyword_only_and_unknown_kinds_are_generic() -> None:
    with pytest.raises(TypeError):
        assess("hello", "story")  # type: ignore[misc]
    assert assess("hello", kind="nonsense").kind == "generic"  # type: ignore[arg-type]
    assert set(KINDS) == {"story", "comment", "answer", "event", "search", "generic"}


def test_assess_is_deterministic() -> None:
    assert assess(TEXT) == assess(TEXT)


def test_no_django_import() -> None:
    # A fresh interpreter: the test run itself may have Django loaded by pytest-django.
    code = (
        "import sys, beacon_safety; beacon_safety.assess('I want to die');"
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0

"""Safe-messaging flags (C1) are separate from risk."""

from __future__ import annotations

import pytest

from beacon_safety import Risk, assess

pytestmark = pytest.mark.safety


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ten years ago I took 40 of my sleeping pills and woke up in hospital.", "method"),
        ("He jumped off the Clifton bridge in 2019.", "method"),
        ("She died at the train tracks near our house after she killed herself.", "location"),
        ("There was so much blood everywhere when I cut.", "graphic"),
        ("Suicide was the only way out for him.", "framing"),
        ("We are facing a suicide epidemic.", "framing"),
        ("He killed himself because of the breakup.", "single_cause"),
        ("Her suicide note said she was sorry.", "suicide_note"),
    ],
)
def test_flags(text: str, kind: str) -> None:
    flags = assess(text).safe_messaging
    assert kind in {f.kind for f in flags}, [(f.kind, text[f.start : f.end]) for f in flags]
    for flag in flags:
        assert flag.reason and flag.suggestion
        assert text[flag.start : flag.end]


def test_method_detail_in_a_recovery_story_is_flagged_without_raising_risk() -> None:
    result = assess("Six years ago I overdosed on paracetamol. Today I'm a nurse and doing well.")
    assert result.risk is Risk.NONE
    assert "method" in {f.kind for f in result.safe_messaging}
    assert "suicide" in result.content_warnings


@pytest.mark.parametrize(
    "text",
    [
        "We walked across the bridge and had lunch by the river.",
        "I take 500 mg of vitamin C every morning.",
        "I bought a rope for the climbing gym.",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert assess(text).safe_messaging == ()

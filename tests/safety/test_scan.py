"""The fast scanner finds exactly what each category's plain alternation regex finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beacon_safety.lexicon import load
from beacon_safety.scan import prefixes
from beacon_safety.text import normalise

pytestmark = pytest.mark.safety

CATEGORIES = {
    "risk": "risk_re",
    "idiom": "idiom_re",
    "warning": "warning_re",
    "safe": "safe_re",
    "term": "term_re",
}
DEVSET = Path(__file__).with_name("devset.jsonl")
VOCAB = sorted(
    {
        w
        for line in DEVSET.read_text(encoding="utf-8").splitlines()
        for w in normalise(json.loads(line)["text"]).split()
    }
)


def assert_same(text: str, lang: str) -> None:
    lex = load(lang)
    norm = normalise(text)
    found = lex.scanner.scan(norm)
    for name, attr in CATEGORIES.items():
        regex = getattr(lex, attr)
        if regex is None:
            continue
        want = [(m.span(), m.lastgroup) for m in regex.finditer(norm)]
        got = [(m.span(), m.lastgroup) for m in found[name]]
        assert got == want, name


@pytest.mark.parametrize("lang", ["en", "es"])
def test_devset_texts(devset: list[dict], lang: str) -> None:
    for rec in devset:
        assert_same(rec["text"], lang)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=80).map(" ".join))
def test_shuffled_devset_words(text: str) -> None:
    assert_same(text, "en")


def test_prefixes() -> None:
    assert prefixes(r"kill(?:ing)?\s+my\s*self") == {"kil"}
    assert prefixes(r"the\s+mentally\s+ill") == {"the men"}
    assert prefixes(r"\w+\s+ill") is None

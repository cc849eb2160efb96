"""Any input: never an exception, spans always valid, no catastrophic backtracking."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beacon_safety import Assessment, assess

pytestmark = pytest.mark.safety

WORDS = [
    "i",
    "want",
    "to",
    "die",
    "not",
    "kill",
    "myself",
    "end",
    "it",
    "suicide",
    "suicidal",
    "a",
    "years",
    "ago",
    "my",
    "brother",
    "said",
    "he",
    "wants",
    "if",
    "lol",
    '"',
    ">",
    "\n",
    ",",
    ".",
    "!!!",
    "@",
    "@@",
    ".com",
    "www.",
    "http://",
    "0",
    "1",
    "555",
    "-",
    "+44",
    "(",
    ")",
    "street",
    "Elm",
    "Street",
    "42",
    "Dr.",
    "John",
    "Smith",
    "crazy",
    "addict",
    "clean",
    "😂",
    "💀",
    "<b>",
    "</b>",
    "**",
    "#",
    "é",
    "ñ",
    "ß",
    "İ",
    "\u200b",
    "\x00",
    "\ufeff",
    "no",
    "longer",
    "never",
    "bridge",
    "pills",
    "note",
    "goodbye",
    "quiero",
    "morir",
]


def check(text: str, **kwargs: str) -> Assessment:
    result = assess(text, **kwargs)
    for group in (result.signals, result.safe_messaging, result.language, result.personal_data):
        for item in group:
            assert 0 <= item.start <= item.end <= len(text)
    result.to_dict()
    return result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_any_unicode_text(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), max_size=300).map(" ".join),
    st.sampled_from(["story", "comment", "search", "generic"]),
    st.sampled_from(["en", "es", "xx"]),
)
def test_word_salad_from_the_lexicon(text: str, kind: str, lang: str) -> None:
    check(text, kind=kind, lang=lang)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000))
def test_binary_junk(data: bytes) -> None:
    check(data.decode("utf-8", "replace"))
    check(data.decode("latin-1"))


ADVERSARIAL = [
    "a" * 200_000,
    "a." * 100_000,
    "1 " * 100_000,
    "1-" * 100_000,
    "@" * 100_000,
    "@a" * 50_000,
    "x@" * 50_000,
    "www." * 50_000,
    "i " * 100_000,
    "i want to " * 20_000,
    "not " * 50_000,
    '"' * 100_000,
    ">" * 100_000,
    "\n" * 100_000,
    "kill " * 40_000,
    "Elm " * 50_000 + "Street",
    "My Boss " * 30_000,
    "0" * 200_000,
    "( " * 50_000,
    "so " * 60_000 + "tired",
    "if i " * 40_000 + "want to die",
    ("i want to die. " * 5_000),
    "😂" * 100_000,
    "<div>" * 40_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]))
def test_adversarial_strings_finish_in_bounded_time(text: str) -> None:
    started = time.perf_counter()
    check(text)
    # Generous bound: linear code takes well under a second here; a quadratic regex would
    # take minutes on these inputs.
    assert time.perf_counter() - started < 10


def test_one_megabyte_of_mixed_text() -> None:
    chunk = "Hello <b>world</b> **bold** 你好 مرحبا 😂 I'm not suicidal. call 020 7946 0018. "
    text = chunk * (1_000_000 // len(chunk))
    started = time.perf_counter()
    check(text)
    assert time.perf_counter() - started < 20


def test_empty_and_whitespace() -> None:
    assert check("").risk == "none"
    assert check("   \n\t ").risk == "none"


def test_non_string_input_is_converted() -> None:
    assert assess(b"I want to die").risk == "crisis"  # type: ignore[arg-type]
    assert assess(None).risk == "none"  # type: ignore[arg-type]

"""Risk tiers on hard cases: the same words read differently by tense, speaker and frame."""

from __future__ import annotations

import pytest

from beacon_safety import Risk, assess

pytestmark = pytest.mark.safety

CRISIS, CONCERN, NONE = Risk.CRISIS, Risk.CONCERN, Risk.NONE

CASES: list[tuple[str, Risk, str]] = [
    # present ideation, plans, goodbyes, self-harm
    ("I want to die.", CRISIS, "ideation"),
    ("i cant do this anymore i just want it to end", CRISIS, "passive_ideation"),
    ("I wish I wouldn't wake up tomorrow.", CRISIS, "ideation"),
    ("no reason to live anymore", CRISIS, "passive_ideation"),
    ("everyone would be better off without me", CRISIS, "passive_ideation"),
    ("i'm going to end it tonight", CRISIS, "plan"),
    ("wrote my note. this is my last post", CRISIS, "plan"),
    ("i don't want to be here anymore", CRISIS, "ideation"),
    ("thinking about ending it", CRISIS, "ideation"),
    ("i feel suicidal", CRISIS, "ideation"),
    ("This is goodbye. Thank you all for everything, I won't be around.", CRISIS, "goodbye"),
    ("by the time you read this i'll be gone", CRISIS, "goodbye"),
    ("I cut myself last night.", CRISIS, "self_harm_current"),
    ("I've been cutting again.", CRISIS, "self_harm_current"),
    ("I tried to kill myself last night.", CRISIS, "attempt"),
    ("I still want to die, years after the first time.", CRISIS, "ideation"),
    # concern
    ("i feel empty and alone, nothing matters, i'm so tired of everything", CONCERN, "distress"),
    ("My brother said he wants to end it.", CONCERN, "third_party_risk"),
    ("my friend told me he wanted to kill himself", CONCERN, "third_party_risk"),
    ("I've been purging after every meal.", CONCERN, "eating_disorder"),
    ("I haven't eaten in three days.", CONCERN, "eating_disorder"),
    ("I can't do this anymore.", CONCERN, "distress"),
    # none: past, support, negation, hypotheticals, idioms
    ("Three years ago I tried to take my life; today I run a support group.", NONE, "past_attempt"),
    ("I used to self-harm, 2 years clean of it now.", NONE, "past_self_harm"),
    ("When I was 16 I wanted to die every day. I'm 30 now and happy.", NONE, "past_ideation"),
    ("Please don't hurt yourself, call 988.", NONE, ""),
    ("Are you thinking of suicide? It's okay to say so here.", NONE, "supportive_reply"),
    ("I'm not suicidal, just exhausted.", NONE, "negated"),
    ("I don't want to die, I want a holiday.", NONE, "negated"),
    ("If I ever felt suicidal I would call my sister.", NONE, "hypothetical"),
    ("this exam is killing me", NONE, "idiom"),
    ("I'd die of embarrassment", NONE, "idiom"),
    ("dying to see it!", NONE, "idiom"),
    ("That cake is to die for.", NONE, "idiom"),
    ("She killed it on stage.", NONE, "idiom"),
    ("I could murder a burger.", NONE, "idiom"),
    ("He is drop dead gorgeous.", NONE, "idiom"),
    ("I could kill him for that.", NONE, "idiom"),
    ("If I have to sit through one more meeting I'll kill myself lol", NONE, "idiom"),
    ('The song is called "I Want To Die Young" and it\'s great.', NONE, "quoted"),
    ("This is my last post for a while, off on holiday!", NONE, "temporary_goodbye"),
]


@pytest.mark.parametrize(("text", "tier", "kind"), CASES, ids=[c[0][:40] for c in CASES])
def test_hard_case_tier(text: str, tier: Risk, kind: str) -> None:
    result = assess(text)
    assert result.risk is tier, [(s.kind, s.tier, s.reason) for s in result.signals]
    if kind:
        assert kind in {s.kind for s in result.signals}


@pytest.mark.parametrize(
    "text",
    ["suicide hotline", "how to help a friend who is suicidal", "self harm support groups near me"],
)
def test_help_seeking_search_is_not_risk(text: str) -> None:
    assert assess(text, kind="search").risk is NONE


def test_method_seeking_search_is_crisis() -> None:
    assert assess("painless way to die", kind="search").risk is CRISIS


def test_every_signal_has_a_reason_and_a_valid_span() -> None:
    text = "Five years ago I tried to kill myself. Now I want to die again. This job is killing me."
    result = assess(text)
    assert result.risk is CRISIS
    for signal in result.signals:
        assert signal.reason
        assert 0 <= signal.start < signal.end <= len(text)
        assert text[signal.start : signal.end].strip()


def test_past_attempt_still_gets_a_content_warning() -> None:
    result = assess("Five years ago I attempted suicide. Today I'm doing well.")
    assert result.risk is NONE
    assert "suicide" in result.content_warnings
    assert "past_attempt" in {s.kind for s in result.signals}


def test_blockquoted_crisis_words_in_a_reply_are_not_the_replier_risk() -> None:
    reply = "> i want to die\n\nI hear you. Please call 988 tonight, you matter."
    assert assess(reply, kind="comment").risk is NONE


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("Quiero morir.", CRISIS),
        ("me quiero matar", CRISIS),
        ("No quiero morir, solo estoy cansada.", NONE),
        ("Hace años intenté quitarme la vida. Hoy estoy bien.", NONE),
        ("Este examen me está matando.", NONE),
        ("mi hermano dice que quiere morirse", CONCERN),
    ],
)
def test_spanish_lexicon(text: str, tier: Risk) -> None:
    assert assess(text, lang="es").risk is tier


def test_unknown_language_falls_back_to_english() -> None:
    assert assess("I want to die", lang="xx").risk is CRISIS

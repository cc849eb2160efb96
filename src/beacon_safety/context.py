"""Read the context of one lexicon hit: speaker, negation, tense, hypotheticals, quotation.

Each function looks only at the hit's sentence or clause (found by :mod:`beacon_safety.text`)
so the work is proportional to the number of hits, not to the length of the text. The cue
words and patterns come from the language's ``risk.toml`` ``[cues]`` table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from beacon_safety import text as seg

# How many tokens before a hit may carry its negation ("I am not going to ...").
NEGATION_REACH = 4
# How many tokens before a hit are searched for its subject.
SUBJECT_REACH = 8
# How far after a hit a time marker still belongs to it ("I tried last night").
AFTER_REACH = 30
_THIRD_REFLEXIVE = frozenset({"himself", "herself", "themselves", "themself"})
_AFTER_CUT = re.compile(r"\b(?:and|but|because|though|y|pero|porque)\b|[,;.!?]")


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a hit sits: its span, its sentence and clause, and the text before it."""

    start: int
    end: int
    sentence: tuple[int, int]
    clause: tuple[int, int]
    before: list[str]  # clause tokens before the hit, in order
    after: str  # a short stretch of the clause after the hit


def locate(norm: str, start: int, end: int) -> Hit:
    """Return the :class:`Hit` for ``norm[start:end]`` with its sentence and clause."""
    sentence = seg.sentence_bounds(norm, start, end)
    clause = seg.clause_bounds(norm, start, end, sentence)
    after = norm[end : min(clause[1], end + AFTER_REACH)]
    cut = _AFTER_CUT.search(after)
    if cut:
        after = after[: cut.start()]
    return Hit(start, end, sentence, clause, seg.tokens(norm[clause[0] : start]), after)


def _first(cue: re.Pattern[str] | None, segment: str) -> str | None:
    """Return the first match of an optional cue regex in ``segment``, or None."""
    if cue is None:
        return None
    m = cue.search(segment)
    return m.group(0) if m else None


def negation(hit: Hit, cues: dict[str, Any]) -> str | None:
    """Return the negating word that governs the hit, if any ("not", "never", "no longer")."""
    neg, stop = cues.get("negation_words", ()), cues.get("stop_words", ())
    for tok in reversed(hit.before[-NEGATION_REACH:]):
        if tok in neg:
            return tok
        if tok in stop:
            return None
    return None


def subject(hit: Hit, norm: str, cues: dict[str, Any]) -> tuple[str, str]:
    """Return (person, cue): "first", "second", "third", "generic" or "unknown"."""
    inside = seg.tokens(norm[hit.start : hit.end])
    for tok in inside:
        person = _person(tok, cues)
        if person in ("first", "third"):
            return person, tok
    for tok in reversed(hit.before[-SUBJECT_REACH:]):
        person = _person(tok, cues)
        if person != "unknown":
            return person, tok
    return "unknown", ""


def _person(tok: str, cues: dict[str, Any]) -> str:
    if tok in cues.get("first_person_words", ()):
        return "first"
    if tok in cues.get("second_person_words", ()):
        return "second"
    if tok in cues.get("third_person_words", ()) or tok in _THIRD_REFLEXIVE:
        return "third"
    if tok in cues.get("generic_person_words", ()):
        return "generic"
    return "unknown"


def hypothetical(hit: Hit, cues: dict[str, Any]) -> str | None:
    """Return the "if"-like word framing the hit as hypothetical, unless intent breaks it."""
    hyp = cues.get("hypothetical_words", ())
    intent = cues.get("intention_words", ())
    for i in range(len(hit.before) - 1, max(-1, len(hit.before) - 10), -1):
        tok = hit.before[i]
        if tok in intent:
            return None
        if tok in hyp:
            return tok
    return None


def past(hit: Hit, norm: str, cues: dict[str, Any], doc_frame: bool) -> tuple[str, str] | None:
    """Return ("past" | "past_unclear", cue) if the hit is told as the past, else None.

    A present or recent marker in the clause ("still", "again", "last night") wins over any
    past reading, so "I tried last night" stays present.
    """
    clause_text = norm[hit.clause[0] : hit.end] + hit.after
    if _first(cues.get("present_frame"), clause_text):
        return None
    sentence = norm[hit.sentence[0] : hit.sentence[1]]
    frame = _first(cues.get("past_frame"), sentence)
    if frame:
        return "past", frame.strip()
    verbs, perfect = cues.get("past_verb_words", ()), cues.get("perfect_words", ())
    window = hit.before[-4:] + seg.tokens(norm[hit.start : hit.end])[:3]
    for i, tok in enumerate(window):
        if tok in verbs and not (i and window[i - 1] in perfect):
            return ("past" if doc_frame else "past_unclear"), tok
    return None


def quotation(hit: Hit, norm: str, cues: dict[str, Any]) -> tuple[str, str] | None:
    """Return (speaker, cue) if the hit sits inside a double-quoted passage.

    speaker is "first" (the writer quoting their own thought), "third" (someone else's
    words) or "reference" (a title or unattributed quote).
    """
    opening = seg.quote_state(norm, hit.start, hit.sentence[0])
    if opening is None:
        return None
    lead = norm[max(hit.sentence[0] - 80, 0) : opening]
    if _first(cues.get("reference_before_quote"), lead):
        return "reference", ""
    if _first(cues.get("first_speaker_before_quote"), lead):
        return "first", ""
    third = _first(cues.get("third_speaker_before_quote"), lead)
    if third:
        return "third", third.strip()
    return "reference", ""


def sentence_cue(hit: Hit, norm: str, cue: re.Pattern[str] | None) -> str | None:
    """Return the first match of ``cue`` in the hit's sentence, or None."""
    return _first(cue, norm[hit.sentence[0] : hit.sentence[1]])


def is_blockquote(norm: str, pos: int) -> bool:
    """Return True if ``pos`` is on a Markdown blockquote line (quoting another post)."""
    start = seg.line_start(norm, pos)
    return norm[start : start + 8].lstrip().startswith(">")

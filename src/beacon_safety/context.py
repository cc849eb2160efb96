"""Read the context of one lexicon hit: speaker, negation, tense, hypotheticals, quotation.

Each function looks only at the hit's sentence or clause (found by :mod:`beacon_safety.text`)
so the work is proportional to the number of hits, not to the length of the text. The cue
words and patterns come from the language's ``risk.toml`` ``[cues]`` table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    after: str  # a short stretch of the clause after the hit, cut at a conjunction
    after_raw: str  # the next characters after the hit, whatever they are


def locate(norm: str, start: int, end: int) -> Hit:
    """Return the :class:`Hit` for ``norm[start:end]`` with its sentence and clause."""
    sentence = seg.sentence_bounds(norm, start, end)
    clause = seg.clause_bounds(norm, start, end, sentence)
    after = norm[end : min(clause[1], end + AFTER_REACH)]
    cut = _AFTER_CUT.search(after)
    if cut:
        after = after[: cut.start()]
    raw = norm[end : end + AFTER_REACH]
    return Hit(start, end, sentence, clause, seg.tokens(norm[clause[0] : start]), after, raw)


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
    for i, tok in enumerate(hit.before[-SUBJECT_REACH:]):
        if tok in ("anyone", "anybody") and hit.before[-SUBJECT_REACH:][i + 1 : i + 2] == ["else"]:
            return "first", "anyone else"  # "does anyone else feel like a burden?" is about me
    inside = seg.tokens(norm[hit.start : hit.end])
    for tok in inside:
        person = _person(tok, cues)
        if person in ("first", "third"):
            return person, tok
    window = hit.before[-SUBJECT_REACH:]
    for i in range(len(window) - 1, -1, -1):
        tok = window[i]
        if tok == "else" and i and window[i - 1] in ("anyone", "anybody"):
            return "first", "anyone else"  # "does anyone else feel numb?" is about me
        person = _person(tok, cues)
        if person != "unknown":
            return person, tok
    return "unknown", ""


def _person(tok: str, cues: dict[str, Any]) -> str:
    """Return "first", "second", "third", "generic" or "unknown" for one token."""
    people = cues.get("person_map")
    if people is None:
        people = cues["person_map"] = person_map(cues)
    found = people.get(tok)
    if found is None and tok.endswith("'s") and len(tok) > 3:
        found = people.get(tok[:-2])  # "friend's", "mom's"
    return found or "unknown"


def person_map(cues: dict[str, Any]) -> dict[str, str]:
    """Return token -> person from the cue word sets (later sets do not override earlier)."""
    out: dict[str, str] = {}
    for name, person in (
        ("first_person_words", "first"),
        ("second_person_words", "second"),
        ("third_person_words", "third"),
        ("generic_person_words", "generic"),
    ):
        for tok in cues.get(name, ()):
            out.setdefault(tok, person)
    for tok in _THIRD_REFLEXIVE:
        out.setdefault(tok, "third")
    return out


def hypothetical(hit: Hit, norm: str, cues: dict[str, Any]) -> str | None:
    """Return the "if"-like word framing the hit as hypothetical, unless intent breaks it.

    A hit in the consequent of a conditional ("if I died nobody would miss me") is the
    writer's claim, not a hypothetical; a declared intention or a "would" between the "if"
    and the hit, or at the start of the hit, marks that.
    """
    hyp = cues.get("hypothetical_words", ())
    intent = cues.get("intention_words", ())
    if any(tok in intent for tok in seg.tokens(norm[hit.start : hit.end])[:3]):
        return None
    for i in range(len(hit.before) - 1, max(-1, len(hit.before) - 10), -1):
        tok = hit.before[i]
        if tok in intent:
            return None
        if tok in hyp:
            return tok
    return None


def present(hit: Hit, norm: str, cues: dict[str, Any]) -> bool:
    """Return True if the hit's clause has a present or recent time marker ("again", "now")."""
    clause_text = norm[hit.clause[0] : hit.end] + hit.after
    return _first(cues.get("present_frame"), clause_text) is not None


def past(
    hit: Hit,
    norm: str,
    cues: dict[str, Any],
    doc_frame: Callable[[], bool],
    *,
    verb_tense: bool = True,
) -> tuple[str, str] | None:
    """Return ("past" | "past_unclear", cue) if the hit is told as the past, else None.

    A present or recent marker in the clause ("still", "again", "last night") wins over any
    past reading, so "I tried last night" stays present. A past frame in the sentence ("five
    years ago") makes it past; otherwise, if ``verb_tense``, a past-tense verb right after a
    subject ("I wanted to die") does, and ``doc_frame()`` (the whole text looks back) decides
    between "past" and "past_unclear"; it is only called when needed, as it reads the text.
    """
    if present(hit, norm, cues):
        return None
    sentence = norm[hit.sentence[0] : hit.sentence[1]]
    frame = _first(cues.get("past_frame"), sentence)
    if frame:
        return "past", frame.strip()
    if not verb_tense:
        return None
    verbs, perfect = cues.get("past_verb_words", ()), cues.get("perfect_words", ())
    leads = (
        cues.get("past_lead_words", frozenset())
        | cues.get("third_person_words", frozenset())
        | cues.get("first_person_words", frozenset())
    )
    pluperfect = cues.get("pluperfect_words", ())
    inside = seg.tokens(norm[hit.start : hit.end])
    if any(t in cues.get("subjunctive_words", ()) for t in hit.before[-4:] + inside):
        return None  # "I wish I was dead" is not about the past
    if any(t in cues.get("reporting_words", ()) for t in hit.before):
        return None  # backshifted reported speech
    window = hit.before[-4:] + inside[:1]
    for i, tok in enumerate(window):
        prev = window[i - 1] if i else ""
        if tok == "been" and prev in pluperfect:
            return ("past" if doc_frame() else "past_unclear"), f"{prev} {tok}"
        if tok in verbs and prev not in perfect and (not prev or prev in leads):
            return ("past" if doc_frame() else "past_unclear"), tok
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

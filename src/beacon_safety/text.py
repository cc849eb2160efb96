"""Text normalisation and local segmentation (sentences, clauses, tokens) around a position.

Segmentation is done lazily, only in a window around a lexicon hit, so that the cost of
reading a long text stays close to one regex pass over it.
"""

from __future__ import annotations

import re

# Curly quotes and similar marks become plain ASCII of the same length so that every span
# found in the normalised text is also a valid span in the original.
_SAME_LENGTH_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u2013": "-",
        "\u2014": "-",
    }
)

_FOLDABLE = re.compile("[" + "".join(map(chr, _SAME_LENGTH_FOLD)) + "]")

# How far (characters) to look around a hit for its sentence; long enough for real sentences,
# short enough that a 1 MB text without punctuation does not make every hit cost O(n).
SENTENCE_REACH = 400

_SENTENCE_END = re.compile(r"[.!?\n]+[\"')\]]*(?:\s|$)|\n")
_CLAUSE_BREAK = re.compile(
    r"[,;:()]|\s-\s|\b(?:but|though|although|however|whereas|yet|so now|and now|and today|"
    # Discourse markers that start a new thought in unpunctuated forum run-ons.
    r"anyway|anyways|idk|ngl|btw|and also|"
    r"pero|aunque|sin embargo|y ahora|y hoy)\b"
)
_TOKEN = re.compile(r"[\w']+")


def normalise(text: str) -> str:
    """Return a lower-cased copy of ``text`` with the same length and folded quote marks.

    ``str.lower`` can change the length of a few characters (for example U+0130); those are
    left as they are so that indices keep pointing at the same characters.
    """
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    # translate() is slow per character; most texts have nothing to fold.
    return low.translate(_SAME_LENGTH_FOLD) if _FOLDABLE.search(low) else low


def sentence_bounds(norm: str, start: int, end: int) -> tuple[int, int]:
    """Return the (start, end) of the sentence containing ``norm[start:end]``.

    A sentence ends at a newline, or at ".", "!" or "?" followed by whitespace. Only
    SENTENCE_REACH characters either side are looked at, so a text without punctuation
    still costs a bounded amount per hit.
    """
    lo = max(0, start - SENTENCE_REACH)
    s = lo
    pos = start
    while pos > lo:
        cut = max(norm.rfind(".", lo, pos), norm.rfind("!", lo, pos), norm.rfind("?", lo, pos))
        newline = norm.rfind("\n", lo, pos)
        if newline >= cut:
            s = newline + 1 if newline >= 0 else lo
            break
        if cut + 1 >= len(norm) or norm[cut + 1].isspace() or norm[cut + 1] in "\"')":
            s = cut + 1
            break
        pos = cut
    if lo > 0 and s == lo:
        s = start - min(start - lo, 200)
    m = _SENTENCE_END.search(norm, end, min(len(norm), end + SENTENCE_REACH))
    e = m.start() + 1 if m else min(len(norm), end + SENTENCE_REACH)
    return s, min(e, len(norm))


def clause_bounds(norm: str, start: int, end: int, sent: tuple[int, int]) -> tuple[int, int]:
    """Return the (start, end) of the clause containing the hit, inside its sentence."""
    s = sent[0]
    for m in _CLAUSE_BREAK.finditer(norm, sent[0], start):
        s = m.end()
    m = _CLAUSE_BREAK.search(norm, end, sent[1])
    e = m.start() if m else sent[1]
    return s, e


def tokens(segment: str) -> list[str]:
    """Return the word tokens (apostrophes kept inside words) of a normalised segment."""
    return _TOKEN.findall(segment)


def quote_state(norm: str, start: int, sent_start: int) -> int | None:
    """Return the index of an unclosed double quote before ``start`` in its sentence, if any.

    Only straight double quotes are counted (curly quotes were folded by :func:`normalise`).
    """
    lo = max(sent_start - 200, 0)
    if norm.count('"', lo, start) % 2 == 1:
        return norm.rfind('"', lo, start)
    return None


def line_start(norm: str, pos: int) -> int:
    """Return the index where the line containing ``pos`` starts."""
    return norm.rfind("\n", 0, pos) + 1

"""How place names are compared: lower-case ASCII, punctuation folded to single spaces."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


def place_key(name: str) -> str:
    """'Saint-Étienne' → 'saint etienne'; 'St. Paul' → 'saint paul'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = _NON_ALNUM.sub(" ", ascii_name.casefold()).split()
    if words and words[0] in _ABBREVIATIONS:
        words[0] = _ABBREVIATIONS[words[0]]
    return " ".join(words)

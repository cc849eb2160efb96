"""Suggest content warnings from the fixed vocabulary (:data:`~beacon_safety.CONTENT_WARNINGS`).

A warning says what a text is about, so it is suggested whatever the tense or speaker:
a recovery story about a past attempt still gets "suicide".
"""

from __future__ import annotations

from collections.abc import Iterable

from beacon_safety.lexicon import Lexicon, rule_index
from beacon_safety.model import CONTENT_WARNINGS


def suggest_warnings(norm: str, lex: Lexicon, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Return warning slugs for a normalised text, in vocabulary order.

    ``extra`` adds slugs already decided elsewhere (from risk signals).
    """
    found = set(extra)
    if lex.warning_re is not None:
        wanted = set(lex.warning_slugs)
        pos = 0
        # One search per slug still missing, resuming after the last hit, keeps this a single
        # left-to-right pass in the worst case.
        while len(found & wanted) < len(wanted):
            m = lex.warning_re.search(norm, pos)
            if m is None:
                break
            found.add(lex.warning_slugs[rule_index(m.lastgroup or "f0_0")])
            pos = m.end()
    return tuple(slug for slug, _ in CONTENT_WARNINGS if slug in found)

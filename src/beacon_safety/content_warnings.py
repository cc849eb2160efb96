"""Suggest content warnings from the fixed vocabulary (:data:`~beacon_safety.CONTENT_WARNINGS`).

A warning says what a text is about, so it is suggested whatever the tense or speaker:
a recovery story about a past attempt still gets "suicide".
"""

from __future__ import annotations

from collections.abc import Iterable

from beacon_safety.lexicon import Lexicon, rule_index
from beacon_safety.model import CONTENT_WARNINGS
from beacon_safety.scan import Hits


def suggest_warnings(
    norm: str, lex: Lexicon, extra: Iterable[str] = (), found: Hits | None = None
) -> tuple[str, ...]:
    """Return warning slugs for a normalised text, in vocabulary order.

    ``extra`` adds slugs already decided elsewhere (from risk signals).
    """
    slugs = set(extra)
    if lex.warning_re is not None:
        if found is None:
            found = lex.scanner.scan(norm)
        for m in found.get("warning", ()):
            slugs.add(lex.warning_slugs[rule_index(m.lastgroup or "f0_0")])
    return tuple(slug for slug, _ in CONTENT_WARNINGS if slug in slugs)

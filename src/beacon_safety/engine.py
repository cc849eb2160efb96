"""The public entry point: :func:`assess` reads one text and returns an :class:`Assessment`."""

from __future__ import annotations

from beacon_safety import lexicon
from beacon_safety.content_warnings import suggest_warnings
from beacon_safety.language import find_language
from beacon_safety.model import KINDS, Assessment
from beacon_safety.personal_data import find_personal_data
from beacon_safety.risk import read_risk
from beacon_safety.safe_messaging import find_safe_messaging
from beacon_safety.text import normalise


def assess(text: str, *, kind: str = "generic", lang: str = lexicon.DEFAULT_LANG) -> Assessment:
    """Read ``text`` and return its risk tier, signals, warnings and writing suggestions.

    ``kind`` says where the text comes from ("story", "comment", "answer", "event", "search"
    or "generic"); unknown kinds are read as "generic". ``lang`` selects the lexicons; an
    unknown language falls back to English. Never raises for any ``str`` input; non-``str``
    input is converted with ``str()`` (bytes are decoded as UTF-8 with replacement).
    """
    if not isinstance(text, str):
        text = text.decode("utf-8", "replace") if isinstance(text, bytes | bytearray) else str(text)
    if kind not in KINDS:
        kind = "generic"
    lex = lexicon.load(lang)
    norm = normalise(text)
    found = lex.scanner.scan(norm)
    risk = read_risk(norm, lex, kind=kind, found=found)
    return Assessment(
        risk=risk.risk,
        signals=risk.signals,
        content_warnings=suggest_warnings(norm, lex, risk.warnings, found),
        safe_messaging=find_safe_messaging(norm, lex, found),
        language=find_language(text, norm, lex, found),
        personal_data=find_personal_data(text, norm, lang=lex.lang),
        lang=lex.lang,
        kind=kind,
    )

"""beacon_safety: framework-free text safety for Beacon (no Django import, ever).

Read a text once and get a risk tier with reasons, content-warning suggestions,
safe-messaging flags, stigmatising-language suggestions and personal-data warnings::

    from beacon_safety import assess, Risk
    a = assess("i can't do this anymore", kind="comment")
    a.risk is Risk.CONCERN

See docs/developer/safety.md.
"""

from beacon_safety.engine import assess
from beacon_safety.lexicon import available_languages, language_terms
from beacon_safety.model import (
    CONTENT_WARNINGS,
    KINDS,
    Assessment,
    LanguageFlag,
    LanguageTerm,
    PersonalDataFlag,
    Risk,
    SafeMessagingFlag,
    Signal,
)

__all__ = [
    "CONTENT_WARNINGS",
    "KINDS",
    "Assessment",
    "LanguageFlag",
    "LanguageTerm",
    "PersonalDataFlag",
    "Risk",
    "SafeMessagingFlag",
    "Signal",
    "assess",
    "available_languages",
    "language_terms",
]

"""Immutable result types returned by :func:`beacon_safety.assess`.

Everything here is a frozen, slotted dataclass or an enum so that an assessment can be cached,
shared between threads and compared in tests without defensive copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal


class Risk(StrEnum):
    """How much the writer, or someone they describe, may be at risk now."""

    NONE = "none"
    CONCERN = "concern"
    CRISIS = "crisis"

    @property
    def rank(self) -> int:
        """Return the order of the tier (none < concern < crisis) for comparisons."""
        return _RISK_RANK[self]


_RISK_RANK = {Risk.NONE: 0, Risk.CONCERN: 1, Risk.CRISIS: 2}

Kind = Literal["story", "comment", "answer", "event", "search", "generic"]
KINDS: tuple[str, ...] = ("story", "comment", "answer", "event", "search", "generic")

PersonalDataKind = Literal["phone", "email", "address", "url", "handle", "name"]

# The fixed content-warning vocabulary: (slug, label). Slugs are stable identifiers stored by
# the Django side; labels are English display text and may be reworded.
CONTENT_WARNINGS: tuple[tuple[str, str], ...] = (
    ("suicide", "Suicide"),
    ("self-harm", "Self-harm"),
    ("eating-disorders", "Eating disorders"),
    ("substance-use", "Substance use"),
    ("abuse", "Abuse"),
    ("sexual-violence", "Sexual violence"),
    ("violence", "Violence"),
    ("grief-and-loss", "Grief and loss"),
    ("psychosis-and-hospitalisation", "Psychosis and hospitalisation"),
)
CONTENT_WARNING_SLUGS: frozenset[str] = frozenset(slug for slug, _ in CONTENT_WARNINGS)


@dataclass(frozen=True, slots=True)
class Signal:
    """One piece of evidence behind the risk tier, with the passage it came from."""

    kind: str
    start: int
    end: int
    reason: str
    tier: Risk

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of this signal."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "reason": self.reason,
            "tier": str(self.tier),
        }


@dataclass(frozen=True, slots=True)
class SafeMessagingFlag:
    """A passage that safe-messaging guidance asks authors to reconsider (not a risk tier)."""

    kind: str
    start: int
    end: int
    reason: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of this flag."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "reason": self.reason,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class LanguageFlag:
    """A stigmatising term found in the text, with gentler alternatives. Never a block."""

    term: str
    start: int
    end: int
    alternatives: tuple[str, ...]
    why: str
    entry_id: str
    figurative: bool = False
    self_descriptive: bool = False
    severity: Literal["suggest"] = "suggest"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of this flag."""
        return {
            "term": self.term,
            "entry_id": self.entry_id,
            "start": self.start,
            "end": self.end,
            "alternatives": list(self.alternatives),
            "why": self.why,
            "figurative": self.figurative,
            "self_descriptive": self.self_descriptive,
            "severity": self.severity,
        }


@dataclass(frozen=True, slots=True)
class PersonalDataFlag:
    """Something that could identify the author or a third party if published."""

    kind: PersonalDataKind
    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of this flag."""
        return {"kind": self.kind, "start": self.start, "end": self.end, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class LanguageTerm:
    """One entry of a stigmatising-language table, as loaded from a data file."""

    id: str
    term: str
    alternatives: tuple[str, ...]
    why: str
    source: str
    category: str
    examples: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Assessment:
    """The full, immutable result of reading one text."""

    risk: Risk
    signals: tuple[Signal, ...]
    content_warnings: tuple[str, ...]
    safe_messaging: tuple[SafeMessagingFlag, ...]
    language: tuple[LanguageFlag, ...]
    personal_data: tuple[PersonalDataFlag, ...]
    lang: str = "en"
    kind: str = "generic"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict (the shape used by the CLI and by Django views)."""
        return {
            "risk": str(self.risk),
            "lang": self.lang,
            "kind": self.kind,
            "signals": [s.to_dict() for s in self.signals],
            "content_warnings": list(self.content_warnings),
            "safe_messaging": [f.to_dict() for f in self.safe_messaging],
            "language": [f.to_dict() for f in self.language],
            "personal_data": [f.to_dict() for f in self.personal_data],
        }

"""Find personal data an anonymous author may not want to publish.

Phones go through the ``phonenumbers`` library, which is slow, so it only runs on a short
window around a run of at least seven digits found by a cheap regex. Email addresses, URLs,
social handles, street addresses and third parties' full names are found with linear-time
regexes (no nested unbounded repetition).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from beacon_safety.lexicon import DEFAULT_LANG, available_languages, read_data
from beacon_safety.model import PersonalDataFlag

MAX_FLAGS = 100
MAX_PHONE_CANDIDATES = 50

_DIGIT_RUN = re.compile(r"(?<![\w+])\+?\(?\d[\d \t().\-/]{5,20}\d(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()\[\]]{2,2000}")
_BARE_DOMAIN = re.compile(
    r"(?<![\w.@/-])[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,4}"
    r"\.(?:com|org|net|io|co|uk|me|ly|app|dev|info|biz|gg|tv|es|mx|ar|de|fr|au|ca|link|xyz|page)"
    r"\b(?:/[^\s<>\"'()]{0,2000})?"
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
_TRAILING_PUNCT = ".,;:!?)]}'\""


@dataclass(frozen=True, slots=True)
class _Rules:
    regions: tuple[str, ...]
    public_numbers: frozenset[str]
    address_cs: tuple[re.Pattern[str], ...]
    address_ci: tuple[re.Pattern[str], ...]
    names: re.Pattern[str] | None
    reasons: dict[str, str]


_REASONS = {
    "phone": "A phone number; it could identify you or someone else.",
    "email": "An email address; it could identify you or someone else.",
    "address": "A street address or postcode; it could reveal where someone lives.",
    "url": "A link; check that it does not lead to a personal profile or page.",
    "handle": "A social media handle; it could identify you or someone else.",
    "name": "What looks like someone's full name; consider using initials or a role instead.",
}


@lru_cache(maxsize=8)
def _rules(lang: str) -> _Rules:
    if lang not in available_languages():
        lang = DEFAULT_LANG
    data = read_data(lang, "personal_data.toml")
    spaced = [
        re.compile(p.replace(" ", r"\s+")) for p in data.get("address_case_sensitive", [])
    ]
    lower = [re.compile(p.replace(" ", r"\s+")) for p in data.get("address", [])]
    names = None
    cues, relations = data.get("name_cues", []), data.get("name_relations", [])
    titles = data.get("titles", [])
    if cues or titles:
        cap = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{1,30}"
        full = rf"{cap}(?:[ -]{cap}){{1,2}}"
        rel = "|".join(re.escape(r) for r in relations)
        cue = "|".join(re.escape(c) for c in cues)
        title = "|".join(re.escape(t) for t in titles)
        parts = []
        if rel:
            parts.append(rf"(?i:\b(?:{cue})\s+(?:{rel}),?\s+)(?P<a>{full})")
        parts.append(rf"(?i:\b(?:{cue})\s+)(?P<b>{full})\b(?=\s+(?:\w+\s+)?(?i:said|told|says|tells|was|is|who|and i|texted|hit|hurt))")
        if title:
            parts.append(rf"\b(?P<c>(?:{title})\.?\s+{cap}(?:\s+{cap})?)")
        names = re.compile("|".join(parts))
    return _Rules(
        regions=tuple(data.get("phone_regions", ["US"])),
        public_numbers=frozenset(data.get("public_numbers", [])),
        address_cs=tuple(spaced),
        address_ci=tuple(lower),
        names=names,
        reasons=_REASONS,
    )


def _strip(text: str, start: int, end: int) -> int:
    """Return ``end`` moved left past trailing punctuation that rarely belongs to a link."""
    while end > start + 1 and text[end - 1] in _TRAILING_PUNCT:
        end -= 1
    return end


def _phones(text: str, rules: _Rules) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for n, m in enumerate(_DIGIT_RUN.finditer(text)):
        if n >= MAX_PHONE_CANDIDATES:
            break
        digits = "".join(c for c in m.group(0) if c.isdigit())
        if len(digits) < 7 or len(digits) > 15 or digits in rules.public_numbers:
            continue
        lo = max(0, m.start() - 4)
        window = text[lo : m.end() + 1]
        for region in rules.regions:
            found = False
            for match in phonenumbers.PhoneNumberMatcher(
                window, region, leniency=phonenumbers.Leniency.POSSIBLE, max_tries=5
            ):
                national = str(match.number.national_number)
                if national in rules.public_numbers or digits in rules.public_numbers:
                    continue
                spans.append((lo + match.start, lo + match.end))
                found = True
            if found:
                break
    return spans


def find_personal_data(text: str, norm: str, *, lang: str = DEFAULT_LANG) -> tuple[
    PersonalDataFlag, ...
]:
    """Return phone numbers, emails, addresses, URLs, handles and full names in ``text``."""
    rules = _rules(lang)
    found: list[tuple[str, int, int]] = []
    if "@" in text:
        found += [("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
        found += [("handle", m.start(), m.end()) for m in _HANDLE.finditer(text)]
    if "." in norm:
        for m in _URL.finditer(norm):
            found.append(("url", m.start(), _strip(norm, m.start(), m.end())))
        for m in _BARE_DOMAIN.finditer(norm):
            found.append(("url", m.start(), _strip(norm, m.start(), m.end())))
    found += [("phone", s, e) for s, e in _phones(text, rules)]
    for pat in rules.address_cs:
        found += [("address", m.start(), m.end()) for m in pat.finditer(text)]
    for pat in rules.address_ci:
        found += [("address", m.start(), m.end()) for m in pat.finditer(norm)]
    if rules.names is not None:
        for m in rules.names.finditer(text):
            group = m.lastgroup or "a"
            found.append(("name", m.start(group), m.end(group)))
    return _dedupe(found, rules)


def _dedupe(found: list[tuple[str, int, int]], rules: _Rules) -> tuple[PersonalDataFlag, ...]:
    """Drop flags contained in a longer flag (an email's domain is not a separate URL)."""
    found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
    flags: list[PersonalDataFlag] = []
    last_end = -1
    for kind, start, end in found:
        if end <= last_end or start < last_end:
            continue
        flags.append(PersonalDataFlag(kind, start, end, rules.reasons[kind]))  # type: ignore[arg-type]
        last_end = end
        if len(flags) >= MAX_FLAGS:
            break
    return tuple(flags)

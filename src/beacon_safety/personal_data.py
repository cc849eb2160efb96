"""Find personal data an anonymous author may not want to publish.

Every finder starts from something Python's regex engine can skip to quickly (an "@", a
digit, a capital letter, a dot before a top-level domain) and only then looks around it, so
the cost stays close to one pass over the text. Phone numbers go through the
``phonenumbers`` library, which is slow, so it only runs on a short window around a run of
at least seven digits.
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
MAX_HINTS = 500
_NANP = frozenset({"US", "CA"})

_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"[+(\d][\d \t().\-/]{5,20}\d(?!\d)")
_EMAIL_LOCAL = re.compile(r"[\w.+-]{1,64}$")
_DOMAIN = re.compile(r"[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_HANDLE_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]{2,2000}")
_TLD = re.compile(
    r"\.(?:com|org|net|io|co|uk|me|ly|app|dev|info|biz|gg|tv|es|mx|ar|de|fr|au|ca|link|xyz|page)"
    r"(?![\w-])"
)
_DOMAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")
_PATH = re.compile(r"/[^\s<>\"'()]{0,2000}")
_CAP = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’]{1,30}"
_FULL_NAME = re.compile(rf"{_CAP}(?:[ -]{_CAP}){{1,2}}")
_TRAILING_PUNCT = ".,;:!?)]}'\""

_REASONS = {
    "phone": "A phone number; it could identify you or someone else.",
    "email": "An email address; it could identify you or someone else.",
    "address": "A street address or postcode; it could reveal where someone lives.",
    "url": "A link; check that it does not lead to a personal profile or page.",
    "handle": "A social media handle; it could identify you or someone else.",
    "name": "What looks like someone's full name; consider using initials or a role instead.",
}


@dataclass(frozen=True, slots=True)
class _Rules:
    regions: tuple[str, ...]
    public_numbers: frozenset[str]
    address_cs: tuple[re.Pattern[str], ...]
    address_ci: tuple[re.Pattern[str], ...]
    name_before: re.Pattern[str] | None
    name_after: re.Pattern[str] | None
    title_before: re.Pattern[str] | None


@lru_cache(maxsize=8)
def _rules(lang: str) -> _Rules:
    """Compile the personal-data cues of ``data/<lang>/personal_data.toml`` (cached)."""
    if lang not in available_languages():
        lang = DEFAULT_LANG
    data = read_data(lang, "personal_data.toml")

    def compile_all(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p.replace(" ", r"\s+")) for p in data.get(key, []))

    cues = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in data.get("name_cues", []))
    rel = "|".join(re.escape(r) for r in data.get("name_relations", []))
    titles = "|".join(re.escape(t) for t in data.get("titles", []))
    name_before = after = title = None
    if cues:
        parts = [rf"\b(?:{cues})\s+(?:(?:{rel}),?\s+)?$"] if rel else [rf"\b(?:{cues})\s+$"]
        name_before = re.compile("|".join(parts), re.IGNORECASE)
        after = re.compile(
            r"\s+(?:\w+\s+)?(?:said|told|says|tells|was|is|who|texted|hit|hurt)\b", re.IGNORECASE
        )
    if titles:
        title = re.compile(rf"\b(?:{titles})\.?\s+$")
    return _Rules(
        regions=tuple(data.get("phone_regions", ["US"])),
        public_numbers=frozenset(data.get("public_numbers", [])),
        address_cs=compile_all("address_case_sensitive"),
        address_ci=compile_all("address"),
        name_before=name_before,
        name_after=after,
        title_before=title,
    )


def _word_before(text: str, pos: int) -> bool:
    """Return True if ``pos`` is inside a word (so a match there is not a token start)."""
    return pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_")


def _phones(text: str, rules: _Rules) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for n, m in enumerate(_DIGIT_RUN.finditer(text)):
        if n >= MAX_PHONE_CANDIDATES:
            break
        digits = "".join(c for c in m.group(0) if c.isdigit())
        if len(digits) < 7 or len(digits) > 15 or digits in rules.public_numbers:
            continue
        if _word_before(text, m.start()):
            continue
        lo = max(0, m.start() - 4)
        window = text[lo : m.end() + 1]
        regions = rules.regions
        if digits[0] == "0" and m.group(0)[0] != "+":
            # A leading trunk 0 never starts a North American number: try the others first.
            regions = tuple(r for r in regions if r not in _NANP) + tuple(
                r for r in regions if r in _NANP
            )
        for region in regions:
            found = False
            for match in phonenumbers.PhoneNumberMatcher(
                window, region, leniency=phonenumbers.Leniency.POSSIBLE, max_tries=5
            ):
                if str(match.number.national_number) in rules.public_numbers:
                    continue
                spans.append(("phone", lo + match.start, lo + match.end))
                found = True
            if found:
                break
    return spans


def _at_signs(text: str) -> list[tuple[str, int, int]]:
    """Return emails and social handles, found from each "@"."""
    out: list[tuple[str, int, int]] = []
    pos = text.find("@")
    seen = 0
    while pos != -1 and seen < MAX_HINTS:
        seen += 1
        local = _EMAIL_LOCAL.search(text, max(0, pos - 64), pos)
        domain = _DOMAIN.match(text, pos + 1)
        if local and domain and not _word_before(text, local.start()):
            out.append(("email", local.start(), domain.end()))
        elif not local and not (pos and text[pos - 1] in ".@"):
            handle = _HANDLE_NAME.match(text, pos + 1)
            if handle:
                out.append(("handle", pos, handle.end()))
        pos = text.find("@", pos + 1)
    return out


def _urls(norm: str) -> list[tuple[str, int, int]]:
    """Return links: explicit ("https://", "www.") and bare domains ("janesmith.com")."""
    out: list[tuple[str, int, int]] = []
    if "http" in norm or "www." in norm:
        for m in _URL.finditer(norm):
            if not _word_before(norm, m.start()):
                out.append(("url", m.start(), _strip(norm, m.start(), m.end())))
    for n, m in enumerate(_TLD.finditer(norm)):
        if n >= MAX_HINTS:
            break
        start = m.start()
        floor = max(0, start - 253)
        while start > floor and norm[start - 1] in _DOMAIN_CHARS:
            start -= 1
        if start == m.start() or (start and norm[start - 1] in "@/:"):
            continue  # no name before the dot, or part of an email or a longer link
        end = m.end()
        path = _PATH.match(norm, end)
        if path:
            end = path.end()
        out.append(("url", start, _strip(norm, start, end)))
    return out


def _names(text: str, rules: _Rules) -> list[tuple[str, int, int]]:
    """Return full names introduced by a cue ("my boss John Carter") or a title ("Dr. X")."""
    out: list[tuple[str, int, int]] = []
    for n, m in enumerate(_FULL_NAME.finditer(text)):
        if n >= MAX_HINTS:
            break
        before = text[max(0, m.start() - 40) : m.start()]
        title = rules.title_before.search(before) if rules.title_before else None
        if title:
            out.append(("name", m.start() - (len(before) - title.start()), m.end()))
        elif rules.name_before is not None and rules.name_before.search(before):
            out.append(("name", m.start(), m.end()))
    return out


def find_personal_data(
    text: str, norm: str, *, lang: str = DEFAULT_LANG
) -> tuple[PersonalDataFlag, ...]:
    """Return phone numbers, emails, addresses, URLs, handles and full names in ``text``."""
    rules = _rules(lang)
    found: list[tuple[str, int, int]] = []
    if "@" in text:
        found += _at_signs(text)
    if "." in norm:
        found += _urls(norm)
    if _DIGIT.search(text):
        found += _phones(text, rules)
        for pat in rules.address_cs:
            found += [
                ("address", m.start(), m.end())
                for m in pat.finditer(text)
                if not _word_before(text, m.start())
            ]
        for pat in rules.address_ci:
            found += [
                ("address", m.start(), m.end())
                for m in pat.finditer(norm)
                if not _word_before(norm, m.start())
            ]
    found += _names(text, rules)
    return _dedupe(found)


def _strip(text: str, start: int, end: int) -> int:
    """Return ``end`` moved left past trailing punctuation that rarely belongs to a link."""
    while end > start + 1 and text[end - 1] in _TRAILING_PUNCT:
        end -= 1
    return end


def _dedupe(found: list[tuple[str, int, int]]) -> tuple[PersonalDataFlag, ...]:
    """Drop flags overlapping an earlier, longer flag (an email's domain is not a URL)."""
    found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
    flags: list[PersonalDataFlag] = []
    last_end = -1
    for kind, start, end in found:
        if start < last_end:
            continue
        flags.append(PersonalDataFlag(kind, start, end, _REASONS[kind]))  # type: ignore[arg-type]
        last_end = end
        if len(flags) >= MAX_FLAGS:
            break
    return tuple(flags)

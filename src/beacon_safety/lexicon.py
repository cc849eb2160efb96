"""Load per-language lexicons from TOML data files and compile them once per process.

A language is a directory ``data/<lang>/`` holding any of ``risk.toml``,
``content_warnings.toml``, ``safe_messaging.toml`` and ``language.toml``. A missing file
means "no rules of that kind for this language"; adding a language needs no code change.

Patterns in the data files are regular expressions written against lower-cased text with
two conveniences: a literal space matches any run of whitespace, and ``%name%`` expands to
the language's ``[macros]`` entry ``name``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from beacon_safety.context import person_map
from beacon_safety.model import CONTENT_WARNING_SLUGS, LanguageTerm, Risk
from beacon_safety.scan import Scanner

DEFAULT_LANG = "en"


class LexiconError(ValueError):
    """A data file is malformed (bad regex, unknown tier or content warning, …)."""


@dataclass(frozen=True, slots=True)
class RiskRule:
    """One risk pattern: what it means, which tier it suggests and whose risk it describes."""

    kind: str
    tier: Risk
    person: str  # "self", "any" (decided from context) or "third"
    reason: str
    warning: str | None
    needs_context: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class FlagRule:
    """A safe-messaging or content-warning pattern with its explanation."""

    kind: str
    reason: str
    suggestion: str
    needs_context: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class TermRule:
    """Compiled matching rules for one stigmatising-language entry."""

    entry: LanguageTerm
    not_when: re.Pattern[str] | None
    figurative_when: re.Pattern[str] | None
    literal_when: re.Pattern[str] | None
    needs_context: re.Pattern[str] | None
    figurative_default: bool
    focus: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything compiled for one language."""

    lang: str
    risk_re: re.Pattern[str] | None
    risk_rules: tuple[RiskRule, ...]
    idiom_re: re.Pattern[str] | None
    idiom_reasons: tuple[str, ...]
    cues: dict[str, Any]
    reasons: dict[str, str]
    warning_re: re.Pattern[str] | None
    warning_slugs: tuple[str, ...]
    safe_re: re.Pattern[str] | None
    safe_rules: tuple[FlagRule, ...]
    term_re: re.Pattern[str] | None
    term_rules: tuple[TermRule, ...]
    keywords: tuple[str, ...]
    scanner: Scanner


def _expand(pattern: str, macros: dict[str, str]) -> str:
    """Expand ``%macro%`` references and turn literal spaces (outside classes) into ``\\s+``."""
    for _ in range(3):  # macros may refer to macros
        pattern = re.sub(r"%(\w+)%", lambda m: macros[m.group(1)], pattern)
    out: list[str] = []
    in_class = escaped = skip = False
    for i, ch in enumerate(pattern):
        if skip:
            skip = False
        elif escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == "]":
            in_class = False
            out.append(ch)
        elif ch == " " and not in_class:
            # "my ?self": an optional space becomes optional whitespace.
            skip = pattern[i + 1 : i + 2] == "?"
            out.append(r"\s*" if skip else r"\s+")
        else:
            out.append(ch)
    return "".join(out)


def _compile(pattern: str, macros: dict[str, str], where: str) -> str:
    """Expand and validate one pattern; it must compile and contain no capturing group."""
    expanded = _expand(pattern, macros)
    try:
        compiled = re.compile(expanded)
    except re.error as exc:
        raise LexiconError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
    if compiled.groups:
        raise LexiconError(f"{where}: use (?:...) not (...) in {pattern!r}")
    return expanded


def _alternation(named: list[tuple[str, str]]) -> re.Pattern[str] | None:
    """Compile ``[(group_name, pattern)]`` into one word-bounded alternation, or None."""
    if not named:
        return None
    body = "|".join(f"(?P<{name}>{pat})" for name, pat in named)
    return re.compile(rf"(?<![\w'])(?:{body})(?![\w])")


def _optional_re(value: Any, macros: dict[str, str], where: str) -> re.Pattern[str] | None:
    """Compile an optional pattern (or list of patterns) from a data file."""
    if not value:
        return None
    items = value if isinstance(value, list) else [value]
    return re.compile("|".join(f"(?:{_compile(p, macros, where)})" for p in items))


def read_data(lang: str, name: str) -> dict[str, Any]:
    """Return the parsed TOML file ``data/<lang>/<name>``, or {} if it does not exist."""
    path = resources.files("beacon_safety").joinpath("data", lang, name)
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def available_languages() -> tuple[str, ...]:
    """Return the language codes that have a data directory."""
    root = resources.files("beacon_safety").joinpath("data")
    return tuple(sorted(p.name for p in root.iterdir() if p.is_dir() and len(p.name) <= 3))


def _load_risk(lang: str, macros: dict[str, str]) -> tuple[Any, ...]:
    data = read_data(lang, "risk.toml")
    rules: list[RiskRule] = []
    named: list[tuple[str, str]] = []
    for i, item in enumerate(data.get("pattern", [])):
        where = f"{lang}/risk.toml pattern {i}"
        warning = item.get("warning")
        if warning is not None and warning not in CONTENT_WARNING_SLUGS:
            raise LexiconError(f"{where}: unknown content warning {warning!r}")
        rules.append(
            RiskRule(
                kind=item["kind"],
                tier=Risk(item["tier"]),
                person=item.get("person", "any"),
                reason=item["reason"],
                warning=warning,
                needs_context=_optional_re(item.get("needs_context"), macros, where),
            )
        )
        for j, pat in enumerate(item["regex"]):
            named.append((f"r{i}_{j}", _compile(pat, macros, where)))
    idioms = data.get("idiom", [])
    idiom_named = [
        (f"i{i}_{j}", _compile(p, macros, f"{lang}/risk.toml idiom {i}"))
        for i, it in enumerate(idioms)
        for j, p in enumerate(it["regex"])
    ]
    cues: dict[str, Any] = {}
    for key, value in data.get("cues", {}).items():
        if isinstance(value, list) and key.endswith("_words"):
            cues[key] = frozenset(value)
        else:
            cues[key] = _optional_re(value, macros, f"{lang}/risk.toml cue {key}")
    cues["person_map"] = person_map(cues)
    return (
        (_alternation(named), named),
        tuple(rules),
        (_alternation(idiom_named), idiom_named),
        tuple(it["reason"] for it in idioms),
        cues,
        dict(data.get("reasons", {})),
        list(data.get("floor_keywords", [])),
    )


def _load_flags(lang: str, name: str, macros: dict[str, str]) -> tuple[Any, ...]:
    data = read_data(lang, name)
    rules: list[FlagRule] = []
    named: list[tuple[str, str]] = []
    for i, item in enumerate(data.get("flag", [])):
        where = f"{lang}/{name} flag {i}"
        kind = item["kind"]
        if name == "content_warnings.toml" and kind not in CONTENT_WARNING_SLUGS:
            raise LexiconError(f"{where}: unknown content warning {kind!r}")
        rules.append(
            FlagRule(
                kind=kind,
                reason=item.get("reason", ""),
                suggestion=item.get("suggestion", ""),
                needs_context=_optional_re(item.get("needs_context"), macros, where),
            )
        )
        for j, pat in enumerate(item["regex"]):
            named.append((f"f{i}_{j}", _compile(pat, macros, where)))
    return (_alternation(named), named), tuple(rules)


def _load_terms(lang: str, macros: dict[str, str]) -> tuple[Any, ...]:
    data = read_data(lang, "language.toml")
    rules: list[TermRule] = []
    named: list[tuple[str, str]] = []
    for i, item in enumerate(data.get("entry", [])):
        where = f"{lang}/language.toml entry {item.get('id', i)}"
        entry = LanguageTerm(
            id=item["id"],
            term=item["term"],
            alternatives=tuple(item["alternatives"]),
            why=item["why"],
            source=item["source"],
            category=item["category"],
            examples=tuple(item.get("examples", ())),
        )
        rules.append(
            TermRule(
                entry=entry,
                not_when=_optional_re(item.get("not_when"), macros, where),
                figurative_when=_optional_re(item.get("figurative_when"), macros, where),
                literal_when=_optional_re(item.get("literal_when"), macros, where),
                needs_context=_optional_re(item.get("needs_context"), macros, where),
                figurative_default=bool(item.get("figurative_default", False)),
                focus=_optional_re(item.get("focus"), macros, where),
            )
        )
        for j, pat in enumerate(item["regex"]):
            named.append((f"t{i}_{j}", _compile(pat, macros, where)))
    return (_alternation(named), named), tuple(rules)


@lru_cache(maxsize=8)
def load(lang: str = DEFAULT_LANG) -> Lexicon:
    """Return the compiled lexicon for ``lang`` (cached; compiled once per process).

    Unknown languages fall back to English so that callers never get an exception for a
    user-supplied language code.
    """
    if lang not in available_languages():
        lang = DEFAULT_LANG
    macros = {k: f"(?:{v})" for k, v in read_data(lang, "risk.toml").get("macros", {}).items()}
    risk, risk_rules, idiom, idiom_reasons, cues, reasons, keywords = _load_risk(lang, macros)
    warning, warning_rules = _load_flags(lang, "content_warnings.toml", macros)
    safe, safe_rules = _load_flags(lang, "safe_messaging.toml", macros)
    term, term_rules = _load_terms(lang, macros)
    categories = {
        name: pair
        for name, pair in (
            ("risk", risk),
            ("idiom", idiom),
            ("warning", warning),
            ("safe", safe),
            ("term", term),
        )
        if pair[0] is not None
    }
    risk_re, idiom_re, warning_re, safe_re, term_re = (
        risk[0],
        idiom[0],
        warning[0],
        safe[0],
        term[0],
    )
    return Lexicon(
        lang=lang,
        risk_re=risk_re,
        risk_rules=risk_rules,
        idiom_re=idiom_re,
        idiom_reasons=idiom_reasons,
        cues=cues,
        reasons=reasons,
        warning_re=warning_re,
        warning_slugs=tuple(r.kind for r in warning_rules),
        safe_re=safe_re,
        safe_rules=safe_rules,
        term_re=term_re,
        term_rules=term_rules,
        keywords=tuple(keywords),
        scanner=Scanner(categories),
    )


def rule_index(group_name: str) -> int:
    """Return the rule index encoded in an alternation group name such as ``r12_3``."""
    return int(group_name[1 : group_name.index("_")])


def language_terms(lang: str = DEFAULT_LANG) -> tuple[LanguageTerm, ...]:
    """Return the stigmatising-language entries loaded for ``lang``, in data-file order."""
    return tuple(rule.entry for rule in load(lang).term_rules)

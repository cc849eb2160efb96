"""Find stigmatising terms and suggest person-first alternatives (never block).

Entries come from ``data/<lang>/language.toml``. A use that reads as figurative ("crazy
busy") or self-descriptive ("as a recovering addict, I…") is still reported, with a flag, so
the interface can word the suggestion gently or hide it.
"""

from __future__ import annotations

import re

from beacon_safety.lexicon import Lexicon, rule_index
from beacon_safety.model import LanguageFlag
from beacon_safety.scan import Hits

NOT_WHEN_REACH = 40
CONTEXT_REACH = 200
MAX_FLAGS = 200

_SELF_BEFORE = re.compile(
    r"(?:\b(?:i'?m|i am|i was|i've been|ive been|i have been|i'?d been|i had been|call(?:ed)? me|"
    r"me|myself|as an?|"
    r"i became|i'm still|we're|we are|us)\b[\w\s,'-]{0,25})$"
)


def _near(pattern: re.Pattern[str] | None, norm: str, start: int, end: int, reach: int) -> bool:
    if pattern is None:
        return False
    return pattern.search(norm, max(0, start - reach), min(len(norm), end + reach)) is not None


def find_language(
    text: str, norm: str, lex: Lexicon, found: Hits | None = None
) -> tuple[LanguageFlag, ...]:
    """Return the stigmatising terms in ``text`` with alternatives and a short why."""
    if lex.term_re is None:
        return ()
    if found is None:
        found = lex.scanner.scan(norm)
    flags: list[LanguageFlag] = []
    for m in found.get("term", ()):
        rule = lex.term_rules[rule_index(m.lastgroup or "t0_0")]
        start, end = m.span()
        if _near(rule.not_when, norm, start, end, NOT_WHEN_REACH):
            continue
        if rule.needs_context is not None and not _near(
            rule.needs_context, norm, start, end, CONTEXT_REACH
        ):
            continue
        literal = _near(rule.literal_when, norm, start, end, 25)
        if rule.focus is not None:
            # Report the stigmatising word itself, not the words that gave it away.
            core = rule.focus.search(norm, start, end)
            if core is not None:
                start, end = core.span()
        figurative = _near(rule.figurative_when, norm, start, end, 25) or (
            rule.figurative_default and not literal
        )
        before = norm[max(0, start - 40) : start]
        entry = rule.entry
        flags.append(
            LanguageFlag(
                term=text[start:end],
                start=start,
                end=end,
                alternatives=entry.alternatives,
                why=entry.why,
                entry_id=entry.id,
                figurative=figurative,
                self_descriptive=_SELF_BEFORE.search(before) is not None,
            )
        )
        if len(flags) >= MAX_FLAGS:
            break
    return tuple(flags)

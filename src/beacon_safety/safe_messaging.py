"""Flag passages that safe-messaging guidance asks authors to reconsider.

Method or means detail, the place of an attempt, graphic detail, glamorising or "epidemic"
framing, a single cause, and suicide notes (safety-facts C1). These are separate from risk:
a recovery story can be safe for its author yet describe a method that may harm readers.
"""

from __future__ import annotations

from beacon_safety.lexicon import Lexicon, rule_index
from beacon_safety.model import SafeMessagingFlag
from beacon_safety.scan import Hits
from beacon_safety.text import sentence_bounds

MAX_FLAGS = 100


def find_safe_messaging(
    norm: str, lex: Lexicon, found: Hits | None = None
) -> tuple[SafeMessagingFlag, ...]:
    """Return the safe-messaging flags for a normalised text, in text order."""
    if lex.safe_re is None:
        return ()
    if found is None:
        found = lex.scanner.scan(norm)
    flags: list[SafeMessagingFlag] = []
    for m in found.get("safe", ()):
        rule = lex.safe_rules[rule_index(m.lastgroup or "f0_0")]
        start, end = m.span()
        if rule.needs_context is not None:
            s, e = sentence_bounds(norm, start, end)
            if rule.needs_context.search(norm, s, e) is None:
                continue
        flags.append(SafeMessagingFlag(rule.kind, start, end, rule.reason, rule.suggestion))
        if len(flags) >= MAX_FLAGS:
            break
    return tuple(flags)

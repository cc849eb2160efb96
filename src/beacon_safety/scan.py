"""Find lexicon hits for every category in one pass over the words of a text.

A big alternation regex tried at every character is slow in Python's ``re`` (each position
tries every branch). Instead, the first one to three characters every pattern can start
with are worked out once, from the parsed regex, and kept in a dict. The text's word starts
are visited once; only where a word's opening characters could start some pattern is that
category's regex tried, anchored, at that position. Categories with a pattern whose start
cannot be worked out (it begins with ``\\w`` or ``\\d``) fall back to a plain ``finditer``.
"""

from __future__ import annotations

import re
import re._constants as sre_c  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Iterator
from typing import Any

PREFIX_LEN = 3
# A first word longer than this is indexed by its first PREFIX_LEN characters.
MAX_WORD = 12
# Above this many distinct keys a pattern is treated as "could start anywhere".
MAX_PREFIXES = 4000
MAX_CACHED_KEYS = 50_000
# Words so frequent that indexing a pattern by them alone would try it almost everywhere;
# patterns starting with one are indexed by it plus the first characters of the next word.
# Performance only (matching is the same without it): English function words; other
# languages still work, with less selective keys.
COMMON_WORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "i",
        "i'm",
        "im",
        "i've",
        "ive",
        "i'd",
        "i'll",
        "me",
        "my",
        "we",
        "you",
        "your",
        "he",
        "she",
        "it",
        "it's",
        "its",
        "they",
        "them",
        "his",
        "her",
        "their",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "do",
        "did",
        "does",
        "don't",
        "dont",
        "have",
        "has",
        "had",
        "so",
        "if",
        "not",
        "no",
        "just",
        "this",
        "that",
        "all",
        "any",
        "about",
        "can",
        "can't",
        "cant",
        "could",
        "would",
        "will",
        "what",
        "when",
        "how",
        "there",
        "one",
        "some",
        "up",
        "out",
        "more",
        "really",
        "very",
        "like",
        "get",
        "got",
        "go",
        "going",
        "want",
        "know",
        "think",
        "feel",
        "still",
        "now",
        "then",
        "every",
        "even",
        "because",
        "after",
        "before",
        "too",
        "also",
    )
)
_COMMON_PREFIXES = frozenset(w[:i] for w in COMMON_WORDS for i in range(1, len(w) + 1))
_WORDISH = frozenset("'_")
_DIGITS = "0123456789"

Hits = dict[str, list[re.Match[str]]]


class _Unbounded(Exception):
    """The pattern can start with (almost) any character: index it as a fallback."""


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in _WORDISH


def _is_space(op: Any, av: Any) -> bool:
    """Return True for a whitespace item: a space, ``\\s`` or ``\\s+`` / ``\\s*``."""
    if op is sre_c.LITERAL:
        return chr(av).isspace()
    if op is sre_c.IN:
        return all(o is sre_c.CATEGORY and a is sre_c.CATEGORY_SPACE for o, a in av)
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and len(av[2]) == 1:
        return _is_space(*av[2][0])
    return False


def _first_word_key(cur: str) -> str:
    """Return the shortest prefix (at least PREFIX_LEN long) that no common word starts with."""
    for size in range(PREFIX_LEN, len(cur) + 1):
        if cur[:size] not in _COMMON_PREFIXES:
            return cur[:size]
    return cur


def _expand(items: list[Any], cur: str, second: bool, depth: int = 0) -> set[str]:
    """Return the index keys a match of the item sequence can start with.

    A key is the first PREFIX_LEN characters of the first word, or, when the first word is a
    common one, that word, a space and up to PREFIX_LEN characters of the next word.
    """
    if depth > 80:
        raise _Unbounded
    word = cur.split(" ", 1)[1] if second else cur
    if second and len(word) >= PREFIX_LEN:
        return {cur}
    if not second and (
        len(cur) > MAX_WORD or (len(cur) >= PREFIX_LEN and cur not in _COMMON_PREFIXES)
    ):
        return {_first_word_key(cur)}
    if not items:
        return {cur} if second else _word_end(cur, None, depth)
    op, av = items[0]
    rest = items[1:]
    if second and not word and _is_space(op, av):
        return _expand(rest, cur, second, depth + 1)  # more whitespace between the words
    if _is_space(op, av) and not (op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] == 0):
        return {cur} if second else _word_end(cur, rest, depth)
    if op is sre_c.LITERAL:
        ch = chr(av)
        if _is_word_char(ch):
            return _expand(rest, cur + ch, second, depth + 1)
        return {cur} if second else _word_end(cur, None, depth)
    if op is sre_c.IN:
        chars: list[str] = []
        for set_op, set_av in av:
            if set_op is sre_c.LITERAL:
                chars.append(chr(set_av))
            elif set_op is sre_c.CATEGORY and set_av is sre_c.CATEGORY_DIGIT:
                chars.extend(_DIGITS)
            elif set_op is sre_c.RANGE and set_av[1] - set_av[0] < 16:
                chars.extend(chr(c) for c in range(set_av[0], set_av[1] + 1))
            else:
                return _unbounded_here(cur, second)
        out: set[str] = set()
        for ch in chars:
            if _is_word_char(ch):
                out |= _expand(rest, cur + ch, second, depth + 1)
            elif ch.isspace():
                out |= {cur} if second else _word_end(cur, rest, depth)
            else:
                out |= {cur} if second else _word_end(cur, None, depth)
        return out
    if op is sre_c.SUBPATTERN:
        return _expand(list(av[-1]) + rest, cur, second, depth + 1)
    if op is sre_c.BRANCH:
        out = set()
        for branch in av[1]:
            out |= _expand(list(branch) + rest, cur, second, depth + 1)
            if len(out) > MAX_PREFIXES:
                raise _Unbounded
        return out
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        again = [(op, (max(lo - 1, 0), hi if hi is sre_c.MAXREPEAT else hi - 1, sub))]
        more = again if hi is sre_c.MAXREPEAT or hi > 1 else []
        out = _expand(list(sub) + more + rest, cur, second, depth + 1)
        if lo == 0:
            out |= _expand(rest, cur, second, depth + 1)
        return out
    if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
        return _expand(rest, cur, second, depth + 1)
    return _unbounded_here(cur, second)


def _word_end(cur: str, rest: list[Any] | None, depth: int) -> set[str]:
    """The first word ended at ``cur``; ``rest`` follows a space (None: something else)."""
    if not cur:
        raise _Unbounded
    if cur in COMMON_WORDS and rest is not None:
        try:
            return _expand(rest, cur + " ", True, depth + 1)
        except _Unbounded:
            return {cur + " "}
    if cur in COMMON_WORDS:
        return {cur + " "}
    return {_first_word_key(cur)}


def _unbounded_here(cur: str, second: bool) -> set[str]:
    """Something unpredictable follows ``cur``: index by what is known, if enough."""
    if second:
        return {cur.split(" ", 1)[0] + " "}
    if len(cur) >= PREFIX_LEN:
        return {_first_word_key(cur)}
    raise _Unbounded


def prefixes(pattern: str) -> set[str] | None:
    """Return the prefixes a match of ``pattern`` can start with, or None if unbounded."""
    try:
        found = _expand(list(sre_parse.parse(pattern)), "", False)
    except _Unbounded:
        return None
    if "" in found or len(found) > MAX_PREFIXES:
        return None
    return found


class Scanner:
    """Finds the matches of several named categories in one pass over word starts."""

    def __init__(
        self, categories: dict[str, tuple[re.Pattern[str], list[tuple[str, str]]]]
    ) -> None:
        """``categories`` maps a name to (compiled alternation, [(group name, pattern)])."""
        self._names: list[str] = list(categories)
        self._fallback: list[tuple[str, re.Pattern[str]]] = []
        index: dict[str, list[tuple[int, int, str, str]]] = {}
        for cat, (name, (compiled, branches)) in enumerate(categories.items()):
            entries: list[tuple[str, tuple[int, int, str, str]]] = []
            for order, (group, pattern) in enumerate(branches):
                found = prefixes(pattern)
                if found is None:
                    self._fallback.append((name, compiled))
                    break
                entries.extend((prefix, (cat, order, group, pattern)) for prefix in found)
            else:
                for prefix, branch in entries:
                    index.setdefault(prefix, []).append(branch)
        self._index = index
        self._trigger = _trigger_regex(set(index))
        # Word-start key (its first 1-3 characters) -> [(category, regex of the branches
        # that can start there)]. Filled lazily; bounded so adversarial text cannot grow it.
        self._by_key: dict[str, tuple[tuple[int, re.Pattern[str]], ...]] = {}
        self._compiled: dict[tuple[tuple[int, int], ...], re.Pattern[str]] = {}

    @property
    def fallback(self) -> tuple[str, ...]:
        """Return the names of categories scanned with a plain ``finditer``."""
        return tuple(name for name, _ in self._fallback)

    def _compile_key(self, key: str) -> tuple[tuple[int, re.Pattern[str]], ...]:
        """Return, per category, one alternation of the branches a text ``key`` may start."""
        branches: set[tuple[int, int, str, str]] = set()
        for size in range(1, len(key) + 1):
            branches.update(self._index.get(key[:size], ()))
        if not branches:
            return ()
        ordered = sorted(branches, key=lambda b: b[:2])
        out: list[tuple[int, re.Pattern[str]]] = []
        for cat in sorted({b[0] for b in ordered}):
            mine = tuple(b for b in ordered if b[0] == cat)
            ident = tuple(b[:2] for b in mine)
            regex = self._compiled.get(ident)
            if regex is None:
                body = "|".join(f"(?P<{g}>{p})" for _, _, g, p in mine)
                regex = re.compile(rf"(?:{body})(?![\w])")
                self._compiled[ident] = regex
            out.append((cat, regex))
        return tuple(out)

    def scan(self, norm: str) -> Hits:
        """Return, per category, its non-overlapping matches in text order.

        At one position the first branch (in data-file order) that matches wins, as in the
        category's alternation.
        """
        names = self._names
        found: Hits = {name: [] for name in names}
        ends = [0] * len(names)
        by_key = self._by_key
        if self._trigger is not None:
            for word in self._trigger.finditer(norm):
                raw = word.group(1)
                plan = by_key.get(raw)
                if plan is None:
                    plan = self._compile_key(
                        " ".join(raw.split()) + (" " if raw[-1:].isspace() else "")
                    )
                    if len(by_key) < MAX_CACHED_KEYS:
                        by_key[raw] = plan
                pos = word.start()
                for cat, regex in plan:
                    if pos >= ends[cat]:
                        m = regex.match(norm, pos)
                        if m is not None and m.end() > pos:
                            found[names[cat]].append(m)
                            ends[cat] = m.end()
        for name, regex in self._fallback:
            found[name] = list(regex.finditer(norm))
        return found


def _trigger_regex(keys: set[str]) -> re.Pattern[str] | None:
    """Return a zero-width regex whose group 1 is the longest index key at a word start.

    The keys form a trie so that Python's regex engine, not a Python loop, skips the words
    that cannot start any pattern. "w nxt" keys match "w", whitespace, "nxt"; "w " keys (a
    common word followed by anything) match "w" and the whitespace after it.
    """
    if not keys:
        return None
    root: dict[str, Any] = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        parts = []
        for ch in sorted(c for c in node if c):
            edge = r"\s+" if ch == " " else re.escape(ch)
            parts.append(edge + emit(node[ch]))
        if "" in node:
            parts.append("")
        if len(parts) == 1:
            return parts[0]
        return "(?:" + "|".join(parts) + ")"

    return re.compile(rf"(?<![\w'])(?=({emit(root)}))")


def iter_matches(found: dict[str, list[re.Match[str]]], name: str) -> Iterator[re.Match[str]]:
    """Yield the matches of one category (empty if the category is absent)."""
    yield from found.get(name, ())

"""Decide the risk tier of a text from lexicon hits read in their context.

One pass of the language's risk alternation finds candidate passages; each is then read in
its clause (see :mod:`beacon_safety.context`) and may be lowered: a negated, past,
hypothetical, quoted, joking, second-person or third-person use does not count as the
writer's present risk. Every hit becomes a :class:`~beacon_safety.model.Signal` with the
reason the tier was kept or lowered, so a moderator can always see why.
"""

from __future__ import annotations

from dataclasses import dataclass

from beacon_safety import context as ctx
from beacon_safety.lexicon import Lexicon, RiskRule, rule_index
from beacon_safety.model import Risk, Signal
from beacon_safety.scan import Hits

# A text with thousands of hits (spam, a pasted list) gains nothing from reading them all;
# the cap keeps the cost of pathological input bounded.
MAX_HITS = 400
# How far around a hit a rule's `needs_context` pattern is looked for.
CONTEXT_REACH = 400

_PAST_KINDS = {
    "self_harm_current": "past_self_harm",
    "eating_disorder": "past_eating_disorder",
    "distress": "past_distress",
    "ambiguous": "past_distress",
}
_SERIOUS_FOR_OTHERS = {"eating_disorder", "self_harm_current"}
_TENSELESS = {"plan", "goodbye", "method_seeking"}
# A generic subject this close to a third-person hit is its subject ("people who hurt
# themselves"); further away it is more likely the topic of a sentence about someone.
GENERIC_REACH = 2
# A joke marker ("lol", "💀") only makes a hit hyperbole when it sits in the hit's clause or
# just after it; in a long run-on post a "lol" two topics away says nothing about the hit.
JOKE_REACH = 40
# How far from a goodbye a "see you next week" or "for a while" still makes it temporary.
TEMPORARY_REACH = 80


@dataclass(frozen=True, slots=True)
class RiskReading:
    """The outcome of reading a text for risk."""

    risk: Risk
    signals: tuple[Signal, ...]
    warnings: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Verdict:
    tier: Risk
    kind: str
    note: str  # "" or the context explanation appended to the rule's reason
    warn: bool  # whether the hit still suggests its content warning


class _Reader:
    """Reads hits of one text; caches document-level facts that only some hits need."""

    def __init__(self, norm: str, lex: Lexicon, kind: str) -> None:
        self.norm = norm
        self.lex = lex
        self.cues = lex.cues
        self.reasons = lex.reasons
        self.kind = kind
        self._doc_frame: bool | None = None
        # Hits often share a sentence ("i want to die, i can't do this anymore"): cue
        # searches are cached per (cue, sentence).
        self._cue_cache: dict[tuple[str, int, int], str | None] = {}

    def _sentence_cue(self, hit: ctx.Hit, name: str) -> str | None:
        """Return the first match of cue ``name`` in the hit's sentence (cached)."""
        key = (name, *hit.sentence)
        if key not in self._cue_cache:
            self._cue_cache[key] = ctx.sentence_cue(hit, self.norm, self.cues.get(name))
        return self._cue_cache[key]

    def doc_frame(self) -> bool:
        """Return True if the text is framed as looking back (a past or recovery frame)."""
        if self._doc_frame is None:
            self._doc_frame = any(
                (cue := self.cues.get(name)) is not None and cue.search(self.norm) is not None
                for name in ("past_frame", "recovery_frame")
            )
        return self._doc_frame

    def _note(self, key: str, cue: str = "") -> str:
        template = self.reasons.get(key, key.replace("_", " "))
        return template.format(cue=cue)

    def _near_cue(self, hit: ctx.Hit, name: str, reach: int, *, spill: bool) -> str | None:
        """Return the first match of cue ``name`` within ``reach`` characters of the hit in
        its clause, or up to ``reach`` characters after it in its sentence (or, with
        ``spill``, just past the sentence: "I want to die. lol")."""
        cue = self.cues.get(name)
        if cue is None:
            return None
        lo = max(hit.clause[0], hit.start - reach)
        end = hit.sentence[1] + (reach if spill else 0)
        hi = min(max(hit.clause[1], hit.end + reach), end, len(self.norm))
        m = cue.search(self.norm, lo, hi)
        return m.group(0) if m else None

    def _joke(self, rule: RiskRule, hit: ctx.Hit) -> str | None:
        """Return a joke marker or trivial condition read as applying to the hit, if any.

        A nearby "lol" or 💀 lowers distress words ("nobody would notice"), but of crisis
        words only those people commonly use as hyperbole ("want to die", "kill myself",
        "kms"). A trivial condition ("if I have to sit through one more meeting") lowers any
        hit in its sentence.
        """
        trivial = self._sentence_cue(hit, "trivial_condition")
        if trivial:
            return trivial
        prone = self.cues.get("hyperbole_prone")
        if (
            rule.tier is Risk.CRISIS
            and prone is not None
            and prone.search(self.norm, hit.start, hit.end) is None
        ):
            return None
        joke = self._near_cue(hit, "joke", JOKE_REACH, spill=True)
        if joke and self._near_cue(hit, "sincere", JOKE_REACH, spill=True):
            return None
        return joke

    def judge(self, rule: RiskRule, start: int, end: int, *, jokes: bool = True) -> _Verdict:
        """Return the verdict for one hit of ``rule`` at ``norm[start:end]``.

        With ``jokes=False`` a joke marker is not read as hyperbole (used when the rest of
        the text shows real distress: nervous laughter, not a joke).
        """
        norm, cues = self.norm, self.cues
        hit = ctx.locate(norm, start, end)
        none = Risk.NONE
        if ctx.is_blockquote(norm, start):
            return _Verdict(none, "quoted", self._note("blockquote"), True)
        quote = ctx.quotation(hit, norm, cues)
        if quote and quote[0] == "reference":
            return _Verdict(none, "quoted", self._note("quoted"), True)
        joke = self._joke(rule, hit) if jokes else None
        if joke and rule.kind != "goodbye":
            return _Verdict(none, "idiom", self._note("idiom", joke.strip()), False)
        person, who = self._person(rule, hit, quote)
        if person == "second":
            return _Verdict(none, "supportive_reply", self._note("second_person", who), False)
        if person == "generic":
            return _Verdict(none, "general", self._note("generic", who), True)
        neg = ctx.negation(hit, cues)
        if neg:
            return _Verdict(none, "negated", self._note("negated", neg), False)
        hyp = ctx.hypothetical(hit, norm, cues)
        if hyp:
            return _Verdict(none, "hypothetical", self._note("hypothetical", hyp), False)
        if self.kind in ("comment", "answer", "generic") and rule.kind != "goodbye":
            support = self._sentence_cue(hit, "supportive")
            if support and person != "first":
                return _Verdict(
                    none, "supportive_reply", self._note("second_person", support), False
                )
        if rule.kind == "goodbye":
            temp = self._near_cue(hit, "temporary", TEMPORARY_REACH, spill=False)
            if temp:
                return _Verdict(none, "temporary_goodbye", self._note("temporary", temp), False)
        if person != "first" and (
            self.kind == "search" or self._sentence_cue(hit, "help_question")
        ):
            help_cue = self._sentence_cue(hit, "help_seeking") or self._sentence_cue(
                hit, "help_question"
            )
            if help_cue:
                return _Verdict(none, "help_seeking", self._note("help_seeking"), True)
        if person != "first":
            fiction = self._sentence_cue(hit, "fiction")
            if fiction:
                return _Verdict(none, "fiction", self._note("fiction", fiction), True)
        # Plans and goodbyes stay present whatever the verb tense ("I wrote my note");
        # only an explicit past frame ("ten years ago I wrote a goodbye letter") lowers them.
        past = ctx.past(hit, norm, cues, self.doc_frame, verb_tense=rule.kind not in _TENSELESS)
        if (
            past is None
            and rule.kind == "attempt"
            and not self._intends(hit)
            and not ctx.present(hit, norm, cues)
        ):
            # An attempt is an event: without a present marker it is told as the past.
            past = ("past" if self.doc_frame() else "past_unclear", "attempt")
        if person == "third":
            if past:
                return _Verdict(none, "third_party_past", self._note("third_party_past", who), True)
            if rule.tier is Risk.CRISIS or rule.kind in _SERIOUS_FOR_OTHERS:
                return _Verdict(
                    Risk.CONCERN, "third_party_risk", self._note("third_party", who), True
                )
            return _Verdict(none, "third_party_distress", self._note("third_party", who), False)
        if past:
            state, cue = past
            past_kind = self._past_kind(rule, hit)
            if state == "past":
                return _Verdict(none, past_kind, self._note("past", cue), True)
            tier = Risk.CONCERN if rule.tier is Risk.CRISIS else none
            return _Verdict(tier, past_kind, self._note("past_unclear", cue), True)
        return _Verdict(rule.tier, rule.kind, "", True)

    def _person(
        self, rule: RiskRule, hit: ctx.Hit, quote: tuple[str, str] | None
    ) -> tuple[str, str]:
        if quote and quote[0] == "third":
            return "third", quote[1]
        if rule.person == "self" or (quote and quote[0] == "first"):
            return "first", ""
        person, who = ctx.subject(hit, self.norm, self.cues)
        if person == "unknown":
            topic = self.cues.get("generic_after")
            mine = self.cues.get("possessive_words", frozenset())
            if (
                topic is not None
                and topic.match(hit.after_raw)
                and not any(tok in mine for tok in hit.before)
            ):
                return "generic", self.norm[hit.start : hit.end]
        if rule.person == "third":
            if person == "generic" and who in hit.before[-GENERIC_REACH:]:
                return person, who
            if person == "second":
                return person, who
            return "third", who if person == "third" else ""
        if person == "unknown":
            return "first", ""
        return person, who

    def _intends(self, hit: ctx.Hit) -> bool:
        intent = self.cues.get("intention_words", ())
        return any(tok in intent for tok in hit.before[-4:])

    def _past_kind(self, rule: RiskRule, hit: ctx.Hit) -> str:
        if rule.kind in _PAST_KINDS:
            return _PAST_KINDS[rule.kind]
        clause = self.norm[hit.clause[0] : hit.clause[1]]
        if rule.kind == "attempt" or any(w in clause for w in ("tried", "attempt", "overdos")):
            return "past_attempt"
        return "past_ideation"


def _has_context(rule: RiskRule, norm: str, start: int, end: int) -> bool:
    """Return True if the rule's context cue occurs near the hit (outside the hit itself)."""
    cue = rule.needs_context
    if cue is None:
        return True
    return (
        cue.search(norm, max(0, start - CONTEXT_REACH), start) is not None
        or cue.search(norm, end, end + CONTEXT_REACH) is not None
    )


def read_risk(
    norm: str, lex: Lexicon, *, kind: str = "generic", found: Hits | None = None
) -> RiskReading:
    """Return the tier, signals and suggested content warnings for a normalised text.

    ``found`` is the result of ``lex.scanner.scan(norm)`` when the caller already has it.
    """
    if found is None:
        found = lex.scanner.scan(norm)
    signals: list[Signal] = []
    warnings: set[str] = set()
    idioms: list[tuple[int, int]] = []
    if lex.idiom_re is not None:
        for m in found.get("idiom", ()):
            if len(idioms) >= MAX_HITS:
                break
            idioms.append(m.span())
            reason = lex.idiom_reasons[rule_index(m.lastgroup or "i0_0")]
            signals.append(Signal("idiom", m.start(), m.end(), reason, Risk.NONE))
    risk = Risk.NONE
    if lex.risk_re is not None:
        reader = _Reader(norm, lex, kind)
        count = 0
        # Hits lowered only because of a joke marker: (signal index, rule, start, end).
        joked: list[tuple[int, RiskRule, int, int]] = []
        # The highest tier among hits that were not read as jokes.
        serious = Risk.NONE
        for m in found.get("risk", ()):
            start, end = m.span()
            if any(s < end and start < e for s, e in idioms):
                continue
            count += 1
            if count > MAX_HITS:
                break
            rule = lex.risk_rules[rule_index(m.lastgroup or "r0_0")]
            if rule.needs_context is not None and not _has_context(rule, norm, start, end):
                continue
            verdict = reader.judge(rule, start, end)
            reason = rule.reason
            if verdict.note:
                reason = f"{rule.reason} {lex.reasons.get('join', 'However, ')}{verdict.note}."
            if verdict.kind == "idiom":
                joked.append((len(signals), rule, start, end))
            elif verdict.tier.rank > serious.rank:
                serious = verdict.tier
            signals.append(Signal(verdict.kind, start, end, reason, verdict.tier))
            if verdict.warn and rule.warning:
                warnings.add(rule.warning)
            if verdict.tier.rank > risk.rank:
                risk = verdict.tier
        if joked and serious is not Risk.NONE:
            # The text also shows distress or risk read without any joke: a "lol" or 💀 next
            # to crisis words in such a post is nervous laughter, so the hits are read again
            # as if the marker were not there.
            for index, rule, start, end in joked:
                verdict = reader.judge(rule, start, end, jokes=False)
                reason = rule.reason
                if verdict.note:
                    reason = f"{rule.reason} {lex.reasons.get('join', 'However, ')}{verdict.note}."
                signals[index] = Signal(verdict.kind, start, end, reason, verdict.tier)
                if verdict.warn and rule.warning:
                    warnings.add(rule.warning)
                if verdict.tier.rank > risk.rank:
                    risk = verdict.tier
    if kind == "search" and risk is Risk.NONE:
        help_cue = lex.cues.get("help_seeking")
        m = help_cue.search(norm) if help_cue is not None else None
        if m:
            signals.append(
                Signal(
                    "help_seeking",
                    m.start(),
                    m.end(),
                    lex.reasons.get("help_seeking", ""),
                    Risk.NONE,
                )
            )
    signals.sort(key=lambda s: (s.start, s.end))
    return RiskReading(risk, tuple(signals), frozenset(warnings))

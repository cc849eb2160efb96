"""Work out whether a service is open now, from HSDS 3.0 schedules.

This module is pure Python (standard library only, no Django) so that models, the HSDS
importer and the benchmark can all use it.

Model
-----
A service has a list of :class:`ScheduleRule` objects (one HSDS ``schedule`` row each) and one
IANA time zone such as ``"Europe/London"``. Every time in a rule is a *local wall-clock* time
in that zone, so "09:00–17:00" means 09:00–17:00 local time all year, including on the days
the clocks change.

* **Regular rules** (``freq`` ``"WEEKLY"`` or ``"MONTHLY"``) give one opening window on a
  set of days. Split hours are two rules with the same days.
* **Overnight windows:** ``closes_at <= opens_at`` means the window ends on the next day.
  ``closes_at`` 00:00 (or 23:59, the HSDS convention) means "to midnight", and
  ``opens_at == closes_at == 00:00`` means 24 hours. A window belongs to the day on which it
  *starts*: "Fri 22:00–02:00" is open early on Saturday without any Saturday rule.
* **Dated exceptions** (``freq=None``) apply on each date from ``valid_from`` to ``valid_to``
  (``valid_to`` defaults to ``valid_from``). An open exception gives special hours for those
  dates and *replaces* the regular rules on those dates, for its channel.
* **Closures** (``closed=True``, any ``freq``) win over every opening window on the dates they
  match, for their channel (``""``: all channels). Without times a closure removes every
  window that starts on that date (an overnight shift that started the evening before still
  runs to its end); with times it removes only that wall-clock window.
* **Channels:** a rule with ``channel=""`` applies to every channel. Asking with
  ``channel=""`` means "is any channel open?".
* **Validity:** ``valid_from``/``valid_to``, ``dtstart`` and ``until`` bound a rule (inclusive).
  ``interval`` counts weeks (or months) from ``dtstart`` (or ``valid_from``), with weeks
  starting on ``wkst`` (Monday by default).

Daylight saving time: a wall time that does not exist (in the spring-forward gap) is mapped
to the instant the clocks jump; an ambiguous wall time (in the repeated autumn hour) is taken
at its first occurrence. All comparisons are made on absolute instants.

Speed: :func:`compile_rules` turns rules into a :class:`CompiledSchedule` (rules grouped per
channel and per weekday, day-of-week masks and date bounds as integers). Every public
function accepts either rules or a compiled schedule; plain rule sequences are compiled
through a small cache, but hot paths should compile once and keep the result.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "ALWAYS_OPEN_HORIZON_DAYS",
    "CHANNELS",
    "CompiledSchedule",
    "ScheduleRule",
    "compile_rules",
    "intervals_between",
    "is_always_open",
    "is_open",
    "next_change",
    "open_intervals",
    "parse_hsds_schedule",
    "weekly_hours",
]

#: The contact channels a rule may be limited to ("" in a rule means all of them).
CHANNELS = frozenset({"call", "text", "chat", "in_person", "video"})

_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_INDEX = {code: i for i, code in enumerate(_DAY_CODES)}
_DAY = 86_400
_EPOCH_ORD = date(1970, 1, 1).toordinal()
_NEVER_BEFORE = 0
_NEVER_AFTER = date.max.toordinal() + 1
_BYDAY_RE = re.compile(r"([+-]?\d{1,2})?([A-Z]{2})")
_TIME_RE = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?", re.IGNORECASE
)
_DATE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?")

Rules: TypeAlias = "Sequence[ScheduleRule] | CompiledSchedule"


# --------------------------------------------------------------------------- the rule


@dataclass(frozen=True)
class ScheduleRule:
    """One schedule row: an opening window (or a closure) on a recurring set of dates.

    Values are validated and normalised (upper-case ``freq``/``byday``, lower-case
    ``channel``) on construction; invalid values raise ``ValueError`` naming the field.
    """

    freq: str | None = None
    """``"WEEKLY"``, ``"MONTHLY"`` or ``None`` (a dated exception from valid_from to valid_to)."""
    interval: int = 1
    """Every n-th week or month, counted from ``dtstart`` (or ``valid_from``)."""
    byday: str = ""
    """``"MO,TU"``; with MONTHLY an occurrence may prefix the day: ``"1TU,-1FR"``."""
    bymonthday: str = ""
    """MONTHLY only: ``"1,15,-1"`` (-1 is the last day of the month)."""
    opens_at: time | None = None
    """Local wall-clock opening time."""
    closes_at: time | None = None
    """Local closing time; ``<= opens_at`` means the next day, 00:00 and 23:59 mean midnight."""
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    """First date of the series; anchors ``interval``."""
    until: date | None = None
    """Last date of the series."""
    channel: str = ""
    """``""`` for every channel, else one of :data:`CHANNELS`."""
    closed: bool = False
    """A closure: closed on the matching dates (all day, or only between the given times)."""
    wkst: str = "MO"
    """The day weeks start on, for ``interval`` > 1 with WEEKLY."""

    def __post_init__(self) -> None:
        """Validate and normalise the fields."""
        freq = self.freq.strip().upper() if isinstance(self.freq, str) else self.freq
        if freq == "":
            freq = None
        if freq not in (None, "WEEKLY", "MONTHLY"):
            raise ValueError(f"freq: {self.freq!r} is not supported (use WEEKLY, MONTHLY or None)")
        object.__setattr__(self, "freq", freq)
        if type(self.interval) is not int or self.interval < 1:
            raise ValueError(f"interval: {self.interval!r} must be a whole number >= 1")
        for name in ("byday", "bymonthday", "channel", "wkst"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name}: {getattr(self, name)!r} must be a string")
        object.__setattr__(self, "byday", self.byday.replace(" ", "").upper())
        object.__setattr__(self, "bymonthday", self.bymonthday.replace(" ", ""))
        object.__setattr__(self, "channel", self.channel.strip().lower())
        object.__setattr__(self, "wkst", self.wkst.strip().upper() or "MO")
        byday = _parse_byday(self.byday, freq)
        monthdays = _parse_bymonthday(self.bymonthday)
        if self.wkst not in _DAY_INDEX:
            raise ValueError(f"wkst: {self.wkst!r} is not a day code (MO..SU)")
        if self.channel and self.channel not in CHANNELS:
            raise ValueError(
                f"channel: {self.channel!r} is not one of {', '.join(sorted(CHANNELS))} (or '')"
            )
        if not isinstance(self.closed, bool):
            raise ValueError(f"closed: {self.closed!r} must be True or False")
        for name in ("opens_at", "closes_at"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, time) or value.tzinfo is not None):
                raise ValueError(f"{name}: {value!r} must be a naive datetime.time (local time)")
        if (self.opens_at is None) != (self.closes_at is None):
            raise ValueError("opens_at/closes_at: give both times or neither")
        for name in ("valid_from", "valid_to", "dtstart", "until"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
                raise ValueError(f"{name}: {value!r} must be a datetime.date")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to: {self.valid_to} is before valid_from {self.valid_from}")
        if freq is None:
            if self.valid_from is None:
                raise ValueError("valid_from: a rule without freq (a dated exception) needs it")
            if byday or monthdays or self.interval != 1:
                raise ValueError("freq: byday, bymonthday and interval need WEEKLY or MONTHLY")
        elif freq == "WEEKLY":
            if monthdays:
                raise ValueError("bymonthday: only supported with freq MONTHLY")
            if not byday and self.dtstart is None:
                raise ValueError("byday: a WEEKLY rule needs byday (or dtstart)")
        elif not byday and not monthdays and self.dtstart is None:
            raise ValueError("byday/bymonthday: a MONTHLY rule needs one of them (or dtstart)")
        if self.interval > 1 and freq is not None and (self.dtstart or self.valid_from) is None:
            raise ValueError("dtstart: interval > 1 needs dtstart (or valid_from) as its anchor")


def _parse_byday(value: str, freq: str | None) -> tuple[tuple[int, int], ...]:
    """Parse ``"MO,1TU,-1FR"`` into ``((0, 0), (1, 1), (-1, 4))`` (occurrence, weekday)."""
    out = []
    for raw in value.split(","):
        part = raw.strip().upper()
        if not part:
            continue
        match = _BYDAY_RE.fullmatch(part)
        if not match or match.group(2) not in _DAY_INDEX:
            raise ValueError(
                f"byday: {part!r} is not a day code (MO..SU, or with MONTHLY e.g. 1TU, -1FR)"
            )
        nth = int(match.group(1)) if match.group(1) else 0
        if match.group(1) and not (1 <= abs(nth) <= 5):
            raise ValueError(f"byday: occurrence in {part!r} must be 1..5 or -1..-5")
        if match.group(1) and freq != "MONTHLY":
            raise ValueError(f"byday: an occurrence such as {part!r} needs freq MONTHLY")
        out.append((nth, _DAY_INDEX[match.group(2)]))
    return tuple(out)


def _parse_bymonthday(value: str) -> frozenset[int]:
    """Parse ``"1,15,-1"`` into a set of day numbers (negative counts from the month's end)."""
    out = set()
    for raw in value.split(","):
        part = raw.strip()
        if not part:
            continue
        try:
            day = int(part)
        except ValueError:
            raise ValueError(f"bymonthday: {part!r} is not a day number") from None
        if not (1 <= abs(day) <= 31):
            raise ValueError(f"bymonthday: {day} must be 1..31 or -1..-31")
        out.add(day)
    return frozenset(out)


# --------------------------------------------------------------------------- compiling


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _window(rule: ScheduleRule) -> tuple[int, int] | None:
    """The rule's window as wall-clock seconds from its day's midnight (end may pass 86400)."""
    if rule.opens_at is None or rule.closes_at is None:
        return None
    start, end = _seconds(rule.opens_at), _seconds(rule.closes_at)
    if end == 0 or end >= 23 * 3600 + 59 * 60:  # 00:00 and 23:59 both mean "to midnight"
        end = _DAY
    if end <= start:
        end += _DAY
    return start, end


class _Rule:
    """A rule reduced to integers for fast date matching (dates are proleptic ordinals)."""

    __slots__ = (
        "anchor",
        "byday",
        "closed",
        "end",
        "hi",
        "interval",
        "kind",
        "lo",
        "mask",
        "monthdays",
        "start",
        "wkst",
    )

    def __init__(self, rule: ScheduleRule) -> None:
        lows = [d.toordinal() for d in (rule.valid_from, rule.dtstart) if d is not None]
        highs = [d.toordinal() for d in (rule.valid_to, rule.until) if d is not None]
        if rule.freq is None and rule.valid_to is None and rule.valid_from is not None:
            highs.append(rule.valid_from.toordinal())
        self.lo = max(lows, default=_NEVER_BEFORE)
        self.hi = min(highs, default=_NEVER_AFTER)
        self.kind = {None: 0, "WEEKLY": 1, "MONTHLY": 2}[rule.freq]
        self.interval = rule.interval
        self.wkst = _DAY_INDEX[rule.wkst]
        self.byday = _parse_byday(rule.byday, rule.freq)
        self.monthdays = _parse_bymonthday(rule.bymonthday)
        if self.kind == 1 and not self.byday:
            assert rule.dtstart is not None  # checked by ScheduleRule
            self.byday = ((0, rule.dtstart.weekday()),)
        if self.kind == 2 and not self.byday and not self.monthdays:
            assert rule.dtstart is not None
            self.monthdays = frozenset({rule.dtstart.day})
        if self.kind == 2 and self.monthdays:
            self.mask = 0b1111111  # a month day can fall on any weekday
        elif self.kind == 0:
            self.mask = 0b1111111
        else:
            self.mask = sum(1 << wd for wd in {wd for _, wd in self.byday})
        anchor = rule.dtstart or rule.valid_from
        if anchor is None or self.interval == 1:
            self.anchor = 0
        elif self.kind == 1:
            self.anchor = _week_start(anchor.toordinal(), self.wkst)
        else:
            self.anchor = anchor.year * 12 + anchor.month - 1
        window = _window(rule)
        self.start, self.end = window if window else (None, None)
        self.closed = rule.closed

    def matches(self, d: int) -> bool:
        """Whether the rule has an occurrence on the date with proleptic ordinal ``d``."""
        if d < self.lo or d > self.hi:
            return False
        kind = self.kind
        if kind == 0:
            return True
        wd = (d - 1) % 7
        if not (self.mask >> wd) & 1:
            return False
        if kind == 1:
            if self.interval == 1:
                return True
            return ((_week_start(d, self.wkst) - self.anchor) // 7) % self.interval == 0
        day = date.fromordinal(d)
        if self.interval > 1 and (day.year * 12 + day.month - 1 - self.anchor) % self.interval:
            return False
        dim = calendar.monthrange(day.year, day.month)[1]
        if self.monthdays and not (
            day.day in self.monthdays or (day.day - dim - 1) in self.monthdays
        ):
            return False
        if not self.byday:
            return True
        first_nth = (day.day - 1) // 7 + 1
        last_nth = -((dim - day.day) // 7 + 1)
        return any(w == wd and (nth == 0 or nth in (first_nth, last_nth)) for nth, w in self.byday)


def _week_start(d: int, wkst: int) -> int:
    """The ordinal of the first day of the week containing ordinal ``d``."""
    return d - ((d - 1 - wkst) % 7)


class _ChannelRules:
    """The rules that apply to one channel, grouped for fast evaluation."""

    __slots__ = ("closures", "exceptions", "regular", "weekly")

    def __init__(self, rules: Iterable[_Rule]) -> None:
        rules = list(rules)
        regular = [r for r in rules if r.kind and not r.closed and r.start is not None]
        self.regular = tuple(
            tuple(r for r in regular if (r.mask >> wd) & 1) for wd in range(7)
        )  # indexed by weekday
        self.weekly = tuple(r for r in regular if r.kind == 1)
        self.exceptions = tuple(
            r for r in rules if r.kind == 0 and not r.closed and r.start is not None
        )
        self.closures = tuple(r for r in rules if r.closed)

    def day_windows(self, d: int) -> list[tuple[int, int]]:
        """Wall-clock windows (seconds from midnight) that start on ordinal date ``d``."""
        source = [r for r in self.exceptions if r.matches(d)]
        if not source:
            source = [r for r in self.regular[(d - 1) % 7] if r.matches(d)]
            if not source:
                return []
        windows = [(r.start, r.end) for r in source]
        for closure in self.closures:
            if closure.matches(d):
                if closure.start is None:
                    return []
                windows = _subtract(windows, closure.start, closure.end)
        return windows

    def exceptions_within(self, first: int, last: int) -> bool:
        """Whether a dated exception or closure applies on a date from ``first`` to ``last``
        (ordinal dates, inclusive)."""
        return any(
            r.matches(d)
            for r in self.exceptions + self.closures
            if r.lo <= last and r.hi >= first
            for d in range(max(first, r.lo), min(last, r.hi) + 1)
        )


class CompiledSchedule:
    """Rules pre-processed for fast evaluation; build it with :func:`compile_rules`.

    Treat it as immutable. ``rules`` holds the source rules and ``channels`` the channels that
    rules mention explicitly.
    """

    __slots__ = ("_any", "_by_channel", "_generic", "channels", "rules")

    def __init__(self, rules: Iterable[ScheduleRule]) -> None:
        self.rules = tuple(rules)
        for rule in self.rules:
            if not isinstance(rule, ScheduleRule):
                raise TypeError(f"expected ScheduleRule objects, got {type(rule).__name__}")
        compiled = [(rule.channel, _Rule(rule)) for rule in self.rules]
        self.channels = frozenset(ch for ch, _ in compiled if ch)
        self._generic = _ChannelRules(r for ch, r in compiled if not ch)
        self._by_channel = {
            channel: _ChannelRules(r for ch, r in compiled if ch in ("", channel))
            for channel in self.channels
        }
        groups = list(self._by_channel.values())
        if not self.channels >= CHANNELS:  # some channel is governed by the generic rules only
            groups.append(self._generic)
        self._any = tuple(groups)

    def __repr__(self) -> str:
        return f"CompiledSchedule({len(self.rules)} rules)"

    def _select(self, channel: str) -> tuple[_ChannelRules, ...]:
        """The rule groups to consult for ``channel`` (any channel for "")."""
        if not channel:
            return self._any
        if channel not in CHANNELS:
            raise ValueError(
                f"channel: {channel!r} is not one of {', '.join(sorted(CHANNELS))} (or '')"
            )
        return (self._by_channel.get(channel, self._generic),)


def compile_rules(rules: Iterable[ScheduleRule] | CompiledSchedule) -> CompiledSchedule:
    """Pre-process rules into a :class:`CompiledSchedule` for repeated fast evaluation."""
    if isinstance(rules, CompiledSchedule):
        return rules
    return CompiledSchedule(rules)


@lru_cache(maxsize=2048)
def _compile_cached(rules: tuple[ScheduleRule, ...]) -> CompiledSchedule:
    return CompiledSchedule(rules)


def _compiled(rules: Rules) -> CompiledSchedule:
    if isinstance(rules, CompiledSchedule):
        return rules
    return _compile_cached(tuple(rules))


# --------------------------------------------------------------------------- time zones


_ZONES: dict[str, ZoneInfo] = {}


def _zone(tz: str | tzinfo) -> tzinfo:
    """The zone for an IANA name (cached); a ``tzinfo`` is passed through."""
    if isinstance(tz, tzinfo):
        return tz
    zone = _ZONES.get(tz)
    if zone is None:
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValueError(
                f"tz: {tz!r} is not a known IANA time zone name (e.g. 'Europe/London')"
            ) from None
        _ZONES[tz] = zone
    return zone


def _timestamp(at: datetime) -> float:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"at: {at!r} must be a timezone-aware datetime")
    return at.timestamp()


_UNIFORM: dict[tuple[tzinfo, int], int | None] = {}


def _uniform_offset(zone: tzinfo, d: int) -> int | None:
    """The zone's UTC offset in seconds all through local day ``d``, or None if it changes."""
    key = (zone, d)
    try:
        return _UNIFORM[key]
    except KeyError:
        pass
    midnight = datetime.fromordinal(d).replace(tzinfo=zone)
    last = midnight.replace(hour=23, minute=59, second=59)
    offsets = {
        moment.utcoffset()
        for moment in (midnight, midnight.replace(fold=1), last, last.replace(fold=1))
    }
    offset = int(offsets.pop().total_seconds()) if len(offsets) == 1 else None
    if len(_UNIFORM) > 50_000:
        _UNIFORM.clear()
    _UNIFORM[key] = offset
    return offset


def _wall_ts(zone: tzinfo, d: int, secs: int) -> int:
    """The Unix time of wall-clock ``secs`` after local midnight of ordinal date ``d``.

    A wall time in a spring-forward gap maps to the instant of the jump; an ambiguous one
    (autumn) to its first occurrence.
    """
    extra, secs = divmod(secs, _DAY)
    d += extra
    base = (d - _EPOCH_ORD) * _DAY + secs
    offset = _uniform_offset(zone, d)
    if offset is not None:  # the common case: no clock change that day
        return base - offset
    aware = (datetime.fromordinal(d) + timedelta(seconds=secs)).replace(tzinfo=zone)
    off0 = aware.utcoffset()
    off1 = aware.replace(fold=1).utcoffset()
    first = base - int(off0.total_seconds())
    if off0 >= off1:  # ordinary, or ambiguous: first occurrence
        return first
    # In the gap: binary search for the transition between the two candidate instants.
    lo, hi = base - int(off1.total_seconds()), first
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).utcoffset() == off1:
            hi = mid
        else:
            lo = mid
    return hi


def _local_ordinal(ts: float, zone: tzinfo) -> int:
    return datetime.fromtimestamp(ts, zone).toordinal()


# --------------------------------------------------------------------------- evaluation


def _subtract(windows: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for a, b in windows:
        if end <= a or start >= b:
            out.append((a, b))
            continue
        if a < start:
            out.append((a, start))
        if end < b:
            out.append((end, b))
    return out


def _merge(windows: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Sort and merge overlapping or touching intervals."""
    out: list[tuple[Any, Any]] = []
    for a, b in sorted(windows):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def is_open(rules: Rules, tz: str | tzinfo, at: datetime, *, channel: str = "") -> bool:
    """Return whether the service is open at aware datetime ``at``, evaluated in zone ``tz``.

    ``at`` may be in any zone (it is converted first). ``channel=""`` asks whether any channel
    is open. Accepts rules or a :class:`CompiledSchedule`. An empty schedule is closed.
    """
    compiled = _compiled(rules)
    groups = compiled._select(channel)
    zone = _zone(tz)
    ts = _timestamp(at)
    if not compiled.rules:
        return False
    d = at.astimezone(zone).toordinal()
    for group in groups:
        for start, end in group.day_windows(d - 1):
            if end > _DAY and _wall_ts(zone, d - 1, start) <= ts < _wall_ts(zone, d - 1, end):
                return True
        for start, end in group.day_windows(d):
            if _wall_ts(zone, d, start) <= ts < _wall_ts(zone, d, end):
                return True
    return False


def _day_ts(compiled: CompiledSchedule, zone: tzinfo, d: int, channel: str) -> list[tuple]:
    """Merged open intervals (Unix times) within local day ``d``."""
    windows = []
    for group in compiled._select(channel):
        for _start, end in group.day_windows(d - 1):
            if end > _DAY:
                windows.append((0, end - _DAY))
        for start, end in group.day_windows(d):
            windows.append((start, min(end, _DAY)))
    out = []
    for start, end in _merge(windows):
        a, b = _wall_ts(zone, d, start), _wall_ts(zone, d, end)
        if b > a:
            out.append((a, b))
    return out


def open_intervals(
    rules: Rules, tz: str | tzinfo, day: date, *, channel: str = ""
) -> list[tuple[datetime, datetime]]:
    """Return the merged open intervals on local date ``day`` as aware datetimes in ``tz``.

    The intervals are clipped to the local day (midnight to midnight), and include the tail
    of an overnight window that started the day before. ``at`` is open exactly when it lies
    in ``[start, end)`` of one of the intervals for its local date.
    """
    compiled = _compiled(rules)
    zone = _zone(tz)
    if isinstance(day, datetime):
        raise ValueError(f"day: {day!r} must be a datetime.date, not a datetime")
    return [
        (datetime.fromtimestamp(a, zone), datetime.fromtimestamp(b, zone))
        for a, b in _day_ts(compiled, zone, day.toordinal(), channel)
    ]


def intervals_between(
    rules: Rules, tz: str | tzinfo, start: datetime, end: datetime, *, channel: str = ""
) -> list[tuple[datetime, datetime]]:
    """Return the merged open intervals between two aware datetimes, clipped to them.

    Unlike :func:`open_intervals` the intervals run across midnight, so an overnight window is
    one interval. Useful to materialise opening intervals for the coming days.
    """
    compiled = _compiled(rules)
    zone = _zone(tz)
    t0, t1 = _timestamp(start), _timestamp(end)
    spans = []
    for d in range(_local_ordinal(t0, zone), _local_ordinal(t1, zone) + 1):
        spans.extend(_day_ts(compiled, zone, d, channel))
    return [
        (datetime.fromtimestamp(max(a, t0), zone), datetime.fromtimestamp(min(b, t1), zone))
        for a, b in _merge(spans)
        if b > t0 and a < t1
    ]


def next_change(
    rules: Rules, tz: str | tzinfo, at: datetime, *, channel: str = "", horizon_days: int = 8
) -> datetime | None:
    """Return when the open/closed state next changes after ``at`` (aware, in ``tz``).

    When open, this is the closing time; when closed, the next opening time. Returns ``None``
    when nothing changes within ``horizon_days`` (always open, or no opening ahead).
    """
    compiled = _compiled(rules)
    zone = _zone(tz)
    ts = _timestamp(at)
    first = _local_ordinal(ts, zone)
    last = first + horizon_days
    spans = []
    for d in range(first, last + 1):
        spans.extend(_day_ts(compiled, zone, d, channel))
    horizon_end = _wall_ts(zone, last + 1, 0)
    for a, b in _merge(spans):
        if b <= ts:
            continue
        if a <= ts:
            return None if b >= horizon_end else datetime.fromtimestamp(b, zone)
        return datetime.fromtimestamp(a, zone)
    return None


# --------------------------------------------------------------------------- summaries


def _weekly_windows(
    groups: Iterable[_ChannelRules], d: int, *, every_week_only: bool
) -> list[list[tuple[int, int]]]:
    """Per weekday, the merged windows of WEEKLY rules in force on ordinal date ``d``."""
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for group in groups:
        for rule in group.weekly:
            if not rule.lo <= d <= rule.hi or (every_week_only and rule.interval > 1):
                continue
            for wd in range(7):
                if (rule.mask >> wd) & 1:
                    days[wd].append((rule.start, rule.end))
    return [_merge(w) for w in days]


def _covers_day(windows: list[list[tuple[int, int]]], wd: int) -> bool:
    """Whether weekday ``wd`` is covered from 00:00 to 24:00 (counting overnight tails)."""
    pieces = [(a, min(b, _DAY)) for a, b in windows[wd]]
    pieces += [(0, b - _DAY) for _, b in windows[(wd - 1) % 7] if b > _DAY]
    merged = _merge(pieces)
    return bool(merged) and merged[0][0] <= 0 and merged[0][1] >= _DAY


#: Dated exceptions and closures further ahead than this do not stop a service being "24/7"
#: now (a holiday next autumn says nothing about tonight).
ALWAYS_OPEN_HORIZON_DAYS = 7


def is_always_open(
    rules: Rules,
    *,
    channel: str = "",
    on: date | None = None,
    horizon_days: int = ALWAYS_OPEN_HORIZON_DAYS,
) -> bool:
    """Return whether the service is open 24/7 (from the rules in force on ``on``, default today).

    True when the every-week WEEKLY rules of one channel (with the rules for every channel)
    cover every weekday from 00:00 to 24:00, and no dated exception or closure of that
    channel falls within ``horizon_days`` from ``on``. With ``channel=""`` some channel (or
    the service-wide hours alone) must cover the week by itself: call 09–17 plus chat 17–09
    is not 24/7.
    """
    compiled = _compiled(rules)
    d = (on or date.today()).toordinal()
    for group in compiled._select(channel):
        if group.exceptions_within(d, d + horizon_days):
            continue
        windows = _weekly_windows([group], d, every_week_only=True)
        if all(_covers_day(windows, wd) for wd in range(7)):
            return True
    return False


def _hhmm(secs: int) -> str:
    secs %= _DAY
    hours, rest = divmod(secs, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def weekly_hours(
    rules: Rules, *, channel: str = "", on: date | None = None
) -> list[tuple[int, str]]:
    """Return display hours per weekday (0 = Monday) from the WEEKLY rules in force on ``on``.

    Each entry is ``(weekday, text)`` with text like ``"09:00–12:00, 13:00–17:00"``,
    ``"Closed"`` or ``"Open 24 hours"``. Overnight windows show on the day they start
    (``"22:00–02:00"``). MONTHLY rules and dated exceptions are not included.
    """
    compiled = _compiled(rules)
    d = (on or date.today()).toordinal()
    windows = _weekly_windows(compiled._select(channel), d, every_week_only=False)
    out = []
    for wd in range(7):
        if _covers_day(windows, wd):
            text = "Open 24 hours"
        elif windows[wd]:
            text = ", ".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in windows[wd])
        else:
            text = "Closed"
        out.append((wd, text))
    return out


# --------------------------------------------------------------------------- HSDS parsing


def _p_time(value: Any, name: str) -> time | None:
    if value is None or value == "":
        return None
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if not isinstance(value, str):
        raise ValueError(f"{name}: {value!r} is not a time (expected 'HH:MM' or 'HH:MM:SS')")
    match = _TIME_RE.fullmatch(value.strip())
    if not match:
        raise ValueError(f"{name}: {value!r} is not a time (expected 'HH:MM' or 'HH:MM:SS')")
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if (hour, minute, second) == (24, 0, 0):
        return time(0, 0)  # "24:00" closing = midnight
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{name}: {value!r} is out of range")
    return time(hour, minute, second)


def _p_date(value: Any, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{name}: {value!r} is not a date (expected 'YYYY-MM-DD')")
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a valid date") from None


def _p_int(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name}: {value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            pass
        else:
            if number.is_integer():
                return int(number)
    raise ValueError(f"{name}: {value!r} is not a whole number")


def _p_list(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError(f"{name}: {value!r} is not a comma-separated list")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
        return ",".join(str(v) for v in value)
    raise ValueError(f"{name}: {value!r} is not a comma-separated list")


def _p_bool(value: Any, name: str) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0", "yes", "no"):
        return value.strip().lower() in ("true", "1", "yes")
    raise ValueError(f"{name}: {value!r} is not true or false")


def _until_from_count(rule: ScheduleRule, count: int) -> date | None:
    """The date of the ``count``-th occurrence of ``rule`` (None if not within 50 years)."""
    assert rule.dtstart is not None
    compiled = _Rule(rule)
    found = 0
    start = rule.dtstart.toordinal()
    for d in range(start, min(start + 366 * 50, compiled.hi + 1)):
        if compiled.matches(d):
            found += 1
            if found == count:
                return date.fromordinal(d)
    return None


def parse_hsds_schedule(d: Mapping[str, Any]) -> ScheduleRule:
    """Build a :class:`ScheduleRule` from an HSDS 3.0 ``schedule`` JSON object.

    Times are read as local wall-clock times in the service's zone: ``"09:00"``,
    ``"09:00:00"`` and ``"24:00"`` are accepted, and a ``Z``/offset suffix is accepted but
    ignored (HSDS offsets cannot express daylight saving time; so is the numeric
    ``timezone``). Dates are ``"YYYY-MM-DD"`` (a datetime string keeps its date part).
    ``count`` is turned into ``until`` (it needs ``dtstart``). Beacon's extension properties
    ``x_channel`` and ``x_closed`` (or ``channel``/``closed``) set the channel and closure.
    Garbage or unsupported values (``byweekno``, ``byyearday``) raise ``ValueError`` naming
    the field.
    """
    if not isinstance(d, Mapping):
        raise ValueError(f"schedule: expected a JSON object, got {type(d).__name__}")
    for name in ("byweekno", "byyearday"):
        if d.get(name) not in (None, "", []):
            raise ValueError(f"{name}: {d[name]!r} is not supported by Beacon's schedules")
    freq = d.get("freq")
    if freq is not None and not isinstance(freq, str):
        raise ValueError(f"freq: {freq!r} is not supported (use WEEKLY or MONTHLY)")
    wkst = d.get("wkst") or "MO"
    channel = d.get("x_channel", d.get("channel")) or ""
    for name, value in (("wkst", wkst), ("channel", channel)):
        if not isinstance(value, str):
            raise ValueError(f"{name}: {value!r} must be a string")
    interval = _p_int(d.get("interval"), "interval")
    rule = ScheduleRule(
        freq=freq or None,
        interval=1 if interval is None else interval,
        byday=_p_list(d.get("byday"), "byday"),
        bymonthday=_p_list(d.get("bymonthday"), "bymonthday"),
        opens_at=_p_time(d.get("opens_at"), "opens_at"),
        closes_at=_p_time(d.get("closes_at"), "closes_at"),
        valid_from=_p_date(d.get("valid_from"), "valid_from"),
        valid_to=_p_date(d.get("valid_to"), "valid_to"),
        dtstart=_p_date(d.get("dtstart"), "dtstart"),
        until=_p_date(d.get("until"), "until"),
        channel=channel.replace("-", "_").replace(" ", "_"),
        closed=_p_bool(d.get("x_closed", d.get("closed")), "closed"),
        wkst=wkst,
    )
    count = _p_int(d.get("count"), "count")
    if count is not None:
        if count < 1:
            raise ValueError(f"count: {count} must be >= 1")
        if rule.freq is None or rule.dtstart is None:
            raise ValueError("count: needs freq and dtstart to know where the series starts")
        until = _until_from_count(rule, count)
        if until is not None:
            rule = ScheduleRule(**{**rule.__dict__, "until": until})
    return rule

"""Opening hours as a person reads them: open now or not, until when, and the week."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from beacon.directory.enums import Channel
from beacon.directory.opening import (
    CompiledSchedule,
    is_always_open,
    is_open,
    next_change,
    weekly_hours,
)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class OpenState:
    known: bool
    open: bool = False
    always: bool = False
    label: str = "Hours not listed"
    detail: str = ""


@dataclass
class ChannelHours:
    channel: str  # "" for the service's general hours
    label: str
    state: OpenState
    days: list[tuple[str, str, bool]] = field(default_factory=list)  # (day, hours, is today)
    notes: list[str] = field(default_factory=list)


def zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _when(moment: datetime, now: datetime) -> str:
    clock = moment.strftime("%H:%M")
    if moment.date() == now.date():
        return clock
    if (moment.date() - now.date()).days == 1:
        return f"tomorrow {clock}"
    return f"{DAY_NAMES[moment.weekday()]} {clock}"


def open_state(
    compiled: CompiledSchedule, tz: str, now: datetime, *, channel: str = ""
) -> OpenState:
    if not compiled.rules:
        return OpenState(known=False)
    local_now = now.astimezone(zone(tz))
    if is_always_open(compiled, channel=channel, on=local_now.date()):
        return OpenState(known=True, open=True, always=True, label="Open 24/7")
    opened = is_open(compiled, zone(tz), now, channel=channel)
    change = next_change(compiled, zone(tz), now, channel=channel)
    if opened:
        detail = f"until {_when(change, local_now)}" if change else ""
        return OpenState(known=True, open=True, label="Open now", detail=detail)
    detail = f"opens {_when(change, local_now)}" if change else "no opening in the next week"
    return OpenState(known=True, open=False, label="Closed now", detail=detail)


def summarise(
    compiled: CompiledSchedule, tz: str, now: datetime, notes: dict[str, list[str]]
) -> tuple[OpenState, list[ChannelHours]]:
    """The overall state and hours per channel (general hours first)."""
    local_now = now.astimezone(zone(tz))
    today = local_now.weekday()
    labels = dict(Channel.choices)
    channels: list[str] = []
    generic = [r for r in compiled.rules if not r.channel]
    if generic or not compiled.channels:
        channels.append("")
    channels += sorted(compiled.channels)
    channels += sorted(ch for ch in notes if ch and ch not in channels)
    if "" in notes and "" not in channels:
        channels.insert(0, "")
    out = []
    for ch in channels:
        has_rules = bool(compiled.rules) and ((ch == "" and generic) or ch in compiled.channels)
        state = open_state(compiled, tz, now, channel=ch) if has_rules else OpenState(known=False)
        days = []
        if has_rules:
            days = [
                (DAY_NAMES[wd], text, wd == today)
                for wd, text in weekly_hours(compiled, channel=ch, on=local_now.date())
            ]
        out.append(
            ChannelHours(
                channel=ch,
                label=labels.get(ch, "Hours") if ch else "Hours",
                state=state,
                days=days,
                notes=notes.get(ch, []),
            )
        )
    return open_state(compiled, tz, now), out

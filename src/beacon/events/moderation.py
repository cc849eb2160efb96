"""How the moderation queue reads and decides event series (words the safety engine
flagged, or that readers reported)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from beacon.core.audit import log_action
from beacon.events.models import EventSeries
from beacon.events.services import SERIES_REMOVED_REASON, cancel_coming_meetings, series_text
from beacon.moderation.enums import Action
from beacon.moderation.registry import ModeratedType, register_moderated


def _actions(series: EventSeries) -> list[str]:
    return [Action.REMOVE] if series.is_hidden else [Action.KEEP, Action.REMOVE]


def _apply(series: EventSeries, action: str, *, actor: Any, message: str) -> None:
    if action == Action.REMOVE:
        EventSeries.objects.filter(pk=series.pk).update(is_hidden=True)
        series.is_hidden = True
        log_action("events.series.removed", actor=actor, target=series, data={"message": message})
        # The moderator's message is for the organisers; attendees get a plain reason.
        cancel_coming_meetings(series, actor=actor, reason=SERIES_REMOVED_REASON)
    elif action == Action.KEEP and series.is_hidden:
        EventSeries.objects.filter(pk=series.pk).update(is_hidden=False)
        series.is_hidden = False


def _hide(series: EventSeries, hidden: bool) -> None:
    EventSeries.objects.filter(pk=series.pk).update(is_hidden=hidden)
    series.is_hidden = hidden


def _public_url(series: EventSeries) -> str:
    if series.is_hidden or not series.initiative.is_public:
        return ""
    return reverse("events:series", args=[series.code])


register_moderated(
    ModeratedType(
        model=EventSeries,
        label="event",
        title=lambda s: str(s),
        text=series_text,
        author=lambda s: s.created_by,
        apply_decision=_apply,
        hide=_hide,
        public_url=_public_url,
        author_url=lambda s: reverse("events:manage", args=[s.initiative.code]),
        allowed_actions=_actions,
    )
)

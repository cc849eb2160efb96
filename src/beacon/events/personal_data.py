"""Personal-data handlers for events: a person's RSVPs (as a member, and as a guest with
the same address), series they created or facilitate, and their calendar-feed token."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from beacon.core.personal_data import ErasureMode, registry
from beacon.events.enums import RsvpState
from beacon.events.models import CalendarToken, EventSeries, Rsvp
from beacon.events.services import cancel_rsvp, count_attendance


def _rsvps_of(user: Any) -> QuerySet[Rsvp]:
    email = (user.email or "").strip().lower()
    mine = Q(user=user)
    if email:
        mine |= Q(user=None, email=email)
    return Rsvp.objects.filter(mine)


def _export_rsvps(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "event": r.occurrence.series.title,
            "initiative": r.occurrence.series.initiative.name,
            "starts_at": r.occurrence.starts_at.isoformat(),
            "state": r.state,
            "as_guest": r.user_id is None,
            "name_given": r.name,
            "waiting_list_position": r.position,
            "remind_day_before": r.remind_day_before,
            "remind_hour_before": r.remind_hour_before,
            "answered_at": r.created_at.isoformat(),
        }
        for r in _rsvps_of(user).select_related("occurrence__series__initiative")
    ]


def _erase_rsvps(user: Any, mode: ErasureMode) -> None:
    # Places held for meetings still to come go back to the waiting list first; meetings
    # that ended keep their counts (taken now if not yet); then every answer is deleted.
    now = timezone.now()
    rsvps = _rsvps_of(user).select_related("occurrence__series")
    for rsvp in rsvps.filter(
        occurrence__starts_at__gt=now,
        state__in=(RsvpState.PENDING_EMAIL, RsvpState.CONFIRMED, RsvpState.WAITLISTED),
    ):
        cancel_rsvp(rsvp, actor=None)
    for rsvp in rsvps.filter(occurrence__ends_at__lte=now, occurrence__counted_at__isnull=True):
        count_attendance(rsvp.occurrence)
    _rsvps_of(user).delete()


def _export_series(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "title": s.title,
            "initiative": s.initiative.name,
            "created_by_you": s.created_by_id == user.pk,
            "facilitated_by_you": s.facilitator_id == user.pk,
        }
        for s in EventSeries.objects.filter(Q(created_by=user) | Q(facilitator=user))
        .select_related("initiative")
        .distinct()
    ]


def _erase_series(user: Any, mode: ErasureMode) -> None:
    # A series belongs to its initiative; only the links to the person go.
    EventSeries.objects.filter(created_by=user).update(created_by=None)
    EventSeries.objects.filter(facilitator=user).update(facilitator=None)


def _export_token(user: Any) -> dict[str, Any] | None:
    token = CalendarToken.objects.filter(user=user).first()
    if token is None:
        return None
    return {
        "personal_calendar_feed": "on",
        "created_at": token.created_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
    }


def _erase_token(user: Any, mode: ErasureMode) -> None:
    CalendarToken.objects.filter(user=user).delete()


registry.register(Rsvp, section="event_rsvps", export=_export_rsvps, erase=_erase_rsvps, order=20)
registry.register(
    EventSeries, section="event_series", export=_export_series, erase=_erase_series, order=20
)
registry.register(
    CalendarToken,
    section="event_calendar_feed",
    export=_export_token,
    erase=_erase_token,
    order=20,
)

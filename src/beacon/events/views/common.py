"""Helpers shared by the events views: loading with permissions, JSON-LD, ICS responses."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from beacon.events.enums import EventFormat, OccurrenceStatus
from beacon.events.models import EventSeries, Occurrence
from beacon.events.queries import access_occurrence, access_series


def get_occurrence(request: HttpRequest, code: str) -> Occurrence:
    occurrence = access_occurrence(request.user, code)
    if occurrence is None:
        raise Http404("No such event")
    return occurrence


def get_series(request: HttpRequest, code: str) -> EventSeries:
    series = access_series(request.user, code)
    if series is None:
        raise Http404("No such event")
    return series


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


ATTENDANCE_MODE = {
    EventFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    EventFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    EventFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def event_json_ld(occurrence: Occurrence) -> SafeString:
    """schema.org Event data for search engines, safe inside <script type=ld+json>.

    A data block is never executed, so the strict CSP (no inline scripts) still holds;
    '<', '>' and '&' are escaped so no text can close the element.
    """
    series = occurrence.series
    url = settings.BEACON_SITE_URL + occurrence.get_absolute_url()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": series.title,
        "startDate": occurrence.local_start.isoformat(),
        "endDate": occurrence.local_end.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if occurrence.status == OccurrenceStatus.CANCELLED
        else (
            "https://schema.org/EventRescheduled"
            if occurrence.time_changed
            else "https://schema.org/EventScheduled"
        ),
        "eventAttendanceMode": ATTENDANCE_MODE[series.format],
        "url": url,
        "description": series.description[:500],
        "organizer": {
            "@type": "Organization",
            "name": series.initiative.name,
            "url": settings.BEACON_SITE_URL
            + reverse("initiatives:detail", args=[series.initiative.code]),
        },
        "isAccessibleForFree": True,
    }
    locations: list[dict[str, Any]] = []
    if series.is_in_person and occurrence.place_name:
        place: dict[str, Any] = {"@type": "Place", "name": occurrence.place_name}
        if occurrence.address:
            place["address"] = occurrence.address
        if occurrence.has_location:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": round(occurrence.latitude, 5),
                "longitude": round(occurrence.longitude, 5),
            }
        locations.append(place)
    if series.is_online:
        # The joining link is for people with a place; the event page stands in for it.
        locations.append({"@type": "VirtualLocation", "url": url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if occurrence.capacity is not None:
        data["maximumAttendeeCapacity"] = occurrence.capacity
        data["remainingAttendeeCapacity"] = occurrence.places_left
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)

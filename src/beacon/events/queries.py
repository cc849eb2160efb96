"""Reading events with their permission meaning (the queryset twins of rules.py), the
"near me" search, and the two functions the initiatives app calls:
`upcoming_for_initiative` and `attendance_by_month`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, When
from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.events.enums import (
    ACTIVE_STATES,
    NAME_READER_ROLES,
    EventFormat,
    OccurrenceStatus,
    RsvpState,
)
from beacon.events.models import CalendarToken, EventSeries, Occurrence, Rsvp
from beacon.initiatives.enums import InitiativeStatus, MembershipState, Setting
from beacon.initiatives.models import Initiative, InitiativeAudience, Membership
from beacon.initiatives.queries import public_initiatives
from beacon.places.geo import bounding_box, distance_km


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def public_series_q(prefix: str = "") -> Q:
    """The condition for a series anyone may see (`prefix` e.g. "series__")."""
    return Q(
        **{
            f"{prefix}initiative__status": InitiativeStatus.LISTED,
            f"{prefix}initiative__is_hidden": False,
            f"{prefix}is_hidden": False,
        }
    )


def series_visible_to(user: Any) -> QuerySet[EventSeries]:
    """Series `user` may open: public ones, those of initiatives they are an active member
    of, all for moderators (the twin of the `events.view_series` rule)."""
    qs = EventSeries.objects.select_related("initiative")
    if _signed_in(user) and user.has_role(Role.MODERATOR):
        return qs
    if _signed_in(user):
        mine = Membership.objects.filter(user=user, state=MembershipState.ACTIVE).values(
            "initiative_id"
        )
        return qs.filter(public_series_q() | Q(initiative_id__in=mine))
    return qs.filter(public_series_q())


def series_with_attendee_names_for(user: Any) -> QuerySet[EventSeries]:
    """Series whose attendees' names `user` may read (the twin of `events.view_attendees`)."""
    if not _signed_in(user):
        return EventSeries.objects.none()
    memberships = Membership.objects.filter(user=user, state=MembershipState.ACTIVE)
    readers = memberships.filter(role__in=NAME_READER_ROLES).values("initiative_id")
    member_of = memberships.values("initiative_id")
    return EventSeries.objects.filter(
        Q(initiative_id__in=readers) | Q(facilitator=user, initiative_id__in=member_of)
    )


def access_series(user: Any, code: str) -> EventSeries | None:
    return series_visible_to(user).filter(code=code).first()


def access_occurrence(user: Any, code: str) -> Occurrence | None:
    """The occurrence with public `code` if `user` may see its series, else None."""
    series = series_visible_to(user).values("pk")
    return (
        Occurrence.objects.select_related("series__initiative", "series__facilitator")
        .filter(code=code, series_id__in=series)
        .first()
    )


def public_occurrences() -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(public_series_q("series__"))


def upcoming_for_initiative(
    initiative: Initiative, limit: int = 5, *, now: datetime | None = None
) -> list[Occurrence]:
    """The initiative's next scheduled meetings that anyone may see, soonest first."""
    now = now or timezone.now()
    return list(
        public_occurrences()
        .filter(series__initiative=initiative, status=OccurrenceStatus.SCHEDULED, ends_at__gt=now)
        .select_related("series__initiative")
        .order_by("starts_at", "id")[:limit]
    )


def upcoming_in_series(series: EventSeries, *, now: datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    return series.occurrences.filter(ends_at__gt=now).order_by("starts_at", "id")


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def attendance_by_month(
    initiative: Initiative, start: date, end: date, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Per month from `start`'s month to `end`'s month, oldest first: events held (meetings
    that took place, not cancelled), attendance and returning attendees (sums of the
    per-meeting counts, which survive the retention pruning of RSVPs).

    A meeting whose counts were not taken yet (it ended since the last `prune_rsvps` run)
    is counted from its RSVPs now, the same way.
    """
    now = now or timezone.now()
    first, last = _first_of_month(start), _first_of_month(end)
    months: dict[date, dict[str, Any]] = {}
    month = first
    while month <= last:
        months[month] = {
            "month": month,
            "events_held": 0,
            "attendance": 0,
            "returning_attendees": 0,
        }
        month = _next_month(month)
    held = Occurrence.objects.filter(
        series__initiative=initiative,
        status=OccurrenceStatus.SCHEDULED,
        day__gte=first,
        day__lt=_next_month(last),
        starts_at__lte=now,
    )
    for occurrence in held.select_related("series"):
        row = months[_first_of_month(occurrence.day)]
        row["events_held"] += 1
        if occurrence.counted_at is None:
            attended, returning = occurrence.attendance_from_rsvps()
        else:
            attended, returning = occurrence.attended_count, occurrence.returning_count
        row["attendance"] += attended
        row["returning_attendees"] += returning
    return list(months.values())


def rsvp_of(user: Any, occurrence: Occurrence) -> Rsvp | None:
    if not _signed_in(user):
        return None
    return Rsvp.objects.filter(occurrence=occurrence, user=user).first()


def attendees(occurrence: Occurrence) -> QuerySet[Rsvp]:
    """Everyone who answered, for the organisers' list: places first, then the waiting
    list in order, then the rest."""
    order = Case(
        When(state__in=(RsvpState.CONFIRMED, RsvpState.ATTENDED, RsvpState.NO_SHOW), then=0),
        When(state=RsvpState.WAITLISTED, then=1),
        When(state=RsvpState.PENDING_EMAIL, then=2),
        default=3,
        output_field=IntegerField(),
    )
    return occurrence.rsvps.select_related("user").order_by(order, "position", "created_at")


def my_rsvps(user: Any, *, now: datetime | None = None, past: bool = False) -> QuerySet[Rsvp]:
    """A person's answers to meetings that have not ended (or, with past=True, that have)."""
    if not _signed_in(user):
        return Rsvp.objects.none()
    now = now or timezone.now()
    qs = Rsvp.objects.filter(user=user).select_related("occurrence__series__initiative")
    if past:
        return qs.filter(occurrence__ends_at__lte=now).order_by("-occurrence__starts_at")
    return qs.filter(occurrence__ends_at__gt=now).order_by("occurrence__starts_at")


def feed_rsvps(user: Any) -> QuerySet[Rsvp]:
    """What a personal calendar feed lists: places held and waiting, last 30 days on, of
    events anyone may see (nothing of a removed or hidden series, or of an archived or
    hidden initiative, so their online links leave the feed too)."""
    since = timezone.now() - timedelta(days=30)
    return (
        Rsvp.objects.filter(
            public_series_q("occurrence__series__"),
            user=user,
            state__in=(*ACTIVE_STATES, RsvpState.ATTENDED),
            occurrence__ends_at__gt=since,
        )
        .select_related("occurrence__series__initiative")
        .order_by("occurrence__starts_at")
    )


def user_for_feed_token(token: str) -> Any | None:
    found = (
        CalendarToken.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    if found is None:
        return None
    CalendarToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user


# What a result card shows (events/_occurrence_card.html); lists load nothing else (the
# descriptions and the safety readings of series and initiatives stay in the database).
CARD_FIELDS = (
    "code",
    "series_id",
    "day",
    "starts_at",
    "ends_at",
    "status",
    "capacity",
    "confirmed_count",
    "place_name",
    "latitude",
    "longitude",
    "series__code",
    "series__initiative_id",
    "series__kind",
    "series__format",
    "series__audience",
    "series__title",
    "series__time_zone",
    "series__initiative__code",
    "series__initiative__name",
)
GROUP_CARD_FIELDS = (
    "code",
    "name",
    "mission",
    "setting",
    "place_name",
    "latitude",
    "longitude",
    "status",
    "is_hidden",
)


def card_rows(qs: QuerySet[Occurrence]) -> QuerySet[Occurrence]:
    """Occurrences with what a card shows: their series and initiative, card fields only."""
    return qs.select_related("series__initiative").only(*CARD_FIELDS)


class EventResults:
    """The meetings a search found, nearest first then by time, loaded a page at a time.

    Works with Django's Paginator (`count()` and slicing): the in-person part is known as
    (id, distance) pairs from one light query; only the rows of the page asked for are
    loaded, with their series and initiative; the online part is paged in the database.
    Each loaded occurrence has `distance_km` (None when it is online or without a point).
    """

    def __init__(self, nearby: list[tuple[int, float | None]], rest: QuerySet[Occurrence]):
        self.nearby = nearby
        self.rest = rest
        self._rest_count: int | None = None

    def count(self) -> int:
        if self._rest_count is None:
            self._rest_count = self.rest.count()
        return len(self.nearby) + self._rest_count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self[0 : self.count()])

    def __getitem__(self, index: slice) -> list[Occurrence]:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        wanted = self.nearby[start:stop]
        loaded = card_rows(Occurrence.objects.all()).in_bulk([pk for pk, _ in wanted])
        page = []
        for pk, distance in wanted:
            occurrence = loaded[pk]
            occurrence.distance_km = distance
            page.append(occurrence)
        if stop > len(self.nearby):
            offset = max(0, start - len(self.nearby))
            more = stop - len(self.nearby) - offset
            for occurrence in card_rows(self.rest)[offset : offset + more]:
                occurrence.distance_km = None
                page.append(occurrence)
        return page


def find_events(
    *,
    lat: float | None = None,
    lon: float | None = None,
    radius_km: float = 40.0,
    start: datetime | None = None,
    end: datetime | None = None,
    mode: str = "",
    audience: str = "",
    kind: str = "",
) -> EventResults:
    """Public, scheduled meetings between `start` and `end`, for "find support near me".

    `mode` "in_person" keeps meetings with a place (in person or hybrid), "online" those
    one can join online (online or hybrid); empty keeps both. With a point, meetings with
    a place are kept within `radius_km` (an indexed bounding box on the occurrence's own
    coordinates, then the exact distance) and sorted by distance then time; online-only
    meetings follow by time unless `mode` is "in_person". Each result has `distance_km`.
    """
    start = start or timezone.now()
    end = end or start + timedelta(days=30)
    qs = public_occurrences().filter(
        status=OccurrenceStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=end
    )
    if audience:
        qs = qs.filter(Q(series__audience=audience) | Q(series__audience=""))
    if kind:
        qs = qs.filter(series__kind=kind)
    in_person_formats = (EventFormat.IN_PERSON, EventFormat.HYBRID)
    online_formats = (EventFormat.ONLINE, EventFormat.HYBRID)
    if mode == "online":
        qs = qs.filter(series__format__in=online_formats)
    elif mode == "in_person":
        qs = qs.filter(series__format__in=in_person_formats)
    if lat is None or lon is None:
        return EventResults([], qs.order_by("starts_at", "id"))
    nearby: list[tuple[float, datetime, int]] = []
    if mode != "online":
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
        # The box (and the dates) as a subquery on the place index alone: it covers
        # (latitude, longitude, starts_at), so the meetings in the box come from that index
        # and only they are read and joined. Written as one query with the date and status
        # filters, SQLite's planner prefers the (status, starts_at) index and reads every
        # meeting in the date range instead — 5 times slower for a month, 10 for a year.
        in_box = Occurrence.objects.filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
            starts_at__gte=start,
            starts_at__lt=end,
        ).values("id")
        boxed = (
            qs.filter(id__in=in_box)
            .order_by()  # sorted below, by distance
            .values_list("id", "latitude", "longitude", "starts_at")
        )
        for pk, o_lat, o_lon, starts_at in boxed:
            distance = distance_km(lat, lon, o_lat, o_lon)
            if distance <= radius_km:
                nearby.append((distance, starts_at, pk))
        # Nearest first; meetings at the same place (to 100 m) by time.
        nearby.sort(key=lambda row: (round(row[0], 1), row[1], row[2]))
    if mode == "in_person":
        rest = qs.none()
    else:
        formats = online_formats if mode == "online" else (EventFormat.ONLINE,)
        rest = qs.filter(series__format__in=formats).order_by("starts_at", "id")
    return EventResults([(pk, distance) for distance, _, pk in nearby], rest)


def nearby_groups(
    *,
    lat: float | None,
    lon: float | None,
    radius_km: float,
    audience: str = "",
    mode: str = "",
    limit: int = 12,
) -> tuple[list[Initiative], int]:
    """The groups shown beside the events: public initiatives near the point (nearest
    first), then online ones by name, `limit` of them loaded, and how many there are.

    The visibility rule is the initiatives app's own (`public_initiatives`); only ids and
    coordinates are read for the distance, so a busy city costs one light query.
    """
    qs = public_initiatives()
    if audience:
        qs = qs.filter(
            pk__in=InitiativeAudience.objects.filter(audience=audience).values("initiative_id")
        )
    ranked: list[tuple[int, float | None]] = []
    if lat is not None and lon is not None and mode != "online":
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
        boxed = (
            qs.exclude(setting=Setting.ONLINE)
            .filter(
                latitude__gte=min_lat,
                latitude__lte=max_lat,
                longitude__gte=min_lon,
                longitude__lte=max_lon,
            )
            .values_list("pk", "latitude", "longitude")
        )
        near = [(distance_km(lat, lon, a, b), pk) for pk, a, b in boxed]
        ranked = [(pk, d) for d, pk in sorted(n for n in near if n[0] <= radius_km)]
    elif lat is None and mode != "online":
        ranked = [
            (pk, None)
            for pk in qs.exclude(setting=Setting.ONLINE)
            .order_by("name", "id")
            .values_list("pk", flat=True)
        ]
    if mode != "in_person":
        ranked += [
            (pk, None)
            for pk in qs.filter(setting=Setting.ONLINE)
            .order_by("name", "id")
            .values_list("pk", flat=True)
        ]
    shown = ranked[:limit]
    loaded = Initiative.objects.only(*GROUP_CARD_FIELDS).in_bulk([pk for pk, _ in shown])
    groups = []
    for pk, distance in shown:
        group = loaded[pk]
        group.distance_km = distance
        groups.append(group)
    return groups, len(ranked)

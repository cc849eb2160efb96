"""Event workflows: series and their occurrences, RSVPs with a fair waiting list,
reminders, "still coming?" checks, attendance and retention.

The state machines change only here: `set_occurrence_status`, `set_rsvp_state`,
`cancel_series`. Every change to an occurrence's places runs with that occurrence's row
locked (`select_for_update`), and the place counter only grows through a conditional
UPDATE that a CHECK constraint backs, so two people taking the last place at once end
up one confirmed and one first on the waiting list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from beacon.core.audit import log_action
from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused
from beacon.core.mail import queue_templated_email
from beacon.events.enums import (
    ACTIVE_STATES,
    GUEST_MAIL_INTERVAL_MINUTES,
    HOLDS_PLACE,
    HORIZON_DAYS,
    NAME_READER_ROLES,
    OCCURRENCE_TRANSITIONS,
    RECONFIRM_DEADLINE_HOURS,
    RECONFIRM_GRACE_HOURS,
    RSVP_TRANSITIONS,
    OccurrenceStatus,
    RsvpState,
    SeriesStatus,
)
from beacon.events.models import CalendarToken, EventSeries, Occurrence, Rsvp, new_feed_token
from beacon.events.queries import public_series_q
from beacon.events.recurrence import problems, slots, to_utc
from beacon.events.tokens import rsvp_token
from beacon.initiatives.models import Initiative
from beacon.initiatives.queries import can_facilitate, can_manage, role_of
from beacon.moderation.services import enqueue_for_review
from beacon_safety import assess as assess_text

SKIPPED_REASON = "This date was taken out of the schedule."
SCHEDULE_REASON = "The schedule changed and this date is no longer part of it."
SERIES_CANCELLED_REASON = "The organisers stopped this series."
SERIES_REMOVED_REASON = "The site's moderators took this event down."
INITIATIVE_CLOSED_REASON = "The group that runs this event has closed."
SERIES_FIELDS = (
    "title",
    "description",
    "kind",
    "format",
    "place_name",
    "address",
    "latitude",
    "longitude",
    "online_url",
    "time_zone",
    "start_date",
    "start_time",
    "duration_minutes",
    "recurrence",
    "until",
    "count",
    "capacity",
    "audience",
    "facilitator",
    "confirm_day_before",
)


# --- Series and occurrences ------------------------------------------------------------


def _require_organiser(initiative: Initiative, actor: Any) -> None:
    """Organiser work: the initiative's organisers, or a site administrator helping it."""
    if not can_manage(actor, initiative):
        raise PermissionRefused("Only the organisers of this initiative can do this.")


def series_text(series: EventSeries) -> str:
    """The text the safety engine reads and moderators see: title, a blank line, the body."""
    return f"{series.title}\n\n{series.description}"


def assess_series(series: EventSeries) -> dict[str, Any]:
    """Read the series' words with beacon_safety; keep the result on it (not saved)."""
    result = assess_text(series_text(series), kind="story").to_dict()
    series.assessment = result
    series.risk = result["risk"]
    return result


def series_problems(series: EventSeries, *, today: date | None = None) -> dict[str, list[str]]:
    """What an organiser must fix before the series can be saved, by field ('' for all)."""
    found: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        found.setdefault(field, []).append(message)

    if not series.title.strip():
        add("title", "Give the event a title.")
    for message in problems(series.schedule):
        field = "time_zone" if "time zone" in message else "recurrence"
        if "length" in message or "24 hours" in message:
            field = "duration_minutes"
        if "last date" in message:
            field = "until"
        if "number of meetings" in message:
            field = "count"
        add(field, message)
    if series.is_in_person and not series.place_name.strip():
        add("place_name", "Say where the group meets (a venue or a town).")
    if series.is_in_person and (series.latitude is None) != (series.longitude is None):
        add("place_name", "Give both latitude and longitude, or neither.")
    if series.is_online and not series.online_url:
        add("online_url", "Give the link people use to join online.")
    if series.until and series.count:
        add("count", "Give either a last date or a number of meetings, not both.")
    if series.facilitator is not None:
        on = max(series.start_date, today or timezone.localdate())
        if not can_facilitate(series.facilitator, series.initiative, on):
            add(
                "facilitator",
                "This person cannot facilitate: they need to be an active member of the "
                "initiative with a current facilitator training record.",
            )
    return found


@transaction.atomic
def save_series(
    series: EventSeries | None,
    *,
    initiative: Initiative,
    actor: Any,
    fields: dict[str, Any],
    now: datetime | None = None,
) -> EventSeries:
    """Create or update a series from an organiser's form and (re)materialise its dates.

    Raises PermissionRefused for anyone but an organiser of `initiative`, and DomainError
    (with `.problems` by field) when the series cannot be saved; nothing is written then.
    A crisis reading of the words puts the series in the moderators' crisis lane.
    """
    _require_organiser(initiative, actor)
    creating = series is None
    if series is None:
        series = EventSeries(initiative=initiative, created_by=actor)
    elif series.initiative_id != initiative.pk:
        raise PermissionRefused("This event belongs to another initiative.")
    if series.status != SeriesStatus.ACTIVE:
        raise DomainError("A cancelled series cannot be changed.")
    text_before = (series.title, series.description)
    link_before = series.online_url
    for name in SERIES_FIELDS:
        if name in fields:
            setattr(series, name, fields[name])
    if not series.is_online:
        series.online_url = ""
    found = series_problems(series)
    if found:
        error = DomainError(next(iter(found.values()))[0], code="invalid")
        error.problems = found  # type: ignore[attr-defined]
        raise error
    text_changed = creating or text_before != (series.title, series.description)
    link_changed = not creating and series.online_url != link_before and bool(series.online_url)
    if text_changed:
        assess_series(series)
    series.save()
    log_action(
        "events.series.created" if creating else "events.series.changed",
        actor=actor,
        target=series,
    )
    if text_changed and series.risk in ("crisis", "concern"):
        enqueue_for_review(series, assessment=series.assessment)
    sync_occurrences(series, now=now)
    if link_changed:
        _notify_new_link(series, now=now)
    return series


def _notify_new_link(series: EventSeries, *, now: datetime | None = None) -> None:
    """Mail the new joining link to everyone holding a place at a coming meeting."""
    coming = series.occurrences.filter(
        status=OccurrenceStatus.SCHEDULED, starts_at__gt=now or timezone.now()
    ).order_by("starts_at")
    for occurrence in coming:
        occurrence.series = series
        for rsvp in occurrence.rsvps.filter(state=RsvpState.CONFIRMED).select_related("user"):
            rsvp.occurrence = occurrence
            _mail(rsvp, "link_changed", subject=f"New joining link: {series.title}")


def _series_place(series: EventSeries) -> dict[str, Any]:
    if not series.is_in_person:
        return {"place_name": "", "address": "", "latitude": None, "longitude": None}
    return {
        "place_name": series.place_name,
        "address": series.address,
        "latitude": series.latitude,
        "longitude": series.longitude,
    }


@transaction.atomic
def sync_occurrences(
    series: EventSeries,
    *,
    now: datetime | None = None,
    horizon_days: int = HORIZON_DAYS,
    actor: Any = None,
) -> dict[str, int]:
    """Make the series' occurrence rows match its schedule from `now` to the horizon.

    Only occurrences that have not started are touched; the past is history. A date still
    in the schedule keeps its row, its RSVPs and any one-off change (its time and place
    follow the series unless changed for that date); a new date gets a row; a date that
    left the schedule (skipped, or the rule changed) is deleted when nobody has answered,
    or cancelled with a notice to the people who had. Lowering the capacity never takes
    away a place someone holds; raising it promotes people from the waiting list.
    Returns how many rows were created, updated, cancelled and deleted.
    """
    now = now or timezone.now()
    until = now + timedelta(days=horizon_days)
    wanted = {}
    if series.status == SeriesStatus.ACTIVE:
        wanted = {s.day: s for s in slots(series.schedule, after=now, before=until)}
    counts = {"created": 0, "updated": 0, "cancelled": 0, "deleted": 0}
    place = _series_place(series)
    existing = {
        o.day: o
        for o in Occurrence.objects.select_for_update()
        .filter(series=series, starts_at__gt=now)
        .order_by("starts_at")
    }
    # A date whose occurrence already started (or is in the past) is never recreated.
    started_days = set(
        Occurrence.objects.filter(
            series=series, day__in=list(wanted), starts_at__lte=now
        ).values_list("day", flat=True)
    )
    for day, occurrence in existing.items():
        slot = wanted.get(day)
        if slot is None:
            if occurrence.rsvps.filter(state__in=ACTIVE_STATES).exists():
                if occurrence.status == OccurrenceStatus.SCHEDULED:
                    reason = SKIPPED_REASON if day in series.skipped else SCHEDULE_REASON
                    set_occurrence_status(
                        occurrence, OccurrenceStatus.CANCELLED, actor=actor, reason=reason
                    )
                    counts["cancelled"] += 1
            else:
                occurrence.delete()
                counts["deleted"] += 1
            continue
        before = (occurrence.starts_at, occurrence.ends_at, occurrence.place_name)
        occurrence.original_start = slot.starts_at
        if not occurrence.time_changed:
            occurrence.starts_at, occurrence.ends_at = slot.starts_at, slot.ends_at
        if not occurrence.place_changed:
            for name, value in place.items():
                setattr(occurrence, name, value)
        old_capacity = occurrence.capacity
        occurrence.capacity = _capacity_for(series.capacity, occurrence.confirmed_count)
        occurrence.save()
        counts["updated"] += 1
        if occurrence.capacity is None or (
            old_capacity is not None and occurrence.capacity > old_capacity
        ):
            _promote(occurrence, now=now)
        if (
            before != (occurrence.starts_at, occurrence.ends_at, occurrence.place_name)
            and occurrence.status == OccurrenceStatus.SCHEDULED
        ):
            _notify(occurrence, "changed", subject=f"Changed: {series.title}")
    new_rows = [
        Occurrence(
            series=series,
            day=day,
            original_start=slot.starts_at,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            capacity=series.capacity,
            **place,
        )
        for day, slot in wanted.items()
        if day not in existing and day not in started_days
    ]
    Occurrence.objects.bulk_create(new_rows)
    counts["created"] = len(new_rows)
    EventSeries.objects.filter(pk=series.pk).update(materialised_until=until)
    return counts


def _capacity_for(capacity: int | None, held: int) -> int | None:
    return None if capacity is None else max(capacity, held)


def materialise_all(*, now: datetime | None = None) -> int:
    """Extend every active series to the horizon (the daily job); returns rows created."""
    created = 0
    for series in EventSeries.objects.filter(status=SeriesStatus.ACTIVE).select_related(
        "initiative"
    ):
        created += sync_occurrences(series, now=now)["created"]
    return created


def schedule_dates(series: EventSeries, *, now: datetime | None = None) -> list[date]:
    """The series' dates from today to the horizon, skipped ones included (for the form)."""
    now = now or timezone.now()
    return [
        s.day
        for s in slots(
            series.schedule,
            after=now,
            before=now + timedelta(days=HORIZON_DAYS),
            include_skipped=True,
        )
    ]


@transaction.atomic
def skip_date(series: EventSeries, day: date, *, actor: Any, skip: bool = True) -> None:
    """Take `day` out of the schedule (or put it back, with skip=False).

    Its occurrence is deleted when nobody had answered, else cancelled with a notice.
    Putting a date back creates its occurrence again if it had been deleted; a cancelled
    one stays cancelled until an organiser reinstates it.
    """
    _require_organiser(series.initiative, actor)
    if day not in schedule_dates(series):
        raise DomainError("That date is not one of the upcoming dates of this series.")
    skipped = set(series.skipped_dates)
    (skipped.add if skip else skipped.discard)(day.isoformat())
    series.skipped_dates = sorted(skipped)
    series.save(update_fields=["skipped_dates", "updated_at"])
    log_action(
        "events.series.date_skipped" if skip else "events.series.date_restored",
        actor=actor,
        target=series,
        data={"date": day.isoformat()},
    )
    sync_occurrences(series, actor=actor)


@transaction.atomic
def cancel_series(series: EventSeries, *, actor: Any, reason: str = "") -> None:
    """Stop a series: every future occurrence is cancelled (people are told) or deleted."""
    _require_organiser(series.initiative, actor)
    if (series.status, SeriesStatus.CANCELLED) != (SeriesStatus.ACTIVE, SeriesStatus.CANCELLED):
        raise InvalidTransition("This series is already cancelled.")
    series.status = SeriesStatus.CANCELLED
    series.save(update_fields=["status", "updated_at"])
    log_action("events.series.cancelled", actor=actor, target=series)
    now = timezone.now()
    for occurrence in series.occurrences.filter(
        starts_at__gt=now, status=OccurrenceStatus.SCHEDULED
    ):
        if occurrence.rsvps.filter(state__in=ACTIVE_STATES).exists():
            set_occurrence_status(
                occurrence,
                OccurrenceStatus.CANCELLED,
                actor=actor,
                reason=reason.strip() or SERIES_CANCELLED_REASON,
            )
        else:
            occurrence.delete()


def set_occurrence_status(
    occurrence: Occurrence,
    new_status: str,
    *,
    actor: Any,
    reason: str = "",
    by_site: bool = False,
) -> None:
    """Cancel or reinstate one occurrence; people with a place or on the list are told.

    Raises InvalidTransition for pairs not in OCCURRENCE_TRANSITIONS, and DomainError for
    an occurrence that already started. RSVPs keep their state, so a reinstated
    occurrence still has the same people in the same places. `by_site` words the notice
    as the site's, not the organisers' (moderators' removals, closed initiatives).
    """
    old = occurrence.status
    if (old, new_status) not in OCCURRENCE_TRANSITIONS:
        raise InvalidTransition(
            f"An occurrence that is {OccurrenceStatus(old).label.lower()} cannot become "
            f"{OccurrenceStatus(new_status).label.lower()}."
        )
    if occurrence.starts_at <= timezone.now():
        raise DomainError("This meeting has already started; it can no longer be changed.")
    occurrence.status = new_status
    occurrence.cancel_reason = reason.strip()[:300] if new_status == "cancelled" else ""
    occurrence.save(update_fields=["status", "cancel_reason"])
    log_action(
        f"events.occurrence.{new_status}",
        actor=actor,
        target=occurrence,
        data={"from": old, "to": new_status},
    )
    title = occurrence.series.title
    if new_status == OccurrenceStatus.CANCELLED:
        _notify(occurrence, "cancelled", subject=f"Cancelled: {title}", by_site=by_site)
    else:
        _notify(occurrence, "reinstated", subject=f"Back on: {title}")


@transaction.atomic
def cancel_coming_meetings(series: EventSeries, *, actor: Any, reason: str) -> int:
    """Cancel every meeting of `series` that has not started and that people answered,
    telling everyone with a place or on the waiting list why. Returns how many.

    For a series moderators removed and for the series of a closed (archived)
    initiative; no organiser check (organisers use `cancel_series` and
    `cancel_occurrence`). Meetings nobody answered stay as they are: nobody is told, and
    they are not public while the series or its initiative is not.
    """
    cancelled = 0
    coming = (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("series__initiative")
        .filter(series=series, status=OccurrenceStatus.SCHEDULED, starts_at__gt=timezone.now())
        .order_by("starts_at")
    )
    for occurrence in coming:
        if occurrence.rsvps.filter(state__in=ACTIVE_STATES).exists():
            set_occurrence_status(
                occurrence, OccurrenceStatus.CANCELLED, actor=actor, reason=reason, by_site=True
            )
            cancelled += 1
    return cancelled


def cancel_meetings_of_closed_initiative(
    sender: Any, *, initiative: Initiative, actor: Any, **kwargs: Any
) -> None:
    """Receiver of `initiatives.signals.initiative_closed` (connected in EventsConfig):
    the coming meetings of every active series of the initiative are cancelled, with a
    notice to the people who answered."""
    for series in EventSeries.objects.filter(
        initiative=initiative, status=SeriesStatus.ACTIVE
    ).select_related("initiative"):
        cancel_coming_meetings(series, actor=actor, reason=INITIATIVE_CLOSED_REASON)


@transaction.atomic
def cancel_occurrence(occurrence: Occurrence, *, actor: Any, reason: str) -> None:
    """An organiser cancels one meeting, with a reason sent to everyone who had answered."""
    _require_organiser(occurrence.series.initiative, actor)
    if not reason.strip():
        raise DomainError("Say why the meeting is cancelled; attendees are told.")
    occurrence = (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("series")
        .get(pk=occurrence.pk)
    )
    set_occurrence_status(occurrence, OccurrenceStatus.CANCELLED, actor=actor, reason=reason)


@transaction.atomic
def reinstate_occurrence(occurrence: Occurrence, *, actor: Any) -> None:
    """An organiser puts a cancelled meeting back on; attendees are told. Refused while
    the event is not public (a series moderators removed, a closed initiative), so nobody
    is told "back on" about a meeting they cannot answer."""
    _require_organiser(occurrence.series.initiative, actor)
    if occurrence.series.is_hidden or not occurrence.series.initiative.is_public:
        raise DomainError("This event is not public, so its meetings cannot be put back on.")
    occurrence = (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("series")
        .get(pk=occurrence.pk)
    )
    set_occurrence_status(occurrence, OccurrenceStatus.SCHEDULED, actor=actor)


@transaction.atomic
def change_occurrence(
    occurrence: Occurrence,
    *,
    actor: Any,
    day: date,
    start_time: time,
    duration_minutes: int,
    place_name: str | None = None,
    address: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    note: str = "",
) -> Occurrence:
    """Move one meeting to another time (and, optionally, place); attendees are told.

    The new local date and time are read in the series' zone. `place_name=None` keeps the
    place. The series' later edits no longer move this meeting's time (or its place, if
    changed here).
    """
    series = occurrence.series
    _require_organiser(series.initiative, actor)
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    now = timezone.now()
    if occurrence.starts_at <= now:
        raise DomainError("This meeting has already started; it can no longer be changed.")
    if not 1 <= duration_minutes <= 24 * 60:
        raise DomainError("An event lasts between a minute and 24 hours.")
    starts = to_utc(day, start_time, occurrence.zone)
    if starts <= now:
        raise DomainError("Choose a time in the future.")
    if (latitude is None) != (longitude is None):
        raise DomainError("Give both latitude and longitude, or neither.")
    occurrence.starts_at, occurrence.ends_at = starts, starts + timedelta(minutes=duration_minutes)
    occurrence.time_changed = (starts, occurrence.ends_at) != (
        occurrence.original_start,
        occurrence.original_start + series.duration,
    )
    if place_name is not None and series.is_in_person:
        occurrence.place_name = place_name.strip()[:200]
        occurrence.address = (address or "").strip()[:300]
        occurrence.latitude, occurrence.longitude = latitude, longitude
        occurrence.place_changed = (
            occurrence.place_name,
            occurrence.address,
            latitude,
            longitude,
        ) != (series.place_name, series.address, series.latitude, series.longitude)
    occurrence.change_note = note.strip()[:300]
    occurrence.save()
    log_action("events.occurrence.changed", actor=actor, target=occurrence)
    if occurrence.status == OccurrenceStatus.SCHEDULED:
        _notify(occurrence, "changed", subject=f"Changed: {series.title}")
    return occurrence


# --- RSVPs and places ------------------------------------------------------------------


def rsvp_paths(rsvp: Rsvp) -> dict[str, str]:
    """The signed links a person gets in mail about `rsvp`."""
    return {
        "cancel_path": reverse("events:rsvp_cancel", args=[rsvp_token(rsvp.code, "cancel")]),
        "confirm_path": reverse("events:rsvp_confirm", args=[rsvp_token(rsvp.code, "confirm")]),
        "still_path": reverse("events:rsvp_still", args=[rsvp_token(rsvp.code, "still")]),
    }


def _mail(rsvp: Rsvp, template: str, *, subject: str, **extra: Any) -> None:
    occurrence = rsvp.occurrence
    queue_templated_email(
        to=rsvp.mail_to,
        subject=subject,
        template=f"events/email/{template}.txt",
        context={
            "rsvp": rsvp,
            "occurrence": occurrence,
            "series": occurrence.series,
            "initiative": occurrence.series.initiative,
            "event_path": occurrence.get_absolute_url(),
            # A cancelled meeting needs no link (and a removed one must not spread it).
            "show_online_link": rsvp.holds_place
            and occurrence.series.is_online
            and occurrence.status != OccurrenceStatus.CANCELLED,
            **rsvp_paths(rsvp),
            **extra,
        },
    )


def _notify(occurrence: Occurrence, template: str, *, subject: str, **extra: Any) -> None:
    """Tell everyone with a place or on the waiting list (after commit, by the worker)."""
    for rsvp in occurrence.rsvps.filter(state__in=ACTIVE_STATES).select_related("user"):
        rsvp.occurrence = occurrence
        _mail(rsvp, template, subject=subject, **extra)


def set_rsvp_state(rsvp: Rsvp, new_state: str, *, actor: Any, position: int | None = None) -> None:
    """Move `rsvp` to `new_state` if allowed, keeping the occurrence's counters in step.

    Precondition: the caller holds the occurrence's row lock. Taking a place is a
    conditional UPDATE (confirmed_count below capacity); when it matches no row the
    occurrence is full and DomainError is raised (the constraint would refuse it anyway).
    """
    old = rsvp.state
    if (old, new_state) not in RSVP_TRANSITIONS:
        raise InvalidTransition(
            f"An answer that is {RsvpState(old).label.lower()} cannot become "
            f"{RsvpState(new_state).label.lower()}."
        )
    occurrences = Occurrence.objects.filter(pk=rsvp.occurrence_id)
    held_before, held_after = old in HOLDS_PLACE, new_state in HOLDS_PLACE
    if held_after and not held_before:
        took = occurrences.filter(
            Q(capacity__isnull=True) | Q(confirmed_count__lt=F("capacity"))
        ).update(confirmed_count=F("confirmed_count") + 1)
        if not took:
            raise DomainError("There are no places left.", code="full")
    elif held_before and not held_after:
        occurrences.update(confirmed_count=F("confirmed_count") - 1)
    if old == RsvpState.WAITLISTED and new_state != RsvpState.WAITLISTED:
        occurrences.update(waitlist_count=F("waitlist_count") - 1)
    elif new_state == RsvpState.WAITLISTED and old != RsvpState.WAITLISTED:
        occurrences.update(waitlist_count=F("waitlist_count") + 1)
    now = timezone.now()
    rsvp.state = new_state
    rsvp.position = position if new_state == RsvpState.WAITLISTED else None
    fields = ["state", "position", "updated_at"]
    if new_state == RsvpState.CONFIRMED:
        rsvp.confirmed_at = now
        fields.append("confirmed_at")
    if new_state == RsvpState.CANCELLED:
        rsvp.cancelled_at = now
        fields.append("cancelled_at")
    rsvp.save(update_fields=fields)
    log_action(
        f"events.rsvp.{new_state}", actor=actor, target=rsvp, data={"from": old, "to": new_state}
    )


def _lock(occurrence: Occurrence) -> Occurrence:
    locked = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    locked.series = occurrence.series
    return locked


def _seat(rsvp: Rsvp, occurrence: Occurrence, *, actor: Any) -> str:
    """Give `rsvp` a free place, or the next place on the waiting list. Occurrence locked.

    Nobody jumps the queue: while people wait, a newcomer joins the end of the list.
    """
    occurrence.refresh_from_db(fields=["confirmed_count", "waitlist_count", "capacity"])
    free = occurrence.capacity is None or occurrence.confirmed_count < occurrence.capacity
    if free and occurrence.waitlist_count == 0:
        set_rsvp_state(rsvp, RsvpState.CONFIRMED, actor=actor)
        return RsvpState.CONFIRMED
    Occurrence.objects.filter(pk=occurrence.pk).update(waitlist_seq=F("waitlist_seq") + 1)
    occurrence.refresh_from_db(fields=["waitlist_seq"])
    set_rsvp_state(rsvp, RsvpState.WAITLISTED, actor=actor, position=occurrence.waitlist_seq)
    return RsvpState.WAITLISTED


def _promote(occurrence: Occurrence, *, now: datetime | None = None) -> list[Rsvp]:
    """Fill free places from the waiting list, first come first served; each is mailed.

    Precondition: the occurrence's row is locked. Nobody is promoted once it started.
    """
    now = now or timezone.now()
    promoted = []
    if occurrence.starts_at <= now or occurrence.status != OccurrenceStatus.SCHEDULED:
        return promoted
    while True:
        occurrence.refresh_from_db(fields=["confirmed_count", "capacity"])
        if occurrence.capacity is not None and occurrence.confirmed_count >= occurrence.capacity:
            break
        first = (
            occurrence.rsvps.filter(state=RsvpState.WAITLISTED)
            .select_related("user")
            .order_by("position")
            .first()
        )
        if first is None:
            break
        set_rsvp_state(first, RsvpState.CONFIRMED, actor=None)
        first.occurrence = occurrence
        _mail(first, "promoted", subject=f"A place came free: {occurrence.series.title}")
        promoted.append(first)
    return promoted


def _require_open(occurrence: Occurrence) -> None:
    if occurrence.status != OccurrenceStatus.SCHEDULED:
        raise DomainError("This meeting is cancelled.")
    if occurrence.starts_at <= timezone.now():
        raise DomainError("This meeting has already started.")
    if occurrence.series.status != SeriesStatus.ACTIVE:
        raise DomainError("This series is cancelled.")
    if not occurrence.series.initiative.is_public or occurrence.series.is_hidden:
        raise DomainError("This event is not open for answers.")


@transaction.atomic
def rsvp_member(
    occurrence: Occurrence,
    *,
    actor: Any,
    remind_day_before: bool = True,
    remind_hour_before: bool = True,
) -> Rsvp:
    """A signed-in person asks for a place: confirmed if one is free, else waitlisted.

    Asking again while holding a place or waiting changes only the reminder choices.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionRefused("Sign in first, or answer as a guest with your email.")
    _require_open(occurrence)
    locked = _lock(occurrence)
    rsvp = Rsvp.objects.filter(occurrence=locked, user=actor).first()
    if rsvp is None:
        rsvp = Rsvp(occurrence=locked, user=actor, state=RsvpState.CANCELLED)
    rsvp.remind_day_before, rsvp.remind_hour_before = remind_day_before, remind_hour_before
    rsvp.save()
    rsvp.occurrence = locked
    if rsvp.state == RsvpState.CANCELLED:
        state = _seat(rsvp, locked, actor=actor)
        template = "confirmed" if state == RsvpState.CONFIRMED else "waitlisted"
        subject = "Your place" if state == RsvpState.CONFIRMED else "You are on the waiting list"
        _mail(rsvp, template, subject=f"{subject}: {locked.series.title}")
    return rsvp


def normalise_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def rsvp_guest(
    occurrence: Occurrence,
    *,
    email: str,
    name: str = "",
    remind_day_before: bool = True,
    remind_hour_before: bool = True,
) -> Rsvp:
    """Someone without an account asks for a place: it is held only once they confirm
    by the link mailed to them.

    The answer on the page is the same whatever the address's history, so the page never
    tells whether that address already answered; the mail says what applies. At most one
    mail per address and meeting every GUEST_MAIL_INTERVAL_MINUTES: asking again sooner
    changes the answer (name, reminders, a cancelled answer asked again) but sends nothing,
    so the form cannot be used to flood someone's inbox.
    """
    _require_open(occurrence)
    email = normalise_email(email)
    if "@" not in email:
        raise DomainError("Give an email address, so we can send your confirmation link.")
    if "@" in name:  # organisers read the name: an address must never reach them through it
        raise DomainError("Write a name, not an email address, in the name box.")
    locked = _lock(occurrence)
    rsvp = Rsvp.objects.filter(occurrence=locked, user=None, email=email).first()
    title = locked.series.title
    now = timezone.now()
    mailed_recently = (
        rsvp is not None
        and rsvp.guest_mail_sent_at is not None
        and rsvp.guest_mail_sent_at > now - timedelta(minutes=GUEST_MAIL_INTERVAL_MINUTES)
    )
    if rsvp is not None and rsvp.state in ACTIVE_STATES:
        rsvp.occurrence = locked
        if not mailed_recently:
            _mail_guest(rsvp, "already", subject=f"You already answered: {title}", now=now)
        return rsvp
    if rsvp is None:
        rsvp = Rsvp(occurrence=locked, email=email, state=RsvpState.PENDING_EMAIL)
        created = True
    else:
        created = False
    rsvp.name = name.strip()[:80]
    rsvp.remind_day_before, rsvp.remind_hour_before = remind_day_before, remind_hour_before
    try:
        with transaction.atomic():
            rsvp.save()
    except IntegrityError as error:  # the same address twice at the same moment
        raise DomainError("Please try again in a moment.") from error
    rsvp.occurrence = locked
    if not created and rsvp.state == RsvpState.CANCELLED:
        set_rsvp_state(rsvp, RsvpState.PENDING_EMAIL, actor=None)
    elif created:
        log_action("events.rsvp.pending_email", actor=None, target=rsvp)
    if not mailed_recently:
        _mail_guest(rsvp, "guest_confirm", subject=f"Confirm your place: {title}", now=now)
    return rsvp


def _mail_guest(rsvp: Rsvp, template: str, *, subject: str, now: datetime) -> None:
    """Answer a guest's request by mail and note when (the per-address throttle)."""
    Rsvp.objects.filter(pk=rsvp.pk).update(guest_mail_sent_at=now)
    rsvp.guest_mail_sent_at = now
    _mail(rsvp, template, subject=subject)


@transaction.atomic
def confirm_guest(rsvp: Rsvp) -> str:
    """The guest clicked the emailed link: they take a place, or join the waiting list.

    Returns the RSVP's state afterwards. Clicking twice changes nothing.
    """
    locked = _lock(rsvp.occurrence)
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    rsvp.occurrence = locked
    if rsvp.state != RsvpState.PENDING_EMAIL:
        return rsvp.state
    _require_open(locked)
    state = _seat(rsvp, locked, actor=None)
    template = "confirmed" if state == RsvpState.CONFIRMED else "waitlisted"
    subject = "Your place" if state == RsvpState.CONFIRMED else "You are on the waiting list"
    _mail(rsvp, template, subject=f"{subject}: {locked.series.title}")
    return state


@transaction.atomic
def cancel_rsvp(rsvp: Rsvp, *, actor: Any = None) -> None:
    """The person gives up their place or leaves the waiting list; the next person waiting
    is promoted (and mailed). Cancelling twice changes nothing."""
    locked = _lock(rsvp.occurrence)
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    rsvp.occurrence = locked
    if rsvp.state not in (RsvpState.PENDING_EMAIL, RsvpState.CONFIRMED, RsvpState.WAITLISTED):
        return
    if locked.starts_at <= timezone.now():
        raise DomainError("This meeting has already started.")
    had_place = rsvp.state == RsvpState.CONFIRMED
    set_rsvp_state(rsvp, RsvpState.CANCELLED, actor=actor)
    if had_place:
        _promote(locked)


@transaction.atomic
def still_coming(rsvp: Rsvp) -> bool:
    """The person answered "yes, still coming" to the day-before check. Returns whether
    they hold a place."""
    rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if rsvp.state != RsvpState.CONFIRMED:
        return False
    if rsvp.reconfirmed_at is None:
        rsvp.reconfirmed_at = timezone.now()
        rsvp.save(update_fields=["reconfirmed_at", "updated_at"])
    return True


def waitlist_rank(rsvp: Rsvp) -> int | None:
    """1 for the first person waiting, and so on; None when not waiting."""
    if rsvp.state != RsvpState.WAITLISTED:
        return None
    return Rsvp.objects.filter(
        occurrence_id=rsvp.occurrence_id, state=RsvpState.WAITLISTED, position__lte=rsvp.position
    ).count()


# --- Attendance ------------------------------------------------------------------------


def _reads_names(user: Any, occurrence: Occurrence) -> bool:
    series = occurrence.series
    role = role_of(user, series.initiative)
    return role in NAME_READER_ROLES or (role is not None and series.facilitator_id == user.pk)


@transaction.atomic
def mark_attendance(occurrence: Occurrence, *, actor: Any, attended: Iterable[str]) -> None:
    """Record who came: RSVPs with a place whose codes are in `attended` are marked
    attended, the others no-show. Only after the start, by organisers and the series'
    facilitator."""
    if not _reads_names(actor, occurrence):
        raise PermissionRefused(
            "Only the organisers and this event's facilitator can record attendance."
        )
    if occurrence.starts_at > timezone.now():
        raise DomainError("Attendance can be recorded once the meeting has started.")
    if occurrence.rsvps_pruned_at is not None:
        raise DomainError("The answers for this meeting were deleted after the retention time.")
    locked = _lock(occurrence)
    came = set(attended)
    for rsvp in locked.rsvps.filter(state__in=HOLDS_PLACE).select_for_update():
        wanted = RsvpState.ATTENDED if rsvp.code in came else RsvpState.NO_SHOW
        if rsvp.state != wanted:
            set_rsvp_state(rsvp, wanted, actor=actor)
    Occurrence.objects.filter(pk=locked.pk).update(attendance_recorded=True)
    locked.attendance_recorded = True
    count_attendance(locked)


def count_attendance(occurrence: Occurrence) -> None:
    """Store the occurrence's attendance and returning attendees, read from its RSVPs
    (see Occurrence.attendance_from_rsvps), so they outlive the RSVPs."""
    attended, returning = occurrence.attendance_from_rsvps()
    Occurrence.objects.filter(pk=occurrence.pk).update(
        attended_count=attended, returning_count=returning, counted_at=timezone.now()
    )


def prune_rsvps(*, now: datetime | None = None) -> dict[str, int]:
    """Retention: count every ended meeting not yet counted (oldest first), then delete the
    RSVPs of meetings that ended more than BEACON_RSVP_RETENTION_DAYS ago, keeping the
    occurrence's counts. Safe to run any number of times. Returns what it did."""
    now = now or timezone.now()
    counted = 0
    uncounted = Occurrence.objects.filter(ends_at__lte=now, counted_at__isnull=True)
    for occurrence in uncounted.select_related("series").order_by("starts_at").iterator():
        with transaction.atomic():
            count_attendance(occurrence)
        counted += 1
    cutoff = now - timedelta(days=settings.BEACON_RSVP_RETENTION_DAYS)
    due = Occurrence.objects.filter(ends_at__lte=cutoff, rsvps_pruned_at__isnull=True)
    pruned = deleted = 0
    for occurrence in due.select_related("series").order_by("starts_at").iterator():
        with transaction.atomic():
            if occurrence.counted_at is None:
                count_attendance(occurrence)
            deleted += Rsvp.objects.filter(occurrence=occurrence).delete()[0]
            Occurrence.objects.filter(pk=occurrence.pk).update(rsvps_pruned_at=now)
        pruned += 1
    return {"counted": counted, "occurrences_pruned": pruned, "rsvps_deleted": deleted}


# --- Reminders and "still coming?" -----------------------------------------------------


def _claim(rsvp: Rsvp, field: str, now: datetime) -> bool:
    """Mark `field` sent on `rsvp` unless someone already did; True when this call did."""
    return bool(
        Rsvp.objects.filter(pk=rsvp.pk, **{f"{field}__isnull": True}).update(**{field: now})
    )


def when_words(occurrence: Occurrence, now: datetime) -> tuple[str, str]:
    """("Today", "today"), ("Tomorrow", "tomorrow") or ("On Friday", "on Friday"): when the
    meeting is, from its local date and today's date in the meeting's own zone."""
    start = occurrence.local_start
    days = (start.date() - now.astimezone(occurrence.zone).date()).days
    if days <= 0:
        return "Today", "today"
    if days == 1:
        return "Tomorrow", "tomorrow"
    return f"On {start:%A}", f"on {start:%A}"


def send_due_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Mail the reminders that are due, ask "still coming?", release unanswered places.

    - Day-before reminder: for meetings starting between 1 and 24 hours from now, to
      people with a place who want it. When the series asks "still coming?", everyone
      with a place is asked too, with the link to answer — but only while the meeting is
      more than RECONFIRM_DEADLINE_HOURS + RECONFIRM_GRACE_HOURS away, so everyone asked
      has time to answer; people who book or are promoted later are not asked (and are
      never released). The subject says "Today", "Tomorrow" or the weekday, from the
      meeting's local date.
    - Hour-before reminder: for meetings starting within the hour, to those who want it.
    - Places whose holders were asked and did not answer by RECONFIRM_DEADLINE_HOURS
      before the start are released, and the waiting list moves up.
    Only events anyone may see get mail (`public_series_q`): a series moderators removed
    or hid, or an initiative archived or hidden, sends nothing.
    Idempotent: each mail is claimed by a conditional UPDATE of its sent-at column in the
    transaction that queues it, so reruns and concurrent runs never mail twice.
    """
    now = now or timezone.now()
    sent = {"day": 0, "hour": 0, "released": 0}
    ask_before = now + timedelta(hours=RECONFIRM_DEADLINE_HOURS + RECONFIRM_GRACE_HOURS)
    base = (
        Rsvp.objects.filter(
            state=RsvpState.CONFIRMED,
            occurrence__status=OccurrenceStatus.SCHEDULED,
            occurrence__series__status=SeriesStatus.ACTIVE,
        )
        .filter(public_series_q("occurrence__series__"))
        .select_related("occurrence__series__initiative", "user")
    )
    day_due = base.filter(
        occurrence__starts_at__gt=now + timedelta(hours=1),
        occurrence__starts_at__lte=now + timedelta(hours=24),
        day_reminder_sent_at__isnull=True,
    ).filter(
        Q(remind_day_before=True)
        | Q(occurrence__series__confirm_day_before=True, occurrence__starts_at__gt=ask_before)
    )
    for rsvp in day_due.order_by("pk"):
        with transaction.atomic():
            occurrence = rsvp.occurrence
            ask = occurrence.series.confirm_day_before and occurrence.starts_at > ask_before
            if not (ask or rsvp.remind_day_before):
                continue
            if not _claim(rsvp, "day_reminder_sent_at", now):
                continue
            if ask:
                Rsvp.objects.filter(pk=rsvp.pk).update(reconfirm_sent_at=now)
            subject_word, when_word = when_words(occurrence, now)
            _mail(
                rsvp,
                "reminder",
                subject=f"{subject_word}: {occurrence.series.title}",
                when_word=when_word,
                ask_still_coming=ask,
                deadline_hours=RECONFIRM_DEADLINE_HOURS,
            )
            sent["day"] += 1
    hour_due = base.filter(
        occurrence__starts_at__gt=now,
        occurrence__starts_at__lte=now + timedelta(hours=1),
        remind_hour_before=True,
        hour_reminder_sent_at__isnull=True,
    )
    for rsvp in hour_due.order_by("pk"):
        with transaction.atomic():
            if not _claim(rsvp, "hour_reminder_sent_at", now):
                continue
            _mail(
                rsvp,
                "reminder",
                subject=f"In an hour: {rsvp.occurrence.series.title}",
                when_word="in about an hour",
                ask_still_coming=False,
            )
            sent["hour"] += 1
    sent["released"] = release_unconfirmed_places(now=now)
    return sent


def release_unconfirmed_places(*, now: datetime | None = None) -> int:
    """Free the places of people who were asked "still coming?" and did not answer by the
    deadline; they are told, and people waiting are promoted. Returns how many.

    Only people who held their place when they were asked, and were asked at least
    RECONFIRM_GRACE_HOURS ago, are released: someone who booked or was promoted after the
    question went out (or asked again after cancelling) keeps their place.
    """
    now = now or timezone.now()
    unanswered = (
        Rsvp.objects.filter(
            state=RsvpState.CONFIRMED,
            reconfirm_sent_at__isnull=False,
            reconfirm_sent_at__lte=now - timedelta(hours=RECONFIRM_GRACE_HOURS),
            confirmed_at__lte=F("reconfirm_sent_at"),
            reconfirmed_at__isnull=True,
            occurrence__status=OccurrenceStatus.SCHEDULED,
            occurrence__starts_at__gt=now,
            occurrence__starts_at__lte=now + timedelta(hours=RECONFIRM_DEADLINE_HOURS),
        )
        .filter(public_series_q("occurrence__series__"))
        .values_list("pk", "occurrence_id")
    )
    released = 0
    for pk, occurrence_id in list(unanswered):
        with transaction.atomic():
            occurrence = (
                Occurrence.objects.select_for_update(of=("self",))
                .select_related("series__initiative")
                .get(pk=occurrence_id)
            )
            rsvp = Rsvp.objects.select_for_update(of=("self",)).select_related("user").get(pk=pk)
            if (
                rsvp.state != RsvpState.CONFIRMED
                or rsvp.reconfirmed_at is not None
                or rsvp.reconfirm_sent_at is None
                or rsvp.confirmed_at is None
                or rsvp.confirmed_at > rsvp.reconfirm_sent_at
            ):
                continue
            set_rsvp_state(rsvp, RsvpState.CANCELLED, actor=None)
            rsvp.occurrence = occurrence
            _mail(rsvp, "released", subject=f"Your place was released: {occurrence.series.title}")
            _promote(occurrence, now=now)
            released += 1
    return released


# --- Personal calendar feed ------------------------------------------------------------


@transaction.atomic
def regenerate_calendar_token(*, actor: Any) -> str:
    """Give `actor` a new secret feed URL; the old one stops working at once."""
    token, _ = CalendarToken.objects.select_for_update().get_or_create(user=actor)
    token.token = new_feed_token()
    token.save(update_fields=["token"])
    log_action("events.calendar_token.regenerated", actor=actor, target=None)
    return token.token


def revoke_calendar_token(*, actor: Any) -> None:
    """Switch off `actor`'s personal feed URL."""
    CalendarToken.objects.filter(user=actor).delete()
    log_action("events.calendar_token.revoked", actor=actor, target=None)

import datetime

import factory
from django.utils import timezone

from beacon.events.enums import EventFormat, EventKind, Recurrence
from beacon.events.models import EventSeries, Rsvp
from beacon.events.services import sync_occurrences
from tests.factories.accounts import UserFactory
from tests.factories.initiatives import InitiativeFactory


def next_weekday(weekday: int, *, after: datetime.date | None = None) -> datetime.date:
    """The first date after `after` (default: today) falling on `weekday` (0 = Monday)."""
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


class EventSeriesFactory(factory.django.DjangoModelFactory):
    """A weekly in-person support group in Portland, OR, next Tuesday at 19:00, 12 places.

    Occurrences are materialised after creation (pass `materialise=False` to skip).
    """

    class Meta:
        model = EventSeries
        skip_postgeneration_save = True

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Tuesday peer support {n}")
    description = "A calm circle where people share what helps. **Tea provided.**"
    kind = EventKind.SUPPORT_GROUP
    format = EventFormat.IN_PERSON
    place_name = "Northeast Community Center"
    address = "1630 NE 38th Ave, Portland, OR"
    latitude = 45.535
    longitude = -122.625
    time_zone = "America/Los_Angeles"
    start_date = factory.LazyFunction(lambda: next_weekday(1))
    start_time = datetime.time(19, 0)
    duration_minutes = 90
    recurrence = Recurrence.WEEKLY
    count = 10
    capacity = 12
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def materialise(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            sync_occurrences(obj)


class RsvpFactory(factory.django.DjangoModelFactory):
    """A member's confirmed place (counters are NOT updated: use services in behaviour tests)."""

    class Meta:
        model = Rsvp

    user = factory.SubFactory(UserFactory)
    state = "confirmed"


def held_meetings(
    initiative,
    month: datetime.date,
    *,
    events: int,
    attendance: int = 0,
    returning: int = 0,
) -> list:
    """`events` meetings of `initiative` that took place on the first of `month` (UTC
    midnight, so they are in the past even in the current month), with their attendance
    counted as `prune_rsvps` leaves it: the first meeting carries all the attendance and
    returning attendees, the others none.

    Each meeting is its own one-off series (one meeting a day per series).
    """
    from beacon.events.models import Occurrence

    start = datetime.datetime(month.year, month.month, 1, tzinfo=datetime.UTC)
    meetings = []
    for i in range(events):
        series = EventSeriesFactory(
            initiative=initiative,
            created_by=initiative.created_by,
            recurrence=Recurrence.NONE,
            count=None,
            start_date=month,
            materialise=False,
        )
        meetings.append(
            Occurrence.objects.create(
                series=series,
                day=month,
                original_start=start,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                attended_count=attendance if i == 0 else 0,
                returning_count=returning if i == 0 else 0,
                counted_at=start + datetime.timedelta(hours=1),
            )
        )
    return meetings

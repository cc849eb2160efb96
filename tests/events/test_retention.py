"""Retention: RSVPs are deleted BEACON_RSVP_RETENTION_DAYS after a meeting; the counts
(attendance, returning attendees) stay and feed the initiative's monthly figures."""

import datetime
from datetime import UTC, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from beacon.core.errors import PermissionRefused
from beacon.events import services
from beacon.events.enums import RsvpState
from beacon.events.models import Occurrence, Rsvp
from beacon.events.queries import attendance_by_month
from tests.factories.accounts import UserFactory
from tests.factories.events import EventSeriesFactory

pytestmark = pytest.mark.django_db


def move(occurrence, start):
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1), day=start.date()
    )
    return Occurrence.objects.select_related("series__initiative").get(pk=occurrence.pk)


@pytest.fixture
def two_meetings(series):
    people = UserFactory.create_batch(3)
    first, second = list(series.occurrences.order_by("starts_at"))[:2]
    for person in people:
        services.rsvp_member(first, actor=person)
    for person in people[:2]:
        services.rsvp_member(Occurrence.objects.get(pk=second.pk), actor=person)
    services.rsvp_guest(Occurrence.objects.get(pk=second.pk), email="new@people.example")
    services.confirm_guest(Rsvp.objects.get(email="new@people.example"))
    now = timezone.now()
    first = move(first, now - timedelta(days=120))
    second = move(second, now - timedelta(days=113))
    return first, second, people


def test_attendance_is_marked_by_organisers_and_the_series_facilitator_only(
    two_meetings, organiser, facilitator, member
):
    first, _, people = two_meetings
    codes = list(first.rsvps.filter(user__in=people[:2]).values_list("code", flat=True))

    with pytest.raises(PermissionRefused):
        services.mark_attendance(first, actor=member, attended=codes)
    # A facilitator of the group who does not run this series may not; its own may.
    with pytest.raises(PermissionRefused):
        services.mark_attendance(first, actor=facilitator, attended=codes)
    first.series.facilitator = facilitator
    first.series.save(update_fields=["facilitator"])
    services.mark_attendance(first, actor=facilitator, attended=codes)

    first.refresh_from_db()
    assert first.attended_count == 2 and first.attendance_recorded
    assert sorted(first.rsvps.values_list("state", flat=True)) == [
        RsvpState.ATTENDED,
        RsvpState.ATTENDED,
        RsvpState.NO_SHOW,
    ]


def test_pruning_deletes_answers_and_keeps_the_counts(two_meetings, settings, organiser):
    settings.BEACON_RSVP_RETENTION_DAYS = 90
    first, second, people = two_meetings
    services.mark_attendance(
        first,
        actor=organiser,
        attended=first.rsvps.filter(user__in=people[:2]).values_list("code", flat=True),
    )

    call_command("prune_rsvps", verbosity=0)
    result = services.prune_rsvps()

    assert result == {"counted": 0, "occurrences_pruned": 0, "rsvps_deleted": 0}  # idempotent
    assert Rsvp.objects.filter(occurrence__in=[first, second]).count() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attended_count, first.returning_count) == (2, 0)
    # Second meeting: attendance not marked, so the 3 places held count; the two people
    # who came to the first are returning, the new guest is not.
    assert (second.attended_count, second.returning_count) == (3, 2)
    assert first.rsvps_pruned_at is not None


def test_meetings_within_the_retention_time_keep_their_answers(series, member, settings):
    settings.BEACON_RSVP_RETENTION_DAYS = 90
    occ = series.occurrences.order_by("starts_at").first()
    services.rsvp_member(occ, actor=member)
    occ = move(occ, timezone.now() - timedelta(days=10))

    result = services.prune_rsvps()

    assert result == {"counted": 1, "occurrences_pruned": 0, "rsvps_deleted": 0}
    assert occ.rsvps.count() == 1
    occ.refresh_from_db()
    assert occ.attended_count == 1 and occ.counted_at is not None


def test_monthly_figures_survive_pruning(initiative, settings):
    settings.BEACON_RSVP_RETENTION_DAYS = 30
    series = EventSeriesFactory(initiative=initiative, materialise=False, count=4)
    services.sync_occurrences(series, now=datetime.datetime(2025, 1, 1, tzinfo=UTC))
    # Move the series into the past: Tuesdays from 7 January 2025 (4 meetings).
    series.start_date = datetime.date(2025, 1, 7)
    series.save()
    series.occurrences.all().delete()
    services.sync_occurrences(series, now=datetime.datetime(2025, 1, 1, tzinfo=UTC))
    meetings = list(series.occurrences.order_by("starts_at"))
    people = UserFactory.create_batch(2)
    for occ in meetings:
        for person in people:
            Rsvp.objects.create(occurrence=occ, user=person, state=RsvpState.CONFIRMED)
    Occurrence.objects.filter(pk=meetings[-1].pk).update(status="cancelled")
    start, end = datetime.date(2024, 12, 1), datetime.date(2025, 2, 1)

    before = attendance_by_month(initiative, start, end)
    services.prune_rsvps()
    after = attendance_by_month(initiative, start, end)

    assert Rsvp.objects.count() == 0
    assert after == [
        {
            "month": datetime.date(2024, 12, 1),
            "events_held": 0,
            "attendance": 0,
            "returning_attendees": 0,
        },
        {
            "month": datetime.date(2025, 1, 1),
            "events_held": 3,
            "attendance": 6,
            "returning_attendees": 4,
        },
        {
            "month": datetime.date(2025, 2, 1),
            "events_held": 0,
            "attendance": 0,
            "returning_attendees": 0,
        },
    ]
    assert [r["attendance"] for r in before] == [0, 6, 0]

"""Series: saving with the organisers' rules, materialising dates across DST, skipping,
changing and cancelling single meetings (with notices), and cancelling a series."""

import datetime
import itertools
from datetime import UTC, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from beacon.core.errors import DomainError, PermissionRefused
from beacon.events import services
from beacon.events.enums import OccurrenceStatus, RsvpState, SeriesStatus
from beacon.events.models import EventSeries, Occurrence
from beacon.moderation.models import Case
from tests.factories.events import EventSeriesFactory, next_weekday

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "Thursday circle",
    "description": "We sit together and share what helped this week.",
    "kind": "support_group",
    "format": "in_person",
    "place_name": "Library room 2",
    "address": "",
    "latitude": 45.5,
    "longitude": -122.6,
    "online_url": "",
    "time_zone": "America/Los_Angeles",
    "start_time": time(18, 30),
    "duration_minutes": 60,
    "recurrence": "weekly",
    "until": None,
    "count": 6,
    "capacity": 10,
    "audience": "",
    "facilitator": None,
    "confirm_day_before": False,
}


def fields(**kw):
    return {**FIELDS, "start_date": next_weekday(3), **kw}


def test_an_organiser_creates_a_weekly_series_and_its_dates_exist(initiative, organiser):
    series = services.save_series(None, initiative=initiative, actor=organiser, fields=fields())

    rows = list(series.occurrences.order_by("starts_at"))
    assert len(rows) == 6
    assert all(o.capacity == 10 and o.place_name == "Library room 2" for o in rows)
    assert {o.local_start.time() for o in rows} == {time(18, 30)}
    assert [(b.day - a.day).days for a, b in itertools.pairwise(rows)] == [7] * 5


def test_only_organisers_create_series(initiative, facilitator, member):
    for person in (facilitator, member):
        with pytest.raises(PermissionRefused):
            services.save_series(None, initiative=initiative, actor=person, fields=fields())
    assert EventSeries.objects.count() == 0


def test_problems_come_back_by_field_and_nothing_is_saved(initiative, organiser):
    with pytest.raises(DomainError) as caught:
        services.save_series(
            None,
            initiative=initiative,
            actor=organiser,
            fields=fields(title=" ", format="online", time_zone="Nowhere/Else", until=None),
        )

    assert caught.value.problems == {
        "title": ["Give the event a title."],
        "time_zone": ["Choose a time zone from the list (for example America/Los_Angeles)."],
        "online_url": ["Give the link people use to join online."],
    }
    assert EventSeries.objects.count() == 0


def test_the_facilitator_needs_a_current_facilitator_training(
    initiative, organiser, facilitator, member
):
    from tests.factories.initiatives import MembershipFactory

    MembershipFactory(initiative=initiative, user=member)

    with pytest.raises(DomainError) as caught:
        services.save_series(
            None, initiative=initiative, actor=organiser, fields=fields(facilitator=member)
        )
    ok = services.save_series(
        None, initiative=initiative, actor=organiser, fields=fields(facilitator=facilitator)
    )

    assert "current facilitator training" in caught.value.problems["facilitator"][0]
    assert ok.facilitator == facilitator


def test_materialised_times_follow_local_time_across_the_us_change(initiative, organiser):
    # Created in February 2025, a weekly Tuesday group at 19:00 in Los Angeles.
    now = datetime.datetime(2025, 2, 20, tzinfo=UTC)
    series = EventSeriesFactory(
        initiative=initiative,
        start_date=datetime.date(2025, 3, 4),
        count=3,
        materialise=False,
    )

    services.sync_occurrences(series, now=now)

    assert list(series.occurrences.values_list("starts_at", flat=True)) == [
        datetime.datetime(2025, 3, 5, 3, 0, tzinfo=UTC),
        datetime.datetime(2025, 3, 12, 2, 0, tzinfo=UTC),
        datetime.datetime(2025, 3, 19, 2, 0, tzinfo=UTC),
    ]


def test_materialised_times_follow_local_time_across_the_eu_change(initiative):
    now = datetime.datetime(2025, 10, 1, tzinfo=UTC)
    series = EventSeriesFactory(
        initiative=initiative,
        time_zone="Europe/London",
        start_date=datetime.date(2025, 10, 22),
        start_time=time(18, 0),
        count=2,
        materialise=False,
    )

    services.sync_occurrences(series, now=now)

    assert list(series.occurrences.values_list("starts_at", flat=True)) == [
        datetime.datetime(2025, 10, 22, 17, 0, tzinfo=UTC),
        datetime.datetime(2025, 10, 29, 18, 0, tzinfo=UTC),
    ]


def test_sync_is_idempotent_and_extends_to_the_horizon(initiative):
    series = EventSeriesFactory(initiative=initiative, count=None, materialise=False)

    first = services.sync_occurrences(series, horizon_days=30)
    again = services.sync_occurrences(series, horizon_days=30)
    longer = services.sync_occurrences(series, horizon_days=60)

    assert first["created"] in (4, 5) and again["created"] == 0
    assert longer["created"] in (4, 5)
    assert series.occurrences.count() == first["created"] + longer["created"]


def test_changing_the_series_time_moves_the_dates_and_keeps_answers(
    series, organiser, member, commit
):
    first = series.occurrences.order_by("starts_at").first()
    services.rsvp_member(first, actor=member)
    mail.outbox.clear()

    with commit():
        services.save_series(
            series,
            initiative=series.initiative,
            actor=organiser,
            fields={"start_time": time(18, 0)},
        )

    first.refresh_from_db()
    assert first.local_start.time() == time(18, 0)
    assert first.rsvps.get().state == RsvpState.CONFIRMED
    assert series.occurrences.count() == 10
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].subject == f"[Beacon] Changed: {series.title}"


def test_lowering_capacity_never_takes_a_held_place_and_raising_it_promotes(
    series, organiser, commit
):
    from tests.factories.accounts import UserFactory

    first = series.occurrences.order_by("starts_at").first()
    a, b, c = UserFactory.create_batch(3)
    for person in (a, b):
        services.rsvp_member(Occurrence.objects.get(pk=first.pk), actor=person)
    services.save_series(
        series, initiative=series.initiative, actor=organiser, fields={"capacity": 1}
    )
    first.refresh_from_db()
    assert (first.capacity, first.confirmed_count) == (2, 2)
    waiting = services.rsvp_member(Occurrence.objects.get(pk=first.pk), actor=c)
    assert waiting.state == RsvpState.WAITLISTED

    with commit():
        services.save_series(
            series, initiative=series.initiative, actor=organiser, fields={"capacity": 5}
        )

    waiting.refresh_from_db()
    assert waiting.state == RsvpState.CONFIRMED
    assert mail.outbox[-1].to == [c.email]


def test_skipping_a_date_deletes_it_or_cancels_it_with_a_notice(series, organiser, member, commit):
    quiet, busy = list(series.occurrences.order_by("starts_at"))[:2]
    services.rsvp_member(busy, actor=member)
    mail.outbox.clear()

    with commit():
        services.skip_date(series, quiet.day, actor=organiser)
        services.skip_date(series, busy.day, actor=organiser)

    assert not Occurrence.objects.filter(pk=quiet.pk).exists()
    busy.refresh_from_db()
    assert busy.status == OccurrenceStatus.CANCELLED
    assert busy.cancel_reason == services.SKIPPED_REASON
    assert [m.to for m in mail.outbox] == [[member.email]]
    series.refresh_from_db()
    assert series.skipped == {quiet.day, busy.day}

    services.skip_date(series, quiet.day, actor=organiser, skip=False)
    assert series.occurrences.filter(day=quiet.day).exists()


def test_skipping_a_date_outside_the_schedule_is_refused(series, organiser):
    with pytest.raises(DomainError, match="not one of the upcoming dates"):
        services.skip_date(series, series.start_date + timedelta(days=1), actor=organiser)


def test_cancelling_one_meeting_tells_everyone_who_answered(occurrence, organiser, commit):
    from tests.factories.accounts import UserFactory

    Occurrence.objects.filter(pk=occurrence.pk).update(capacity=1)
    holder, waiting, cancelled = UserFactory.create_batch(3)
    occ = Occurrence.objects.get(pk=occurrence.pk)
    services.rsvp_member(occ, actor=holder)
    services.rsvp_member(Occurrence.objects.get(pk=occ.pk), actor=waiting)
    gone = services.rsvp_member(Occurrence.objects.get(pk=occ.pk), actor=cancelled)
    services.cancel_rsvp(gone, actor=cancelled)
    mail.outbox.clear()

    with commit():
        services.cancel_occurrence(occ, actor=organiser, reason="The hall is flooded.")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([holder.email, waiting.email])
    assert "Their message: The hall is flooded." in mail.outbox[0].body
    with pytest.raises(DomainError, match="Say why"):
        services.cancel_occurrence(occ, actor=organiser, reason=" ")

    mail.outbox.clear()
    with commit():
        services.reinstate_occurrence(occ, actor=organiser)
    occ.refresh_from_db()
    assert occ.status == OccurrenceStatus.SCHEDULED and len(mail.outbox) == 2


def test_changing_one_meeting_moves_only_that_one_and_survives_series_edits(
    series, organiser, commit
):
    first, second = list(series.occurrences.order_by("starts_at"))[:2]

    services.change_occurrence(
        first,
        actor=organiser,
        day=first.day,
        start_time=time(17, 0),
        duration_minutes=60,
        place_name="Park pavilion",
        address="",
        latitude=45.51,
        longitude=-122.61,
        note="Outside this week!",
    )
    services.save_series(
        series, initiative=series.initiative, actor=organiser, fields={"title": "Renamed"}
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.local_start.time() == time(17, 0) and first.time_changed
    assert first.place_name == "Park pavilion" and first.place_changed
    assert second.local_start.time() == time(19, 0) and not second.time_changed
    assert second.place_name == series.place_name


def test_cancelling_a_series_stops_it(series, organiser, member):
    first = series.occurrences.order_by("starts_at").first()
    services.rsvp_member(first, actor=member)

    services.cancel_series(series, actor=organiser)

    series.refresh_from_db()
    assert series.status == SeriesStatus.CANCELLED
    assert list(series.occurrences.values_list("status", flat=True)) == ["cancelled"]
    with pytest.raises(DomainError):
        services.save_series(series, initiative=series.initiative, actor=organiser, fields={})


def test_a_crisis_reading_of_the_description_reaches_the_crisis_lane(initiative, organiser):
    series = services.save_series(
        None,
        initiative=initiative,
        actor=organiser,
        fields=fields(description="I want to end my life and I have a plan for tonight."),
    )

    assert series.risk == "crisis"
    assert Case.objects.get().lane == "crisis"


def test_past_meetings_are_never_touched_by_sync(initiative):
    series = EventSeriesFactory(initiative=initiative, materialise=False, count=3)
    services.sync_occurrences(series, now=timezone.now() - timedelta(days=30))
    past = series.occurrences.order_by("starts_at").first()
    Occurrence.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(hours=22),
    )

    services.sync_occurrences(series)

    assert Occurrence.objects.filter(pk=past.pk).exists()


def test_a_new_online_link_is_mailed_to_everyone_with_a_place(
    initiative, organiser, member, other_member, commit
):
    online = fields(format="online", online_url="https://meet.example/old-room", capacity=1)
    series = services.save_series(None, initiative=initiative, actor=organiser, fields=online)
    first, second = series.occurrences.order_by("starts_at")[:2]
    services.rsvp_member(first, actor=member)
    services.rsvp_member(Occurrence.objects.get(pk=first.pk), actor=other_member)  # waits
    services.rsvp_member(second, actor=other_member)
    mail.outbox.clear()

    with commit():
        services.save_series(
            series,
            initiative=initiative,
            actor=organiser,
            fields={"online_url": "https://meet.example/new-room"},
        )
    with commit():
        services.save_series(
            series, initiative=initiative, actor=organiser, fields={"title": "Renamed circle"}
        )

    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, other_member.email])
    for message in mail.outbox:
        assert message.subject.startswith("[Beacon] New joining link:")
        assert "https://meet.example/new-room" in message.body
        assert "old-room" not in message.body

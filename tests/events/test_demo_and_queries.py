"""The demo seeder, the functions the initiatives app calls, and the rules' queryset twins."""

import datetime

import pytest
import rules
from django.utils import timezone

from beacon.events import queries, services
from beacon.events.demo import PLANS
from beacon.events.demo import seed as seed_events
from beacon.events.enums import EventKind
from beacon.events.models import EventSeries, Occurrence, Rsvp
from beacon.initiatives.enums import MemberRole
from beacon.initiatives.events_bridge import attendance_by_month, upcoming_events
from beacon.initiatives.models import Initiative
from tests.factories.accounts import UserFactory
from tests.factories.events import EventSeriesFactory
from tests.factories.initiatives import InitiativeFactory, MembershipFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_with_history_and_coming_dates():
    from beacon.accounts.demo import seed as seed_accounts
    from beacon.initiatives.demo import seed as seed_initiatives

    seed_accounts()
    seed_initiatives()
    seed_events()
    counts = (EventSeries.objects.count(), Occurrence.objects.count(), Rsvp.objects.count())
    seed_events()

    assert counts == (
        EventSeries.objects.count(),
        Occurrence.objects.count(),
        Rsvp.objects.count(),
    )
    assert counts[0] == 9
    today = timezone.localdate()
    for name in PLANS:
        initiative = Initiative.objects.get(name=name)
        kinds = set(initiative.event_series.values_list("kind", flat=True))
        assert kinds == {EventKind.SUPPORT_GROUP, EventKind.WORKSHOP, EventKind.AWARENESS}
        months = queries.attendance_by_month(
            initiative, today - datetime.timedelta(days=120), today
        )
        assert sum(m["events_held"] for m in months) >= 12
        assert (
            sum(m["attendance"] for m in months) > sum(m["returning_attendees"] for m in months) > 0
        )
        assert len(queries.upcoming_for_initiative(initiative)) == 5
        assert Rsvp.objects.filter(occurrence__series__initiative=initiative).exists()
    riverside = EventSeries.objects.get(title="Tuesday evening peer-support circle")
    assert riverside.facilitator is not None  # a current facilitator record holder


def test_upcoming_for_initiative_is_public_scheduled_and_soonest_first(initiative, organiser):
    series = EventSeriesFactory(initiative=initiative)
    EventSeriesFactory(initiative=initiative, is_hidden=True)
    first = series.occurrences.order_by("starts_at").first()
    services.cancel_occurrence(first, actor=organiser, reason="Closed")

    found = queries.upcoming_for_initiative(initiative, limit=3)
    through_bridge = upcoming_events(initiative, limit=2)

    assert [o.series for o in found] == [series] * 3
    assert first not in found
    assert found == sorted(found, key=lambda o: o.starts_at)
    assert through_bridge == found[:2]
    assert found[0].get_absolute_url() == f"/events/{found[0].code}/"


def test_the_bridge_reads_attendance_by_month(initiative):
    rows = attendance_by_month(initiative, datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))

    assert [r["month"] for r in rows] == [
        datetime.date(2025, 1, 1),
        datetime.date(2025, 2, 1),
        datetime.date(2025, 3, 1),
    ]
    assert all(r["events_held"] == r["attendance"] == 0 for r in rows)


def test_view_and_attendee_rules_agree_with_their_queryset_twins(moderator):
    public = EventSeriesFactory()
    unlisted = EventSeriesFactory(initiative=InitiativeFactory(status="pending_review"))
    hidden = EventSeriesFactory(is_hidden=True)
    organiser, facilitator, member, named, stranger = UserFactory.create_batch(5)
    MembershipFactory(initiative=unlisted.initiative, user=organiser, role=MemberRole.ORGANISER)
    MembershipFactory(initiative=public.initiative, user=facilitator, role=MemberRole.FACILITATOR)
    MembershipFactory(initiative=hidden.initiative, user=member)
    MembershipFactory(initiative=hidden.initiative, user=named)
    TrainingRecordFactory(user=named)
    EventSeries.objects.filter(pk=hidden.pk).update(facilitator=named)
    from django.contrib.auth.models import AnonymousUser

    everyone = [AnonymousUser(), organiser, facilitator, member, named, stranger, moderator]
    all_series = list(EventSeries.objects.select_related("initiative"))
    for person in everyone:
        visible = set(queries.series_visible_to(person))
        names = set(queries.series_with_attendee_names_for(person))
        for series in all_series:
            assert rules.has_perm("events.view_series", person, series) == (series in visible)
            assert rules.has_perm("events.view_attendees", person, series) == (series in names)
    assert set(queries.series_with_attendee_names_for(named)) == {
        EventSeries.objects.get(pk=hidden.pk)
    }
    assert set(queries.series_visible_to(AnonymousUser())) == {public}


def test_search_results_page_through_nearby_then_online(initiative):
    from beacon.events.enums import EventFormat

    EventSeriesFactory(initiative=initiative, count=3, latitude=45.60, longitude=-122.60)
    EventSeriesFactory(initiative=initiative, count=3, latitude=45.53, longitude=-122.67)
    EventSeriesFactory(
        initiative=initiative, count=3, format=EventFormat.ONLINE, online_url="https://x.example/"
    )
    end = timezone.now() + datetime.timedelta(days=40)

    results = queries.find_events(lat=45.523, lon=-122.676, radius_km=40, end=end)

    rows = results[0:4] + results[4:20]
    assert results.count() == len(rows) == 9
    distances = [r.distance_km for r in rows]
    assert distances[:3] == sorted(distances[:3]) and distances[2] < distances[3]
    assert distances[6:] == [None] * 3  # online meetings last
    assert [r.starts_at for r in rows[:3]] == sorted(r.starts_at for r in rows[:3])
    in_person = queries.find_events(
        lat=45.523, lon=-122.676, radius_km=40, end=end, mode="in_person"
    )
    assert in_person.count() == 6


def test_a_moderator_removing_a_series_hides_it(series, moderator):
    from beacon.moderation.registry import moderated_type_for

    adapter = moderated_type_for(series)
    adapter.apply_decision(series, "remove", actor=moderator, message="Not appropriate")

    assert EventSeries.objects.get(pk=series.pk).is_hidden
    assert queries.access_series(None, series.code) is None
    assert adapter.public_url(series) == ""

"""Races for places, forced with real threads on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from beacon.events import services
from beacon.events.enums import RsvpState
from beacon.events.models import Occurrence, Rsvp
from tests.factories.accounts import UserFactory
from tests.factories.events import EventSeriesFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def run_together(target, args_list):
    barrier = threading.Barrier(len(args_list))
    errors = []

    def worker(*args):
        try:
            barrier.wait()
            target(*args)
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=a) for a in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("threads need a server database; `make test` runs this on PostgreSQL")


def occurrence_with(capacity):
    series = EventSeriesFactory(capacity=capacity, count=1)
    return series.occurrences.get()


def test_two_people_taking_the_last_place_at_once_one_waits():
    occ = occurrence_with(1)
    people = UserFactory.create_batch(2)

    errors = run_together(
        lambda u: services.rsvp_member(Occurrence.objects.get(pk=occ.pk), actor=u),
        [(p,) for p in people],
    )

    assert errors == []
    states = sorted(Rsvp.objects.values_list("state", flat=True))
    assert states == [RsvpState.CONFIRMED, RsvpState.WAITLISTED]
    occ.refresh_from_db()
    assert (occ.confirmed_count, occ.waitlist_count) == (1, 1)
    assert Rsvp.objects.get(state=RsvpState.WAITLISTED).position == 1


def test_a_crowd_fills_the_places_exactly_and_queues_in_distinct_positions():
    occ = occurrence_with(3)
    people = UserFactory.create_batch(10)

    errors = run_together(
        lambda u: services.rsvp_member(Occurrence.objects.get(pk=occ.pk), actor=u),
        [(p,) for p in people],
    )

    assert errors == []
    occ.refresh_from_db()
    assert Rsvp.objects.filter(state=RsvpState.CONFIRMED).count() == occ.confirmed_count == 3
    positions = sorted(
        Rsvp.objects.filter(state=RsvpState.WAITLISTED).values_list("position", flat=True)
    )
    assert positions == list(range(1, 8)) and occ.waitlist_count == 7


def test_cancelling_and_joining_at_once_never_exceeds_capacity():
    occ = occurrence_with(2)
    holders = UserFactory.create_batch(2)
    answers = [services.rsvp_member(Occurrence.objects.get(pk=occ.pk), actor=h) for h in holders]
    waiting = UserFactory.create_batch(4)
    for person in waiting[:2]:
        services.rsvp_member(Occurrence.objects.get(pk=occ.pk), actor=person)

    jobs = [(lambda a=a: services.cancel_rsvp(a),) for a in answers] + [
        (lambda p=p: services.rsvp_member(Occurrence.objects.get(pk=occ.pk), actor=p),)
        for p in waiting[2:]
    ]
    errors = run_together(lambda job: job(), jobs)

    assert errors == []
    occ.refresh_from_db()
    assert Rsvp.objects.filter(state=RsvpState.CONFIRMED).count() == occ.confirmed_count == 2
    # The two who waited first got the places, not the two who arrived during the race.
    confirmed = set(Rsvp.objects.filter(state=RsvpState.CONFIRMED).values_list("user", flat=True))
    assert confirmed == {waiting[0].pk, waiting[1].pk}

"""Places, the fair waiting list, promotion, guests confirming by email, cancelling."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused
from beacon.events import services
from beacon.events.enums import RsvpState
from beacon.events.models import Occurrence, Rsvp
from beacon.events.tokens import read_rsvp_token
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def fresh(occurrence):
    return Occurrence.objects.select_related("series__initiative").get(pk=occurrence.pk)


def small(occurrence, capacity):
    Occurrence.objects.filter(pk=occurrence.pk).update(capacity=capacity)
    return fresh(occurrence)


def test_a_member_takes_a_free_place_and_is_mailed_the_details(occurrence, member, commit):
    with commit():
        answer = services.rsvp_member(occurrence, actor=member)

    assert answer.state == RsvpState.CONFIRMED
    assert fresh(occurrence).confirmed_count == 1
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "You have a place" in mail.outbox[0].body
    assert "/events/rsvp/" in mail.outbox[0].body  # the cancel link


def test_when_full_people_wait_in_the_order_they_came(occurrence, commit):
    occ = small(occurrence, 1)
    first, second, third = UserFactory.create_batch(3)

    with commit():
        answers = [services.rsvp_member(fresh(occ), actor=p) for p in (first, second, third)]

    assert [a.state for a in answers] == ["confirmed", "waitlisted", "waitlisted"]
    assert [services.waitlist_rank(a) for a in answers] == [None, 1, 2]
    occ = fresh(occ)
    assert (occ.confirmed_count, occ.waitlist_count) == (1, 2)
    assert "waiting list" in mail.outbox[1].body


def test_a_cancelled_place_goes_to_the_first_person_waiting_who_is_told(occurrence, commit):
    occ = small(occurrence, 1)
    holder, first, second = UserFactory.create_batch(3)
    held = services.rsvp_member(fresh(occ), actor=holder)
    waiting_1 = services.rsvp_member(fresh(occ), actor=first)
    waiting_2 = services.rsvp_member(fresh(occ), actor=second)
    mail.outbox.clear()

    with commit():
        services.cancel_rsvp(held, actor=holder)

    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert waiting_1.state == RsvpState.CONFIRMED and waiting_1.position is None
    assert services.waitlist_rank(waiting_2) == 1
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert mail.outbox[0].subject.startswith("[Beacon] A place came free")
    occ = fresh(occ)
    assert (occ.confirmed_count, occ.waitlist_count) == (1, 1)


def test_nobody_jumps_the_queue_when_a_place_is_free_while_people_wait(occurrence):
    occ = small(occurrence, 1)
    a, b, c = UserFactory.create_batch(3)
    services.rsvp_member(fresh(occ), actor=a)
    waiting = services.rsvp_member(fresh(occ), actor=b)
    # A place appears without promotion having run (e.g. capacity raised by hand).
    Occurrence.objects.filter(pk=occ.pk).update(capacity=2)

    late = services.rsvp_member(fresh(occ), actor=c)

    assert late.state == RsvpState.WAITLISTED
    waiting.refresh_from_db()
    assert waiting.state == RsvpState.WAITLISTED  # promotion is the services' job, not ours


def test_the_database_refuses_more_places_than_capacity(occurrence):
    occ = small(occurrence, 2)

    with pytest.raises(IntegrityError):
        Occurrence.objects.filter(pk=occ.pk).update(confirmed_count=3)


def test_answering_twice_keeps_one_answer_and_updates_reminder_choices(occurrence, member):
    services.rsvp_member(occurrence, actor=member)

    again = services.rsvp_member(fresh(occurrence), actor=member, remind_hour_before=False)

    assert Rsvp.objects.filter(user=member).count() == 1
    assert again.remind_hour_before is False
    assert fresh(occurrence).confirmed_count == 1


def test_a_guest_holds_no_place_until_they_confirm_by_the_mailed_link(occurrence, commit):
    occ = small(occurrence, 1)

    with commit():
        guest = services.rsvp_guest(occ, email=" Sam@People.Example ", name="Sam")

    assert guest.state == RsvpState.PENDING_EMAIL and guest.email == "sam@people.example"
    assert fresh(occ).confirmed_count == 0
    token = re.search(r"/events/rsvp/([^/]+)/confirm/", mail.outbox[-1].body).group(1)
    assert read_rsvp_token(token, "confirm") == guest.code
    assert read_rsvp_token(token, "cancel") is None  # a confirm link cannot cancel

    assert services.confirm_guest(guest) == RsvpState.CONFIRMED
    assert services.confirm_guest(guest) == RsvpState.CONFIRMED  # twice: nothing changes
    assert fresh(occ).confirmed_count == 1


def test_a_guest_confirming_after_the_last_place_went_joins_the_waiting_list(occurrence, member):
    occ = small(occurrence, 1)
    guest = services.rsvp_guest(occ, email="sam@people.example")
    services.rsvp_member(fresh(occ), actor=member)

    assert services.confirm_guest(guest) == RsvpState.WAITLISTED


def mailed_minutes_ago(rsvp, minutes):
    Rsvp.objects.filter(pk=rsvp.pk).update(
        guest_mail_sent_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_the_same_guest_address_twice_gets_one_answer_and_a_reminder_mail(occurrence, commit):
    services.rsvp_guest(occurrence, email="sam@people.example")
    guest = Rsvp.objects.get()
    services.confirm_guest(guest)
    mailed_minutes_ago(guest, 11)
    mail.outbox.clear()

    with commit():
        services.rsvp_guest(fresh(occurrence), email="SAM@people.example")

    assert Rsvp.objects.count() == 1
    assert "You already have an answer there: place confirmed." in mail.outbox[0].body


def test_asking_again_as_a_guest_sends_no_new_mail_for_ten_minutes(occurrence, commit):
    with commit():
        first = services.rsvp_guest(occurrence, email="sam@people.example")
    with commit():
        again = services.rsvp_guest(fresh(occurrence), email="sam@people.example", name="Sam")
    assert again.pk == first.pk and again.state == RsvpState.PENDING_EMAIL
    assert [m.subject for m in mail.outbox] == [
        f"[Beacon] Confirm your place: {fresh(occurrence).series.title}"
    ]
    assert Rsvp.objects.get().name == "Sam"  # the answer itself is updated

    mailed_minutes_ago(first, 9)
    with commit():
        services.rsvp_guest(fresh(occurrence), email="sam@people.example")
    assert len(mail.outbox) == 1

    mailed_minutes_ago(first, 11)
    with commit():
        services.rsvp_guest(fresh(occurrence), email="sam@people.example")
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["sam@people.example"]


def test_the_mail_throttle_is_per_address_and_meeting(occurrence, commit):
    second = fresh(occurrence).series.occurrences.order_by("starts_at")[1]
    with commit():
        services.rsvp_guest(occurrence, email="sam@people.example")
        services.rsvp_guest(fresh(occurrence), email="kim@people.example")
        services.rsvp_guest(fresh(second), email="sam@people.example")

    assert sorted(m.to[0] for m in mail.outbox) == [
        "kim@people.example",
        "sam@people.example",
        "sam@people.example",
    ]


def test_a_cancelled_guest_can_ask_again(occurrence):
    guest = services.rsvp_guest(occurrence, email="sam@people.example")
    services.cancel_rsvp(guest)

    again = services.rsvp_guest(fresh(occurrence), email="sam@people.example")

    assert again.pk == guest.pk and again.state == RsvpState.PENDING_EMAIL


def test_cannot_answer_a_cancelled_or_started_meeting(occurrence, member, organiser):
    services.cancel_occurrence(occurrence, actor=organiser, reason="Snow")

    with pytest.raises(DomainError, match="cancelled"):
        services.rsvp_member(fresh(occurrence), actor=member)


def test_visitors_must_sign_in_or_give_an_email(occurrence):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionRefused):
        services.rsvp_member(occurrence, actor=AnonymousUser())
    with pytest.raises(DomainError, match="email"):
        services.rsvp_guest(occurrence, email="not an address")


def test_the_transition_table_refuses_anything_else(occurrence, member):
    answer = services.rsvp_member(occurrence, actor=member)

    with pytest.raises(InvalidTransition):
        services.set_rsvp_state(answer, RsvpState.PENDING_EMAIL, actor=member)


def test_cancelling_a_waitlisted_answer_frees_no_place(occurrence):
    occ = small(occurrence, 1)
    a, b = UserFactory.create_batch(2)
    services.rsvp_member(fresh(occ), actor=a)
    waiting = services.rsvp_member(fresh(occ), actor=b)

    services.cancel_rsvp(waiting, actor=b)

    occ = fresh(occ)
    assert (occ.confirmed_count, occ.waitlist_count) == (1, 0)


def test_the_still_coming_answer_keeps_the_place(occurrence, member):
    answer = services.rsvp_member(occurrence, actor=member)

    assert services.still_coming(answer) is True
    answer.refresh_from_db()
    assert answer.reconfirmed_at is not None

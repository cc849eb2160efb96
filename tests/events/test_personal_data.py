"""Personal data: a person's answers (as member and as guest with the same address), series
they created or facilitate, and their feed token are exported and erased; erasing frees
places for the waiting list. No events page shows an email address to anyone."""

import re

import pytest
from django.core import mail

from beacon.core.personal_data import ErasureMode, registry
from beacon.events import services
from beacon.events.enums import RsvpState
from beacon.events.models import CalendarToken, EventSeries, Occurrence, Rsvp
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_export_lists_member_and_guest_answers_and_series(series, organiser, member):
    occ = series.occurrences.order_by("starts_at").first()
    services.rsvp_member(occ, actor=member)
    later = series.occurrences.order_by("starts_at")[1]
    services.rsvp_guest(later, email=member.email.upper(), name="Mo")
    services.regenerate_calendar_token(actor=member)

    mine = registry.export_for(member)
    theirs = registry.export_for(organiser)

    assert [r["as_guest"] for r in mine["event_rsvps"]] == [False, True]
    assert mine["event_rsvps"][1]["name_given"] == "Mo"
    assert mine["event_calendar_feed"]["personal_calendar_feed"] == "on"
    assert theirs["event_series"][0]["created_by_you"] is True
    assert member.email not in str(theirs)


@pytest.mark.parametrize("mode", [ErasureMode.DELETE, ErasureMode.ANONYMISE])
def test_erasure_frees_places_deletes_answers_and_keeps_the_series(
    mode, series, organiser, member, commit
):
    occ = series.occurrences.order_by("starts_at").first()
    Occurrence.objects.filter(pk=occ.pk).update(capacity=1)
    services.rsvp_member(Occurrence.objects.get(pk=occ.pk), actor=member)
    waiting_person = UserFactory()
    waiting = services.rsvp_member(Occurrence.objects.get(pk=occ.pk), actor=waiting_person)
    services.regenerate_calendar_token(actor=member)

    member_pk = member.pk
    with commit():
        registry.erase_for(member, mode)
        registry.erase_for(organiser, mode)

    assert not Rsvp.objects.filter(user_id=member_pk).exists()
    assert not CalendarToken.objects.filter(user_id=member_pk).exists()
    waiting.refresh_from_db()
    assert waiting.state == RsvpState.CONFIRMED
    assert mail.outbox[-1].to == [waiting_person.email]
    assert EventSeries.objects.get(pk=series.pk).created_by is None
    occ.refresh_from_db()
    assert (occ.confirmed_count, occ.waitlist_count) == (1, 0)


@pytest.mark.parametrize("role", ["visitor", "attendee", "organiser", "moderator", "admin"])
def test_no_events_page_shows_an_email_address(
    role, series, organiser, member, moderator, admin_user, places
):
    occ = series.occurrences.order_by("starts_at").first()
    services.rsvp_member(occ, actor=member)
    services.rsvp_guest(occ, email="hidden.guest@people.example", name="Hidden Guest")
    services.confirm_guest(Rsvp.objects.get(email="hidden.guest@people.example"))
    viewer = {"attendee": member, "organiser": organiser, "moderator": moderator}.get(role)
    viewer = admin_user if role == "admin" else viewer
    from django.test import Client

    client = logged_in_client(viewer) if viewer else Client()
    services.regenerate_calendar_token(actor=member)
    token = CalendarToken.objects.get(user=member).token
    paths = [
        "/events/",
        "/events/near/?place=97201",
        "/events/mine/",
        f"/events/{occ.code}/",
        f"/events/{occ.code}/attendees/",
        f"/events/{occ.code}/calendar.ics",
        f"/events/series/{series.code}/",
        f"/events/series/{series.code}/calendar.ics",
        f"/events/manage/{series.initiative.code}/",
        f"/events/feeds/me/{token}.ics",
        f"/events/feeds/initiative/{series.initiative.code}.ics",
    ]
    address = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")

    for path in paths:
        body = client.get(path).content.decode()
        assert address.findall(body) == [], path

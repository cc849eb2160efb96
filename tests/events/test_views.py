"""The pages: event and series pages, answering as a member or guest, the emailed links,
organiser tools, "my events", "find support near me"; privacy of names and links."""

import json
import re

import pytest
from django.core import mail
from django.test import Client

from beacon.accounts.enums import Role
from beacon.core.errors import DomainError
from beacon.events import services
from beacon.events.enums import EventFormat, OccurrenceStatus, RsvpState
from beacon.events.models import EventSeries, Rsvp
from beacon.events.tokens import rsvp_token
from beacon.initiatives.enums import MemberRole
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory
from tests.factories.events import EventSeriesFactory
from tests.factories.initiatives import InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db

GUEST_NAME = "Sammy Guestperson"
MEMBER_NAME = "Attending Arlo"
SECRET_LINK = "https://meet.example/secret-room"


@pytest.fixture
def hybrid(initiative, organiser):
    return (
        EventSeriesFactory(
            initiative=initiative,
            format=EventFormat.HYBRID,
            online_url=SECRET_LINK,
            created_by=organiser,
        )
        .occurrences.order_by("starts_at")
        .first()
    )


@pytest.fixture
def people(initiative, organiser, facilitator, moderator, admin_user, hybrid):
    attendee = UserFactory(display_name=MEMBER_NAME)
    services.rsvp_member(hybrid, actor=attendee)
    services.rsvp_guest(hybrid, email="sammy@people.example", name=GUEST_NAME)
    services.confirm_guest(Rsvp.objects.get(email="sammy@people.example"))
    plain_member = UserFactory(display_name="Member Meg")
    MembershipFactory(initiative=initiative, user=plain_member, role=MemberRole.MEMBER)
    # The facilitator runs this series; another of the group's facilitators does not.
    EventSeries.objects.filter(pk=hybrid.series_id).update(facilitator=facilitator)
    other_facilitator = UserFactory(display_name="Facilitator Finn")
    MembershipFactory(initiative=initiative, user=other_facilitator, role=MemberRole.FACILITATOR)
    return {
        "visitor": None,
        "attendee": attendee,
        "member": plain_member,
        "organiser": organiser,
        "facilitator": facilitator,
        "other facilitator": other_facilitator,
        "moderator": moderator,
        "admin": admin_user,
    }


def client_for(user):
    return logged_in_client(user) if user else Client()


MATRIX = {
    # role: (sees names on the attendee list, may manage the series, sees the online link).
    # Site administrators may manage any initiative's events to help the group, but read
    # no names (rules.py): privacy of attendees is not an administrator's business.
    # Organisers and the series' facilitator (events.view_attendees) see the link without
    # a place: they run the meeting. The group's other facilitators see what members see:
    # names are for that event's organisers and facilitator only.
    "visitor": (False, False, False),
    "attendee": (False, False, True),
    "member": (False, False, False),
    "organiser": (True, True, True),
    "facilitator": (True, False, True),
    "other facilitator": (False, False, False),
    "moderator": (False, False, False),
    "admin": (False, True, False),
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_privacy_and_permission_matrix(role, people, hybrid):
    names, manages, link = MATRIX[role]
    client = client_for(people[role])
    series = hybrid.series

    page = client.get(f"/events/{hybrid.code}/").content.decode()
    attendees = client.get(f"/events/{hybrid.code}/attendees/")
    edit = client.get(f"/events/series/{series.code}/edit/")
    cancel = client.get(f"/events/{hybrid.code}/cancel/")
    manage = client.get(f"/events/manage/{series.initiative.code}/")

    # Everyone sees the count, never a name, on the public page.
    assert "2 of 12 places left" not in page and "10 of 12 places left" in page
    assert GUEST_NAME not in page and MEMBER_NAME not in page
    assert (SECRET_LINK in page) == link
    expected_denied = 302 if role == "visitor" else 403
    assert attendees.status_code == (200 if names else expected_denied)
    if names:
        body = attendees.content.decode()
        assert GUEST_NAME in body and MEMBER_NAME in body
        assert "sammy@people.example" not in body
    for response in (edit, cancel, manage):
        assert response.status_code == (200 if manages else expected_denied)


def test_a_guest_answers_confirms_by_the_emailed_link_and_cancels(hybrid, client, commit):
    with commit():
        response = client.post(
            f"/events/{hybrid.code}/rsvp/",
            {"name": "Kai", "email": "kai@people.example", "remind_day_before": "on"},
        )
    assert "Check your email" in response.content.decode()
    confirm = re.search(r"http://\S+/events/rsvp/\S+/confirm/", mail.outbox[-1].body).group(0)
    path = confirm.split("8000", 1)[1]

    shown = client.get(path)
    assert shown.status_code == 200 and "Confirm my place" in shown.content.decode()
    assert Rsvp.objects.get(email="kai@people.example").state == RsvpState.PENDING_EMAIL
    with commit():
        done = client.post(path)
    assert "You have a place" in done.content.decode()
    cancel = re.search(r"/events/rsvp/\S+/cancel/", mail.outbox[-1].body).group(0)
    assert SECRET_LINK in mail.outbox[-1].body  # the confirmed mail carries the link

    assert "Yes, cancel my answer" in client.get(cancel).content.decode()
    client.post(cancel)
    assert Rsvp.objects.get(email="kai@people.example").state == RsvpState.CANCELLED


def test_asking_twice_as_a_guest_shows_check_your_email_but_mails_once(hybrid, client, commit):
    answer = {"name": "Kai", "email": "kai@people.example"}
    with commit():
        first = client.post(f"/events/{hybrid.code}/rsvp/", answer)
    with commit():
        second = client.post(f"/events/{hybrid.code}/rsvp/", answer)

    assert "Check your email" in first.content.decode()
    assert "Check your email" in second.content.decode()
    assert [m.to for m in mail.outbox] == [["kai@people.example"]]


def test_guest_answers_are_limited_per_client_address(hybrid, commit):
    from beacon.events.throttling import GUEST_RSVPS_PER_IP_PER_HOUR

    busy, other = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.2")
    url = f"/events/{hybrid.code}/rsvp/"
    with commit():
        for n in range(GUEST_RSVPS_PER_IP_PER_HOUR):
            assert busy.post(url, {"email": f"person{n}@people.example"}).status_code == 200
    sent = len(mail.outbox)

    with commit():
        refused = busy.post(url, {"name": "Lou", "email": "lou@people.example"})
    with commit():
        elsewhere = other.post(url, {"email": "lou@people.example"})

    assert sent == GUEST_RSVPS_PER_IP_PER_HOUR
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Too many requests for places" in body and 'value="lou@people.example"' in body
    assert elsewhere.status_code == 200 and "Check your email" in elsewhere.content.decode()
    assert [m.to for m in mail.outbox[sent:]] == [["lou@people.example"]]


def test_bad_guest_input_keeps_what_was_typed(hybrid, client):
    response = client.post(f"/events/{hybrid.code}/rsvp/", {"name": "Kai", "email": "kai@"})

    body = response.content.decode()
    assert response.status_code == 200  # the form again, with its errors
    assert 'value="Kai"' in body and 'value="kai@"' in body
    assert "Enter a valid email address." in body


def test_a_guest_name_that_is_an_email_address_is_refused_and_kept(hybrid, client):
    """Organisers read guests' names; an address typed as a name would reach them."""
    typed = {"name": "kai@people.example", "email": "kai@people.example"}
    response = client.post(f"/events/{hybrid.code}/rsvp/", typed)

    body = response.content.decode()
    assert response.status_code == 200
    assert "not an email address" in body
    assert body.count('value="kai@people.example"') == 2  # nothing typed is lost
    assert not Rsvp.objects.filter(email="kai@people.example").exists()
    with pytest.raises(DomainError, match="not an email address"):
        services.rsvp_guest(hybrid, email="kai@people.example", name="kai@people.example")


def test_forged_or_expired_links_say_so(client):
    assert client.get("/events/rsvp/not-a-token/cancel/").status_code == 404
    assert client.get(f"/events/rsvp/{rsvp_token('nope', 'confirm')}/cancel/").status_code == 404


def test_a_member_answers_sees_their_place_and_cancels(hybrid, member):
    client = logged_in_client(member)

    client.post(f"/events/{hybrid.code}/rsvp/", {"remind_day_before": "on"})
    page = client.get(f"/events/{hybrid.code}/").content.decode()
    mine = client.get("/events/mine/").content.decode()
    client.post(f"/events/{hybrid.code}/cancel-my-answer/")

    assert "You have a place." in page and SECRET_LINK in page
    assert hybrid.series.title in mine
    assert Rsvp.objects.get(user=member).state == RsvpState.CANCELLED


def test_waitlisted_members_see_their_position(occurrence, member, other_member):
    from beacon.events.models import Occurrence

    Occurrence.objects.filter(pk=occurrence.pk).update(capacity=1)
    services.rsvp_member(Occurrence.objects.get(pk=occurrence.pk), actor=other_member)
    client = logged_in_client(member)

    client.post(f"/events/{occurrence.code}/rsvp/", {})
    page = client.get(f"/events/{occurrence.code}/").content.decode()

    assert "You are number 1 on the waiting list." in page
    assert "Full" in page


def test_event_page_has_json_ld_and_no_other_inline_script(hybrid, client):
    html = client.get(f"/events/{hybrid.code}/").content.decode()

    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert inline == ['<script type="application/ld+json">']
    data = json.loads(blocks[0])
    assert data["@type"] == "Event" and data["name"] == hybrid.series.title
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["startDate"] == hybrid.local_start.isoformat()
    assert SECRET_LINK not in blocks[0]
    assert " style=" not in html and re.findall(r"\bon[a-z]+=", html) == []


def test_json_ld_cannot_be_closed_by_a_title(initiative, client):
    series = EventSeriesFactory(initiative=initiative, title="</script><b>x</b> & more")

    html = client.get(f"/events/{series.occurrences.first().code}/").content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and json.loads(block)["name"] == "</script><b>x</b> & more"


def test_hidden_or_unlisted_initiatives_events_are_not_found(client):
    hidden = EventSeriesFactory(initiative=InitiativeFactory(status="pending_review"))
    occ = hidden.occurrences.first()

    assert client.get(f"/events/{occ.code}/").status_code == 404
    assert client.get(f"/events/series/{hidden.code}/").status_code == 404
    assert client.get(f"/events/{occ.code}/calendar.ics").status_code == 404


def test_an_organiser_plans_a_series_through_the_form(initiative, organiser, places):
    client = logged_in_client(organiser)

    response = client.post(
        f"/events/manage/{initiative.code}/new/",
        {
            "title": "Saturday walk and talk",
            "kind": "social",
            "description": "A gentle walk.",
            "format": "in_person",
            "place_name": "Laurelhurst Park",
            "locate": "97214",
            "time_zone": "America/Los_Angeles",
            "start_date": "2030-06-01",
            "start_time": "10:00",
            "duration_minutes": "60",
            "recurrence": "monthly_nth",
            "count": "3",
            "audience": "",
        },
    )

    series = EventSeries.objects.get(title="Saturday walk and talk")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert series.latitude == pytest.approx(45.5, abs=0.2)
    assert series.schedule_text == "Every month on the 1st Saturday, 3 times at 10:00 AM"


def test_the_form_shows_service_problems_and_keeps_the_text(initiative, organiser):
    client = logged_in_client(organiser)

    response = client.post(
        f"/events/manage/{initiative.code}/new/",
        {
            "title": "Kept title",
            "kind": "workshop",
            "description": "Kept words",
            "format": "online",
            "time_zone": "America/Chicago",
            "start_date": "2030-01-29",
            "start_time": "18:00",
            "duration_minutes": "60",
            "recurrence": "monthly_nth",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200  # the form again, with its errors
    assert "Give the link people use to join online." in body
    assert "Not every month has a 5th Tuesday" in body
    assert 'value="Kept title"' in body and "Kept words" in body


def test_attendance_is_marked_from_the_list(hybrid, people, organiser):
    from datetime import timedelta

    from django.utils import timezone

    from beacon.events.models import Occurrence

    past = timezone.now() - timedelta(hours=3)
    Occurrence.objects.filter(pk=hybrid.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=1)
    )
    came = Rsvp.objects.get(user=people["attendee"]).code

    logged_in_client(organiser).post(f"/events/{hybrid.code}/attendees/", {"came": [came]})

    assert Rsvp.objects.get(code=came).state == RsvpState.ATTENDED
    assert Rsvp.objects.get(email="sammy@people.example").state == RsvpState.NO_SHOW


def test_cancel_and_change_through_the_organiser_pages(hybrid, organiser):
    client = logged_in_client(organiser)
    local = hybrid.local_start

    client.post(
        f"/events/{hybrid.code}/change/",
        {
            "day": local.date().isoformat(),
            "start_time": "17:15",
            "duration_minutes": "45",
            "place_name": hybrid.place_name,
            "address": hybrid.address,
            "note": "Earlier this week",
        },
    )
    client.post(f"/events/{hybrid.code}/cancel/", {"reason": "Storm warning"})

    hybrid.refresh_from_db()
    assert hybrid.local_start.strftime("%H:%M") == "17:15" and hybrid.time_changed
    assert hybrid.status == OccurrenceStatus.CANCELLED
    assert "Storm warning" in Client().get(f"/events/{hybrid.code}/").content.decode()


def test_near_search_finds_events_by_zip_sorted_by_distance_then_online(initiative, places):
    near = EventSeriesFactory(
        initiative=initiative, title="Close by", latitude=45.52, longitude=-122.68
    )
    far = EventSeriesFactory(
        initiative=initiative, title="Salem group", latitude=44.94, longitude=-123.03
    )
    online = EventSeriesFactory(
        initiative=initiative, title="Online circle", format="online", online_url=SECRET_LINK
    )

    body = Client().get("/events/near/", {"place": "97201", "radius": "25"}).content.decode()
    wide = Client().get("/events/near/", {"place": "97201", "radius": "100"}).content.decode()
    only_online = Client().get("/events/near/", {"place": "97201", "mode": "online"}).content

    assert near.title in body and online.title in body and far.title not in body
    assert body.index(near.title) < body.index(online.title)
    assert wide.index(near.title) < wide.index(far.title) < wide.index(online.title)
    assert near.title not in only_online.decode() and online.title in only_online.decode()
    assert SECRET_LINK not in body


def test_near_search_explains_an_unknown_place_and_keeps_it(places):
    response = Client().get("/events/near/", {"place": "Atlantisville"})

    assert response.status_code == 200  # the form again, with its errors
    body = response.content.decode()
    assert "We could not find that place" in body and 'value="Atlantisville"' in body


def test_pages_render_for_visitors(series, occurrence, places):
    for path in (
        "/events/",
        "/events/near/",
        f"/events/series/{series.code}/",
        f"/events/{occurrence.code}/",
    ):
        assert Client().get(path).status_code == 200, path


def test_my_events_needs_sign_in(client):
    assert client.get("/events/mine/").status_code == 302


def test_moderators_see_only_counts_too(people, hybrid):
    page = logged_in_client(people["moderator"]).get(f"/events/{hybrid.code}/").content.decode()

    assert GUEST_NAME not in page and "Who answered" not in page
    assert people["moderator"].role == Role.MODERATOR


def test_a_crisis_reading_shows_the_organiser_help_at_once(initiative, organiser, crisis_lines):
    client = logged_in_client(organiser)

    response = client.post(
        f"/events/manage/{initiative.code}/new/",
        {
            "title": "Evening circle",
            "kind": "support_group",
            "description": "Honestly I want to end my life and I have a plan for tonight.",
            "format": "in_person",
            "place_name": "Library",
            "time_zone": "America/Los_Angeles",
            "start_date": "2030-06-04",
            "start_time": "19:00",
            "duration_minutes": "90",
            "recurrence": "weekly",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "support is here right now" in body and 'class="card crisis-panel' in body


def test_the_online_link_appears_only_once_a_place_is_confirmed(
    initiative, organiser, member, other_member, commit
):
    """Waiting, or a guest who has not clicked the emailed link yet: no link on the page, in
    the calendar or in the personal feed. Promoted to a place: the link everywhere, and in
    the promotion mail."""
    from beacon.events.models import Occurrence

    occurrence = (
        EventSeriesFactory(
            initiative=initiative, format=EventFormat.ONLINE, online_url=SECRET_LINK, capacity=1
        )
        .occurrences.order_by("starts_at")
        .first()
    )
    holder = services.rsvp_member(occurrence, actor=other_member)
    services.rsvp_member(Occurrence.objects.get(pk=occurrence.pk), actor=member)
    with commit():
        services.rsvp_guest(
            Occurrence.objects.get(pk=occurrence.pk), email="pending@people.example"
        )
    client = logged_in_client(member)
    token = services.regenerate_calendar_token(actor=member)

    def everywhere() -> list[bool]:
        return [
            SECRET_LINK in client.get(f"/events/{occurrence.code}/").content.decode(),
            SECRET_LINK in client.get(f"/events/{occurrence.code}/calendar.ics").content.decode(),
            SECRET_LINK in Client().get(f"/events/feeds/me/{token}.ics").content.decode(),
        ]

    assert everywhere() == [False, False, False]  # waiting
    assert SECRET_LINK not in mail.outbox[-1].body  # the guest's confirmation mail
    with commit():
        services.cancel_rsvp(holder, actor=other_member)  # a place frees: promoted
    assert everywhere() == [True, True, True]
    assert SECRET_LINK in mail.outbox[-1].body and mail.outbox[-1].to == [member.email]

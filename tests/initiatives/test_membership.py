"""Joining, approving, roles, removing and leaving; the last organiser stays."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from beacon.core.errors import DomainError, PermissionRefused
from beacon.events.enums import Recurrence
from beacon.initiatives import services
from beacon.initiatives.enums import InitiativeStatus, MemberRole, MembershipState
from beacon.initiatives.models import Membership
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory
from tests.factories.events import EventSeriesFactory
from tests.factories.initiatives import (
    InitiativeFactory,
    MembershipFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db


def test_join_request_then_organiser_approves(crew, django_capture_on_commit_callbacks, mailoutbox):
    initiative, member, organiser = crew["initiative"], crew["member"], crew["organiser"]

    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_membership(initiative, actor=member, message="Hi!")

    assert request.state == MembershipState.REQUESTED
    assert [m.to for m in mailoutbox] == [[organiser.email]]
    assert member.email not in mailoutbox[0].body
    services.decide_membership(request, actor=organiser, approve=True)
    request.refresh_from_db()
    assert (request.state, request.role) == (MembershipState.ACTIVE, MemberRole.MEMBER)


def test_declined_request_cannot_be_repeated(crew):
    initiative, member = crew["initiative"], crew["member"]
    request = services.request_membership(initiative, actor=member)
    services.decide_membership(request, actor=crew["organiser"], approve=False)
    with pytest.raises(DomainError, match="declined"):
        services.request_membership(initiative, actor=member)


def test_duplicate_requests_are_refused(crew):
    services.request_membership(crew["initiative"], actor=crew["member"])
    with pytest.raises(DomainError, match="waiting"):
        services.request_membership(crew["initiative"], actor=crew["member"])
    with pytest.raises(DomainError, match="already a member"):
        services.request_membership(crew["initiative"], actor=crew["organiser"])


def test_only_listed_initiatives_take_requests(member):
    initiative = InitiativeFactory(status=InitiativeStatus.PENDING)
    with pytest.raises(DomainError):
        services.request_membership(initiative, actor=member)


def test_non_organisers_cannot_answer_requests(crew):
    request = services.request_membership(crew["initiative"], actor=crew["member"])
    with pytest.raises(PermissionRefused):
        services.decide_membership(request, actor=crew["facilitator"], approve=True)


def test_left_member_can_ask_again(crew):
    membership = MembershipFactory(initiative=crew["initiative"], user=crew["member"])
    services.leave_initiative(crew["initiative"], actor=crew["member"])
    membership.refresh_from_db()
    assert membership.state == MembershipState.LEFT
    services.request_membership(crew["initiative"], actor=crew["member"])
    membership.refresh_from_db()
    assert membership.state == MembershipState.REQUESTED


def test_facilitator_role_needs_current_training(crew):
    initiative, organiser = crew["initiative"], crew["organiser"]
    membership = MembershipFactory(initiative=initiative, user=crew["member"])

    with pytest.raises(DomainError, match="no current facilitator training") as refused:
        services.set_member_role(membership, MemberRole.FACILITATOR, actor=organiser)
    assert refused.value.code == "training_required"

    TrainingRecordFactory(
        user=crew["member"],
        completed_on=datetime.date(2024, 1, 1),
        expires_on=datetime.date(2025, 1, 1),
    )
    with pytest.raises(DomainError):  # expired does not count
        services.set_member_role(membership, MemberRole.FACILITATOR, actor=organiser)

    TrainingRecordFactory(user=crew["member"], expires_on=None)
    services.set_member_role(membership, MemberRole.FACILITATOR, actor=organiser)
    membership.refresh_from_db()
    assert membership.role == MemberRole.FACILITATOR


def test_last_organiser_cannot_leave_be_removed_or_demoted(crew):
    initiative, organiser = crew["initiative"], crew["organiser"]
    own = Membership.objects.get(initiative=initiative, user=organiser)

    with pytest.raises(DomainError, match="only organiser"):
        services.leave_initiative(initiative, actor=organiser)
    with pytest.raises(DomainError, match="at least one organiser"):
        services.remove_member(own, actor=organiser)
    with pytest.raises(DomainError, match="at least one organiser"):
        services.set_member_role(own, MemberRole.MEMBER, actor=organiser)

    second = MembershipFactory(initiative=initiative, role=MemberRole.ORGANISER)
    services.leave_initiative(initiative, actor=organiser)
    own.refresh_from_db()
    assert own.state == MembershipState.LEFT
    with pytest.raises(DomainError, match="only organiser"):
        services.leave_initiative(initiative, actor=second.user)


def test_organiser_removes_a_member(crew):
    membership = Membership.objects.get(user=crew["facilitator"])
    services.remove_member(membership, actor=crew["organiser"])
    membership.refresh_from_db()
    assert membership.state == MembershipState.LEFT


def test_members_cannot_change_roles(crew):
    membership = MembershipFactory(initiative=crew["initiative"], user=crew["member"])
    with pytest.raises(PermissionRefused):
        services.set_member_role(membership, MemberRole.ORGANISER, actor=crew["member"])
    with pytest.raises(PermissionRefused):
        services.remove_member(membership, actor=crew["facilitator"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_organisers_leaving_at_once_leave_one_behind():
    """Both organisers press "leave" at the same moment: one of them must stay."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs real row locks")
    initiative = InitiativeFactory()
    a = MembershipFactory(initiative=initiative, role=MemberRole.ORGANISER)
    b = MembershipFactory(initiative=initiative, role=MemberRole.ORGANISER)
    barrier = threading.Barrier(2)
    errors = []

    def leave(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.leave_initiative(initiative, actor=user)
        except DomainError as error:
            errors.append(error.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=leave, args=(m.user,)) for m in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == ["last_organiser"]
    assert (
        Membership.objects.filter(
            initiative=initiative, role=MemberRole.ORGANISER, state=MembershipState.ACTIVE
        ).count()
        == 1
    )


# --- Through the pages --------------------------------------------------------------------


def test_detail_page_shows_everything_a_visitor_needs(client, crew):
    initiative = crew["initiative"]
    initiative.partners = "Multnomah County Library"
    initiative.contact_phone = "503-555-0100"
    initiative.save()

    html = client.get(f"/initiatives/{initiative.code}/").content.decode()

    for text in (
        initiative.mission,
        "North and Northeast Portland",
        "Urban",
        "Adults",
        "Peer support groups",
        "Multnomah County Library",
        "503-555-0100",
        "Organiser Ola",
        "Sign in to join",
    ):
        assert text in html, text
    assert "Facilitator Fay" not in html  # only organisers are named
    assert crew["organiser"].email not in html


def test_join_and_approve_through_the_pages(crew):
    initiative = crew["initiative"]
    member_client = logged_in_client(crew["member"])
    organiser_client = logged_in_client(crew["organiser"])

    member_client.post(f"/initiatives/{initiative.code}/join/", {"message": "Hello there"})
    members_page = organiser_client.get(f"/initiatives/{initiative.code}/members/").content
    assert b"Member Max" in members_page and b"Hello there" in members_page
    organiser_client.post(
        f"/initiatives/{initiative.code}/members/{crew['member'].code}/decide/",
        {"decision": "approve"},
    )

    assert Membership.objects.get(user=crew["member"]).state == MembershipState.ACTIVE
    page = member_client.get(f"/initiatives/{initiative.code}/").content.decode()
    assert "You are a member" in page


def test_refused_facilitator_role_shows_the_reason(crew):
    initiative = crew["initiative"]
    MembershipFactory(initiative=initiative, user=crew["member"])
    client = logged_in_client(crew["organiser"])

    response = client.post(
        f"/initiatives/{initiative.code}/members/{crew['member'].code}/role/",
        {"role": "facilitator"},
        follow=True,
    )

    assert "no current facilitator training record" in response.content.decode()
    assert Membership.objects.get(user=crew["member"]).role == MemberRole.MEMBER


@pytest.mark.parametrize("events_app", [True, False])
def test_upcoming_events_hook_renders_nothing_without_events(client, crew, events_app, monkeypatch):
    import sys

    if not events_app:
        monkeypatch.setitem(sys.modules, "beacon.events.queries", None)  # import fails
    html = client.get(f"/initiatives/{crew['initiative'].code}/").content.decode()
    assert "Upcoming events" not in html


def _next_dst_change(zone: ZoneInfo, after: datetime.date) -> datetime.date:
    """The first local date after `after` whose UTC offset differs from the day before."""
    day = after
    while True:
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=zone)
        following = noon + datetime.timedelta(days=1)
        if noon.utcoffset() != following.utcoffset():
            return day + datetime.timedelta(days=1)
        day += datetime.timedelta(days=1)


def test_upcoming_events_show_local_time_across_a_dst_change(client, crew):
    """The initiative page lists its next meetings with the events app's `when_text`: the
    wall-clock time in the event's own zone, the same on both sides of a DST change (the
    UTC instant moves), never the server's zone (UTC in tests)."""
    zone = ZoneInfo("America/Los_Angeles")
    change = _next_dst_change(zone, timezone.localdate() + datetime.timedelta(days=15))
    EventSeriesFactory(
        initiative=crew["initiative"],
        title="Circle across the clock change",
        start_date=change - datetime.timedelta(days=14),
        start_time=datetime.time(19, 0),
        recurrence=Recurrence.WEEKLY,
        count=5,
    )

    html = client.get(f"/initiatives/{crew['initiative'].code}/").content.decode()

    section = html[html.index('id="events-heading"') :]
    shown = re.findall(r"<time [^>]*>([^<]*)</time>", section)
    assert section.count("Circle across the clock change") == 5
    assert len(shown) == 5
    assert all("7:00 PM – 8:30 PM" in text for text in shown), shown  # not the UTC clock
    zones = {text.rsplit(" ", 1)[1] for text in shown}
    assert zones == {"PST", "PDT"}  # meetings on both sides of the change


def test_other_people_never_see_requests(crew):
    services.request_membership(crew["initiative"], actor=crew["member"], message="Secret")
    nosy = logged_in_client(UserFactory())
    response = nosy.get(f"/initiatives/{crew['initiative'].code}/members/")
    assert response.status_code == 403

"""What site moderators and administrators may do on initiatives they do not belong to.

Moderators review: they see every initiative, put any of them in the queue, hide a listed
one at once while it is reviewed, and decide it there; they do not organise it.
Administrators may also do everything an organiser does, to help a group; each act is
audited under their own name. Nobody outside the group reads attendee names (events).
"""

import datetime

import pytest
from django.test import Client

from beacon.core.audit import AuditEntry
from beacon.core.errors import PermissionRefused
from beacon.events.models import EventSeries
from beacon.initiatives import services
from beacon.initiatives.enums import InitiativeStatus, MemberRole, MembershipState
from beacon.initiatives.models import Initiative, Membership, TrainingRecord
from beacon.moderation.enums import CaseState, Lane
from beacon.moderation.models import Case
from beacon.moderation.services import decide
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_a_moderator_hides_a_listed_initiative_at_once_and_decides_in_the_queue(crew):
    initiative, moderator = crew["initiative"], crew["moderator"]
    client = logged_in_client(moderator)

    response = client.post(f"/initiatives/{initiative.code}/moderate/", {"action": "hide"})

    case = Case.objects.get(object_id=str(initiative.pk), state=CaseState.OPEN)
    assert response.status_code == 302 and response["Location"] == f"/moderation/case/{case.code}/"
    assert case.lane == Lane.REVIEW
    initiative.refresh_from_db()
    assert initiative.is_hidden and initiative.status == InitiativeStatus.LISTED
    visitor = Client()
    assert visitor.get(f"/initiatives/{initiative.code}/").status_code == 404
    assert initiative.name not in visitor.get("/initiatives/").content.decode()
    organiser_page = logged_in_client(crew["organiser"]).get(f"/initiatives/{initiative.code}/")
    assert organiser_page.status_code == 200  # its members still see it, with the reason
    assert AuditEntry.objects.filter(
        action="initiatives.initiative.sent_to_review", actor=moderator
    ).exists()

    decide(case, action="keep", actor=moderator)

    initiative.refresh_from_db()
    assert not initiative.is_hidden
    assert visitor.get(f"/initiatives/{initiative.code}/").status_code == 200


def test_a_moderator_removes_an_initiative_after_review(crew):
    initiative, moderator = crew["initiative"], crew["moderator"]
    case = services.send_to_review(initiative, actor=moderator)
    initiative.refresh_from_db()
    assert not initiative.is_hidden  # "review" alone keeps it listed meanwhile

    decide(case, action="remove", actor=moderator, message="Not a peer-support group.")

    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ARCHIVED
    assert initiative.moderator_message == "Not a peer-support group."


def test_the_moderation_box_shows_only_to_moderators(crew):
    path = f"/initiatives/{crew['initiative'].code}/"
    for role in ("visitor", "member", "organiser", "facilitator"):
        client = Client() if crew[role] is None else logged_in_client(crew[role])
        assert "Hide now and review" not in client.get(path).content.decode(), role
    for role in ("moderator", "admin"):
        assert "Hide now and review" in logged_in_client(crew[role]).get(path).content.decode()


@pytest.mark.parametrize("role", ["member", "organiser", "facilitator"])
def test_only_moderators_send_initiatives_to_review(crew, role):
    with pytest.raises(PermissionRefused):
        services.send_to_review(crew["initiative"], actor=crew[role], hide=True)
    assert not Initiative.objects.get(pk=crew["initiative"].pk).is_hidden


def test_moderators_do_not_organise(crew, fields):
    with pytest.raises(PermissionRefused):
        services.update_initiative(crew["initiative"], actor=crew["moderator"], fields=fields)
    with pytest.raises(PermissionRefused):
        services.archive_initiative(crew["initiative"], actor=crew["moderator"])


def test_an_administrator_helps_a_group_and_every_act_is_in_their_name(crew, fields):
    initiative, admin = crew["initiative"], crew["admin"]
    newcomer = UserFactory(display_name="Newcomer Nia")
    request = services.request_membership(initiative, actor=newcomer, message="Hello")
    client = logged_in_client(admin)

    services.update_initiative(initiative, actor=admin, fields=fields | {"partners": "Library"})
    services.decide_membership(request, actor=admin, approve=True)
    services.record_training(
        initiative,
        actor=admin,
        user=newcomer,
        kind="facilitator",
        completed_on=datetime.date.today() - datetime.timedelta(days=3),
    )
    response = client.post(
        f"/initiatives/{initiative.code}/members/{newcomer.code}/role/", {"role": "facilitator"}
    )
    events_page = client.get(f"/events/manage/{initiative.code}/")

    assert response.status_code == 302
    assert Membership.objects.get(initiative=initiative, user=newcomer).role == (
        MemberRole.FACILITATOR
    )
    assert Membership.objects.get(initiative=initiative, user=newcomer).state == (
        MembershipState.ACTIVE
    )
    assert TrainingRecord.objects.get(user=newcomer).recorded_by == admin
    assert events_page.status_code == 200
    assert "recorded under your name" in events_page.content.decode()
    actions = set(AuditEntry.objects.filter(actor=admin).values_list("action", flat=True))
    assert {
        "initiatives.initiative.edited",
        "initiatives.membership.active",
        "initiatives.training.recorded",
    } <= actions
    # The administrator did not become a member: helping is not joining.
    assert not Membership.objects.filter(initiative=initiative, user=admin).exists()


def test_an_administrator_plans_an_event_for_the_group(crew, places):
    initiative, admin = crew["initiative"], crew["admin"]
    client = logged_in_client(admin)
    start = datetime.date.today() + datetime.timedelta(days=9)

    response = client.post(
        f"/events/manage/{initiative.code}/new/",
        {
            "title": "Open evening",
            "description": "Come and meet us.",
            "kind": "awareness",
            "format": "in_person",
            "place_name": "Central Library",
            "locate": "97214",
            "time_zone": "America/Los_Angeles",
            "start_date": start.isoformat(),
            "start_time": "18:00",
            "duration_minutes": "60",
            "recurrence": "none",
            "audience": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    series = EventSeries.objects.get(initiative=initiative, title="Open evening")
    assert series.created_by == admin
    # ... and still reads no attendee names.
    occurrence = series.occurrences.get()
    assert client.get(f"/events/{occurrence.code}/attendees/").status_code == 403

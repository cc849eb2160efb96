"""The permission matrix: every view, for every kind of person (visitor, member,
organiser, facilitator, moderator, admin), on a listed and on a pending initiative; and
the rules agree with their queryset twins.

Policy (rules.py): moderators see every initiative, send any to review or hide it, and read
the impact dashboard, but do not organise it; site administrators may also do all
organiser work, to help a group."""

import pytest
import rules
from django.test import Client

from beacon.initiatives.enums import InitiativeStatus, MemberRole
from beacon.initiatives.models import Initiative
from beacon.initiatives.queries import initiatives_visible_to
from tests.conftest import logged_in_client
from tests.factories.initiatives import (
    InitiativeFactory,
    MembershipFactory,
    TrainingRecordFactory,
    VolunteerApplicationFactory,
    VolunteerRoleFactory,
    VolunteerShiftFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "organiser", "facilitator", "moderator", "admin"]
LOGIN = "login"  # redirected to the sign-in page


def expect(visitor, member, organiser, facilitator, moderator, admin):
    return dict(
        zip(ROLES, (visitor, member, organiser, facilitator, moderator, admin), strict=True)
    )


EVERYONE = expect(200, 200, 200, 200, 200, 200)
SIGNED_IN = expect(LOGIN, 200, 200, 200, 200, 200)
ORGANISER_GET = expect(LOGIN, 403, 200, 403, 403, 200)
ORGANISER_POST = expect(LOGIN, 403, 302, 403, 403, 302)
ACTIVE_MEMBERS = expect(LOGIN, 403, 200, 200, 403, 200)
MODERATORS_POST = expect(LOGIN, 403, 403, 403, 302, 302)

# (path, method, expected); {code}: the listed initiative, {pending}: a pending one,
# {role}: a volunteer role code, {app}: an offer's id, {user}: the member's user code.
MATRIX = [
    ("/initiatives/", "get", EVERYONE),
    ("/initiatives/?near=97214&audience=adults&page=2", "get", EVERYONE),
    ("/initiatives/new/", "get", SIGNED_IN),
    ("/initiatives/mine/", "get", SIGNED_IN),
    ("/initiatives/{code}/", "get", EVERYONE),
    ("/initiatives/{pending}/", "get", expect(404, 404, 200, 200, 200, 200)),
    ("/initiatives/{code}/edit/", "get", ORGANISER_GET),
    ("/initiatives/{pending}/edit/", "get", expect(LOGIN, 404, 200, 403, 403, 200)),
    ("/initiatives/{code}/join/", "get", SIGNED_IN),
    ("/initiatives/{code}/report/", "get", SIGNED_IN),
    ("/initiatives/{pending}/report/", "get", expect(LOGIN, 404, 403, 403, 403, 403)),
    ("/initiatives/{code}/members/", "get", ORGANISER_GET),
    ("/initiatives/{code}/training/", "get", ORGANISER_GET),
    ("/initiatives/{code}/volunteers/", "get", ORGANISER_GET),
    ("/initiatives/{code}/volunteers/{role}/edit/", "get", ORGANISER_GET),
    ("/initiatives/{code}/volunteers/{role}/apply/", "get", SIGNED_IN),
    ("/initiatives/{code}/hours/", "get", ACTIVE_MEMBERS),
    ("/initiatives/{code}/impact/", "get", expect(LOGIN, 403, 200, 403, 200, 200)),
    ("/initiatives/{code}/impact.csv", "get", expect(LOGIN, 403, 200, 403, 200, 200)),
    ("/initiatives/{code}/members/{user}/decide/", "post", ORGANISER_POST),
    ("/initiatives/{code}/members/{user}/role/", "post", ORGANISER_POST),
    ("/initiatives/{code}/members/{user}/remove/", "post", ORGANISER_POST),
    ("/initiatives/{code}/offers/{app}/decide/", "post", ORGANISER_POST),
    ("/initiatives/{pending}/moderate/", "post", expect(LOGIN, 404, 403, 403, 302, 302)),
    ("/initiatives/{code}/moderate/", "post", MODERATORS_POST),
    ("/initiatives/{code}/archive/", "post", ORGANISER_POST),
    ("/initiatives/{code}/reopen/", "post", ORGANISER_POST),
    ("/initiatives/{code}/leave/", "post", expect(LOGIN, 302, 302, 302, 302, 302)),
]


@pytest.fixture
def world(crew):
    initiative = crew["initiative"]
    pending = InitiativeFactory(status=InitiativeStatus.PENDING, created_by=crew["organiser"])
    MembershipFactory(initiative=pending, user=crew["organiser"], role=MemberRole.ORGANISER)
    MembershipFactory(initiative=pending, user=crew["facilitator"], role=MemberRole.FACILITATOR)
    target = MembershipFactory(initiative=initiative, role=MemberRole.MEMBER)
    role = VolunteerRoleFactory(initiative=initiative)
    application = VolunteerApplicationFactory(role=role)
    TrainingRecordFactory(user=target.user, initiative=initiative)
    VolunteerShiftFactory(initiative=initiative, user=crew["facilitator"])
    return crew | {
        "values": {
            "code": initiative.code,
            "pending": pending.code,
            "role": role.code,
            "app": application.pk,
            "user": target.user.code,
        }
    }


def client_for(world, role) -> Client:
    return Client() if world[role] is None else logged_in_client(world[role])


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    client = client_for(world, role)
    failures = []
    for template, method, expected in MATRIX:
        path = template.format(**world["values"])
        response = getattr(client, method)(path, {"role": "member"} if method == "post" else {})
        want = expected[role]
        if want == LOGIN:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            ok = response.status_code == want
        if not ok:
            failures.append((method, path, want, response.status_code))
    assert failures == []


def test_no_initiative_page_shows_an_email_address(world):
    """Organisers see members' names on management pages, never their addresses."""
    emails = [u.email for u in world.values() if hasattr(u, "email")]
    for role in ROLES:
        client = client_for(world, role)
        for template, method, _ in MATRIX:
            if method != "get" or template.endswith(".csv"):
                continue
            body = client.get(template.format(**world["values"])).content.decode()
            assert not [e for e in emails if e in body], (role, template)


@pytest.mark.parametrize("role", ROLES)
def test_view_rule_agrees_with_its_queryset_twin(world, role):
    user = world[role]
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    for initiative in Initiative.objects.all():
        allowed = rules.has_perm("initiatives.view_initiative", user, initiative)
        listed = initiatives_visible_to(user).filter(pk=initiative.pk).exists()
        assert allowed == listed, (role, initiative.status)

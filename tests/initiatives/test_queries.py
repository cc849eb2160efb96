"""The membership and training contract other apps rely on (role_of, can_facilitate …)."""

import datetime

import pytest

from beacon.initiatives import queries
from beacon.initiatives.enums import MemberRole, MembershipState, TrainingKind
from beacon.initiatives.services import has_current_training
from tests.factories.initiatives import (
    InitiativeFactory,
    MembershipFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


def test_role_of_is_the_active_membership_role(member):
    initiative = InitiativeFactory()
    assert queries.role_of(member, initiative) is None
    m = MembershipFactory(initiative=initiative, user=member, role=MemberRole.VOLUNTEER)
    assert queries.role_of(member, initiative) == "volunteer"
    m.state = MembershipState.REQUESTED
    m.save()
    assert queries.role_of(member, initiative) is None


def test_role_of_for_anonymous_visitor():
    from django.contrib.auth.models import AnonymousUser

    initiative = InitiativeFactory()
    assert queries.role_of(AnonymousUser(), initiative) is None
    assert queries.is_organiser(AnonymousUser(), initiative) is False
    assert queries.organises_any(AnonymousUser()) is False
    assert queries.can_facilitate(AnonymousUser(), initiative, TODAY) is False


def test_is_organiser_and_organises_any(member, other_member):
    initiative = InitiativeFactory()
    MembershipFactory(initiative=initiative, user=member, role=MemberRole.ORGANISER)
    MembershipFactory(initiative=initiative, user=other_member, role=MemberRole.FACILITATOR)
    assert queries.is_organiser(member, initiative)
    assert not queries.is_organiser(other_member, initiative)
    assert queries.organises_any(member)
    assert not queries.organises_any(other_member)


def test_organises_any_ignores_left_memberships(member):
    MembershipFactory(user=member, role=MemberRole.ORGANISER, state=MembershipState.LEFT)
    assert not queries.organises_any(member)


@pytest.mark.parametrize(
    ("completed", "expires", "expected"),
    [
        (datetime.date(2025, 1, 1), None, True),
        (datetime.date(2025, 1, 1), datetime.date(2026, 3, 10), True),  # expiry day counts
        (datetime.date(2025, 1, 1), datetime.date(2026, 3, 9), False),  # expired
        (datetime.date(2026, 3, 11), None, False),  # not completed yet on that day
    ],
)
def test_can_facilitate_needs_a_current_facilitator_record(member, completed, expires, expected):
    initiative = InitiativeFactory()
    MembershipFactory(initiative=initiative, user=member)
    TrainingRecordFactory(user=member, completed_on=completed, expires_on=expires)
    assert queries.can_facilitate(member, initiative, TODAY) is expected
    assert has_current_training(member, TrainingKind.FACILITATOR, TODAY) is expected


def test_can_facilitate_needs_active_membership(member):
    initiative = InitiativeFactory()
    TrainingRecordFactory(user=member, completed_on=datetime.date(2025, 1, 1), expires_on=None)
    assert not queries.can_facilitate(member, initiative, TODAY)
    MembershipFactory(initiative=initiative, user=member, state=MembershipState.REQUESTED)
    assert not queries.can_facilitate(member, initiative, TODAY)


def test_other_training_kinds_do_not_count_as_facilitator(member):
    initiative = InitiativeFactory()
    MembershipFactory(initiative=initiative, user=member)
    TrainingRecordFactory(
        user=member,
        kind=TrainingKind.FIRST_AID,
        completed_on=datetime.date(2025, 5, 1),
        expires_on=None,
    )
    assert not queries.can_facilitate(member, initiative, TODAY)
    assert has_current_training(member, TrainingKind.FIRST_AID, TODAY)

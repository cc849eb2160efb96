"""Every (from, to) pair of each state machine: allowed exactly when in its table."""

import itertools

import pytest

from beacon.core.errors import InvalidTransition
from beacon.core.models import AuditEntry
from beacon.initiatives import services
from beacon.initiatives.enums import (
    APPLICATION_TRANSITIONS,
    MEMBERSHIP_TRANSITIONS,
    TRANSITIONS,
    ApplicationState,
    InitiativeStatus,
    MembershipState,
)
from tests.factories.initiatives import (
    InitiativeFactory,
    MembershipFactory,
    VolunteerApplicationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("old", "new"), list(itertools.permutations(InitiativeStatus.values, 2)))
def test_initiative_status_pairs(old, new, moderator):
    initiative = InitiativeFactory(status=old)
    if (old, new) in TRANSITIONS:
        services.set_initiative_status(initiative, new, actor=moderator, message="m")
        initiative.refresh_from_db()
        assert initiative.status == new
        assert AuditEntry.objects.filter(action=f"initiatives.initiative.{new}").exists()
    else:
        with pytest.raises(InvalidTransition):
            services.set_initiative_status(initiative, new, actor=moderator)


@pytest.mark.parametrize(("old", "new"), list(itertools.permutations(MembershipState.values, 2)))
def test_membership_state_pairs(old, new, member):
    membership = MembershipFactory(state=old)
    if (old, new) in MEMBERSHIP_TRANSITIONS:
        services.set_membership_state(membership, new, actor=member)
        membership.refresh_from_db()
        assert membership.state == new
    else:
        with pytest.raises(InvalidTransition):
            services.set_membership_state(membership, new, actor=member)


@pytest.mark.parametrize(("old", "new"), list(itertools.permutations(ApplicationState.values, 2)))
def test_application_state_pairs(old, new, member):
    application = VolunteerApplicationFactory(state=old)
    if (old, new) in APPLICATION_TRANSITIONS:
        services.set_application_state(application, new, actor=member)
        application.refresh_from_db()
        assert application.state == new
    else:
        with pytest.raises(InvalidTransition):
            services.set_application_state(application, new, actor=member)

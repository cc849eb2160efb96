"""The demo seeder: three listed initiatives the events seeder finds by name, once."""

import datetime

import pytest

from beacon.initiatives import queries
from beacon.initiatives.demo import HIGH_DESERT, OPEN_DOOR, RIVERSIDE, seed
from beacon.initiatives.enums import MemberRole, Setting
from beacon.initiatives.models import Initiative, Membership, VolunteerShift

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_consistent_with_the_rules():
    from beacon.accounts.demo import seed as seed_accounts

    seed_accounts()
    seed()
    counts = (
        Initiative.objects.count(),
        Membership.objects.count(),
        VolunteerShift.objects.count(),
    )
    seed()
    assert counts == (
        Initiative.objects.count(),
        Membership.objects.count(),
        VolunteerShift.objects.count(),
    )

    by_name = {i.name: i for i in queries.public_initiatives()}
    assert set(by_name) == {RIVERSIDE, HIGH_DESERT, OPEN_DOOR}
    assert by_name[RIVERSIDE].setting == Setting.URBAN
    assert by_name[HIGH_DESERT].setting == Setting.RURAL
    assert by_name[OPEN_DOOR].setting == Setting.ONLINE
    for initiative in by_name.values():
        assert queries.organisers_of(initiative).exists()
        assert initiative.volunteer_roles.exists()
    # Every demo facilitator could be made facilitator through the services today.
    today = datetime.date.today()
    for m in Membership.objects.filter(role=MemberRole.FACILITATOR):
        assert queries.can_facilitate(m.user, m.initiative, today)
    jonah = Membership.objects.get(
        user__email="member@demo.beacon.example", initiative__name=RIVERSIDE
    )
    assert jonah.role == MemberRole.ORGANISER

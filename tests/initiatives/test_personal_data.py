"""Download and erasure of what initiatives hold about a person."""

import json
from decimal import Decimal

import pytest

from beacon.accounts.services import close_account
from beacon.core.personal_data import ErasureMode
from beacon.initiatives.enums import MemberRole
from beacon.initiatives.models import (
    Initiative,
    Membership,
    TrainingRecord,
    VolunteerApplication,
    VolunteerShift,
)
from tests.factories.initiatives import (
    InitiativeFactory,
    MembershipFactory,
    TrainingRecordFactory,
    VolunteerApplicationFactory,
    VolunteerShiftFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def footprint(member, other_member):
    """Everything a person can leave in initiatives, beside someone else's."""
    sole = InitiativeFactory(created_by=member, name="Only mine")
    MembershipFactory(initiative=sole, user=member, role=MemberRole.ORGANISER)
    shared = InitiativeFactory(created_by=member, name="Shared")
    MembershipFactory(initiative=shared, user=member, role=MemberRole.ORGANISER)
    MembershipFactory(initiative=shared, user=other_member, role=MemberRole.ORGANISER)
    TrainingRecordFactory(user=member, title="Facilitation")
    VolunteerApplicationFactory(user=member, message="I can help on Tuesdays")
    VolunteerShiftFactory(initiative=shared, user=member, hours=Decimal("2.5"), note="Tea")
    VolunteerShiftFactory(initiative=shared, user=other_member)
    return {"sole": sole, "shared": shared}


def test_download_includes_every_section(member_client, member, footprint):
    data = json.loads(member_client.post("/accounts/my-data/").content)["data"]

    assert {i["name"] for i in data["initiatives"]} == {"Only mine", "Shared"}
    assert {m["initiative_name"] for m in data["initiative_memberships"]} == {"Only mine", "Shared"}
    assert data["training_records"][0]["kind"] == "facilitator"
    assert data["volunteer_applications"][0]["message"] == "I can help on Tuesdays"
    assert data["volunteer_hours"] == [
        {
            "initiative": footprint["shared"].code,
            "date": data["volunteer_hours"][0]["date"],
            "hours": "2.50",
            "note": "Tea",
        }
    ]


def test_delete_removes_everything_and_initiatives_nobody_else_runs(member, footprint):
    close_account(member, mode=ErasureMode.DELETE, actor=member)

    assert not Initiative.objects.filter(pk=footprint["sole"].pk).exists()
    shared = Initiative.objects.get(pk=footprint["shared"].pk)
    assert shared.created_by is None
    assert Membership.objects.filter(initiative=shared).count() == 1
    assert not TrainingRecord.objects.exists()
    assert not VolunteerApplication.objects.filter(message__contains="Tuesdays").exists()
    assert VolunteerShift.objects.count() == 1  # the other person's


def test_anonymise_keeps_hours_without_a_name(member, footprint):
    close_account(member, mode=ErasureMode.ANONYMISE, actor=member)

    assert Initiative.objects.filter(pk=footprint["sole"].pk, created_by=None).exists()
    anonymous = VolunteerShift.objects.get(user=None)
    assert anonymous.hours == Decimal("2.5") and anonymous.note == ""
    assert not Membership.objects.filter(user__isnull=True).exists()
    assert not TrainingRecord.objects.exists()

"""Personal data: a person's signatures (with their account, and as a guest with the same
address), commitments and campaigns are in their download and go when they close."""

import json

import pytest

from beacon.campaigns import services
from beacon.campaigns.models import Campaign, OrganisationCommitment, Pledge, Signature
from beacon.core.personal_data import ErasureMode, registry
from tests.conftest import logged_in_client
from tests.factories.campaigns import (
    CheckInFactory,
    CommitmentFactory,
    PledgeFactory,
    SignatureFactory,
)

pytestmark = pytest.mark.django_db


def handlers():
    """This app's handlers (the whole registry is exercised by tests/core and accounts)."""
    return [h for h in registry.handlers() if h.model._meta.app_label == "campaigns"]


def export(user):
    return {h.section: h.export(user) for h in handlers()}


def erase(user, mode):
    for handler in handlers():
        handler.erase(user, mode)


@pytest.fixture
def signed(member, other_member):
    first, second = PledgeFactory(), PledgeFactory()
    services.sign_pledge(first, user=member, show_name=True)
    SignatureFactory(pledge=second, email=member.email, name="Mo", show_name=True)
    SignatureFactory(pledge=second, email="someone@guests.example")
    services.sign_pledge(second, user=other_member, show_name=False)
    CheckInFactory(commitment=CommitmentFactory(representative=member))
    return first, second


def test_the_download_holds_signatures_commitments_and_no_one_else(member, signed):
    data = export(member)

    assert {s["pledge_code"] for s in data["pledge_signatures"]} == {p.code for p in signed}
    assert [s["name_typed"] for s in data["pledge_signatures"]] == ["", "Mo"]
    [commitment] = data["organisation_commitments"]
    assert commitment["check_ins"][0]["progress"] == "The quiet room opened on Monday."
    assert "someone@guests.example" not in str(data)


def test_deleting_removes_signatures_and_their_counts(member, signed):
    _, second = signed

    erase(member, ErasureMode.DELETE)

    assert not Signature.objects.filter(user=member).exists()
    assert not Signature.objects.filter(email=member.email).exists()
    assert OrganisationCommitment.objects.count() == 0
    for pledge in Pledge.objects.all():
        assert (
            pledge.signature_count == pledge.signatures.filter(confirmed_at__isnull=False).count()
        )
    assert Pledge.objects.get(pk=second.pk).signature_count == 2


def test_anonymising_keeps_the_counts_and_drops_every_link_to_the_person(member, signed):
    first, second = signed

    erase(member, ErasureMode.ANONYMISE)

    assert not Signature.objects.filter(user=member).exists()
    assert not Signature.objects.filter(email=member.email).exists()
    assert Pledge.objects.get(pk=first.pk).signature_count == 1
    assert Pledge.objects.get(pk=second.pk).signature_count == 3
    anonymous = Signature.objects.filter(user=None, email="")
    assert anonymous.count() == 2
    assert {s.public_name for s in anonymous} == {"someone"}
    assert all(s.unsubscribed_at is not None for s in anonymous)  # no follow-ups to nobody
    assert OrganisationCommitment.objects.get().representative is None


def test_a_campaign_starter_keeps_published_campaigns_without_their_name(moderator):
    published = PledgeFactory(campaign__created_by=moderator).campaign
    draft = PledgeFactory(
        campaign__created_by=moderator, campaign__state="draft", campaign__published_at=None
    ).campaign

    erase(moderator, ErasureMode.DELETE)

    assert list(Campaign.objects.all()) == [published]
    published.refresh_from_db()
    assert published.created_by is None
    assert not Campaign.objects.filter(pk=draft.pk).exists()


def test_the_account_download_includes_signatures(member, signed):
    client = logged_in_client(member)  # signed in just now: no password check needed

    response = client.post("/accounts/my-data/")

    data = json.loads(response.content)
    assert len(data["data"]["pledge_signatures"]) == 2

"""The demo seeder: a campaign with a toolkit, pledges with signatures, an organisation with
a check-in, and a call answered by a published story; running it twice adds nothing."""

import pytest

from beacon.campaigns.demo import seed
from beacon.campaigns.models import Campaign, CheckIn, OrganisationCommitment, Signature
from beacon.core.demo import demo_seeders
from beacon.stories.models import Story

pytestmark = pytest.mark.django_db


def test_the_demo_is_complete_consistent_and_idempotent(media_root, client):
    for seeder in demo_seeders():
        if seeder.name in ("accounts", "campaigns"):
            seeder.seed()
    seed()

    campaign = Campaign.objects.get()
    pledge = campaign.pledges.get(kind="personal")
    assert pledge.signature_count == Signature.objects.filter(confirmed_at__isnull=False).count()
    assert pledge.signature_count == 7
    assert campaign.toolkit_snippets.count() == 2
    assert campaign.toolkit_images.get().extension == "svg"
    assert OrganisationCommitment.objects.get().is_public
    assert CheckIn.objects.count() == 1
    call = campaign.calls.get()
    assert Story.objects.get(prompt_code=call.code).is_public
    body = client.get(f"/campaigns/{campaign.code}/").content.decode()
    assert "The question at the bus stop" in body
    image = client.get(f"/campaigns/toolkit/images/{campaign.toolkit_images.get().code}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"

"""No campaign page shows a signer's email address, whoever looks (guests' addresses are
stored to send their links and follow-ups, never rendered)."""

import pytest
from django.test import Client

from beacon.accounts.enums import Role
from beacon.campaigns import services
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory
from tests.factories.campaigns import (
    CallFactory,
    CheckInFactory,
    CommitmentFactory,
    PledgeFactory,
    SignatureFactory,
)
from tests.test_no_email_leaks import crawl

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR, Role.ADMIN])
def test_no_campaign_page_shows_an_email_address(role):
    signer = UserFactory()
    pledge = PledgeFactory(campaign__created_by=UserFactory(role=Role.MODERATOR))
    services.sign_pledge(pledge, user=signer, show_name=True)
    guests = [
        SignatureFactory(pledge=pledge, email="shown@guests.example", name="Ana", show_name=True),
        SignatureFactory(pledge=pledge, email="hidden@guests.example", show_name=False),
        SignatureFactory(pledge=pledge, email="pending@guests.example", confirmed_at=None),
    ]
    CallFactory(campaign=pledge.campaign)
    CheckInFactory(commitment=CommitmentFactory(pledge__campaign=pledge.campaign))
    viewer = UserFactory(role=role) if role else None
    client = logged_in_client(viewer) if viewer else Client()

    pages = crawl(client, ["/campaigns/", f"/campaigns/{pledge.campaign.code}/"])

    addresses = [signer.email, *(g.email for g in guests)]
    leaks = [(p, a) for p, body in pages.items() for a in addresses if a in body.lower()]
    assert leaks == []
    assert f"/campaigns/pledges/{pledge.code}/" in pages

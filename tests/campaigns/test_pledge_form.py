"""The campaign team's pledge form: a personal pledge needs both follow-up actions (signers
are promised them), an organisational one needs none."""

import pytest

from beacon.campaigns import services
from beacon.campaigns.models import Pledge
from beacon.core.errors import DomainError
from tests.conftest import logged_in_client
from tests.factories.campaigns import CampaignFactory, PledgeFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "I will ask",
    "statement": "I will ask one person how they are really doing.",
    "goal": "100",
    "is_open": "on",
}


def test_a_personal_pledge_without_follow_up_actions_is_refused_with_clear_errors(moderator):
    campaign = CampaignFactory()

    response = logged_in_client(moderator).post(
        f"/campaigns/{campaign.code}/pledges/new/",
        FIELDS
        | {"kind": "personal", "followup_7_action": "Message a friend.", "followup_30_action": " "},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Write the one thing signers can do after 30 days" in body
    assert "after 7 days: we email" not in body
    assert 'value="I will ask"' in body  # nothing typed is lost
    assert Pledge.objects.count() == 0


def test_a_personal_pledge_with_both_actions_is_saved(moderator):
    campaign = CampaignFactory()

    response = logged_in_client(moderator).post(
        f"/campaigns/{campaign.code}/pledges/new/",
        FIELDS
        | {
            "kind": "personal",
            "followup_7_action": "Message a friend.",
            "followup_30_action": "Ask them again.",
        },
    )

    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.followup_7_action, pledge.followup_30_action) == (
        "Message a friend.",
        "Ask them again.",
    )


def test_an_organisational_pledge_needs_no_follow_up_actions(moderator):
    campaign = CampaignFactory()

    response = logged_in_client(moderator).post(
        f"/campaigns/{campaign.code}/pledges/new/", FIELDS | {"kind": "organisational"}
    )

    assert response.status_code == 302
    assert Pledge.objects.get().kind == "organisational"


def test_editing_a_personal_pledge_cannot_empty_its_actions(moderator):
    pledge = PledgeFactory()

    response = logged_in_client(moderator).post(
        f"/campaigns/{pledge.campaign.code}/pledges/{pledge.code}/edit/",
        FIELDS | {"followup_7_action": "", "followup_30_action": "Ask them again."},
    )

    assert response.status_code == 400
    assert "Write the one thing signers can do after 7 days" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.followup_7_action == "Message someone you have not heard from in a while."


def test_the_service_refuses_a_personal_pledge_without_actions_too(moderator):
    with pytest.raises(DomainError, match="two follow-up actions"):
        services.save_pledge(
            CampaignFactory(), None, actor=moderator, title="T", statement="S", goal=10
        )
    assert Pledge.objects.count() == 0

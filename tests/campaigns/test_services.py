"""Campaign workflows: starting and editing, the state machine, the engine's reading,
organisations' commitments through moderation, check-ins."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from beacon.campaigns import services
from beacon.campaigns.enums import CAMPAIGN_TRANSITIONS, CampaignState, CommitmentState, PledgeKind
from beacon.campaigns.models import Campaign
from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused
from beacon.moderation.enums import Action, Lane
from beacon.moderation.models import Case
from beacon.moderation.services import decide
from tests.conftest import logged_in_client
from tests.factories.campaigns import CampaignFactory, CommitmentFactory, PledgeFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "Talk week",
    "goal": "More honest talk.",
    "description": "Ask how people **really** are.",
    "starts_on": date(2030, 5, 1),
    "ends_on": date(2030, 5, 31),
}


def test_an_organiser_starts_a_draft_and_a_member_cannot(organiser, member):
    campaign = services.save_campaign(None, actor=organiser, **FIELDS)

    assert campaign.state == CampaignState.DRAFT and campaign.created_by == organiser
    assert campaign.risk == "none"
    with pytest.raises(PermissionRefused):
        services.save_campaign(None, actor=member, **FIELDS)


def test_the_end_cannot_come_before_the_start(moderator):
    with pytest.raises(DomainError, match="end date"):
        services.save_campaign(None, actor=moderator, **(FIELDS | {"ends_on": date(2030, 4, 1)}))
    assert Campaign.objects.count() == 0


def test_a_crisis_reading_puts_the_campaign_in_the_urgent_lane(moderator):
    campaign = services.save_campaign(
        None,
        actor=moderator,
        **(FIELDS | {"description": "I want to kill myself tonight, I have the pills ready."}),
    )

    assert campaign.risk == "crisis"
    assert Case.objects.get().lane == Lane.CRISIS


@pytest.mark.parametrize("old", CampaignState.values)
@pytest.mark.parametrize("new", CampaignState.values)
def test_the_state_machine_allows_exactly_its_transitions(old, new, moderator):
    campaign = CampaignFactory(state=old, published_at=None)

    if (old, new) in CAMPAIGN_TRANSITIONS:
        services.set_campaign_state(campaign, new, actor=moderator)
        assert Campaign.objects.get().state == new
    else:
        with pytest.raises(InvalidTransition):
            services.set_campaign_state(campaign, new, actor=moderator)
        assert Campaign.objects.get().state == old


def test_a_commitment_is_public_after_a_moderator_approves(member, moderator, client):
    pledge = PledgeFactory(kind=PledgeKind.ORGANISATIONAL)
    commitment = services.commit_organisation(
        pledge,
        actor=member,
        organisation_name="Riverside Library",
        website="",
        action_plan="We will open a quiet room for staff and train every team lead.",
    )
    assert client.get(f"/campaigns/commitments/{commitment.code}/").status_code == 404

    decide(Case.objects.get(), action=Action.APPROVE, actor=moderator)

    commitment.refresh_from_db()
    assert commitment.state == CommitmentState.PUBLISHED
    assert "Riverside Library" in client.get(f"/campaigns/pledges/{pledge.code}/").content.decode()
    with pytest.raises(DomainError, match="already committed"):
        services.commit_organisation(
            pledge,
            actor=member,
            organisation_name="riverside library",
            website="",
            action_plan="Another plan that is long enough to count as one.",
        )


def test_people_sign_personal_pledges_and_organisations_commit_to_theirs(member):
    with pytest.raises(DomainError):
        services.commit_organisation(
            PledgeFactory(),
            actor=member,
            organisation_name="X",
            website="",
            action_plan="A plan long enough to be read.",
        )
    with pytest.raises(DomainError):
        services.sign_pledge(
            PledgeFactory(kind=PledgeKind.ORGANISATIONAL), user=member, show_name=False
        )


def test_check_ins_are_dated_and_from_the_representative_only(member, other_member):
    commitment = CommitmentFactory(representative=member)

    with pytest.raises(PermissionRefused):
        services.add_check_in(commitment, actor=other_member, on=date(2030, 1, 1), progress="x")
    with pytest.raises(DomainError, match="today or earlier"):
        services.add_check_in(
            commitment,
            actor=member,
            on=timezone.localdate() + timedelta(days=1),
            progress="Done",
        )
    services.add_check_in(commitment, actor=member, on=timezone.localdate(), progress="Done")
    assert commitment.check_ins.count() == 1


def test_the_campaign_page_shows_markdown_safely(client):
    campaign = CampaignFactory(description="**Bold** <script>alert(1)</script>")

    body = client.get(f"/campaigns/{campaign.code}/").content.decode()

    assert "<strong>Bold</strong>" in body and "<script>alert" not in body


def test_no_new_commitments_after_the_campaign_ended(member, client):
    yesterday = timezone.localdate() - timedelta(days=1)
    pledge = PledgeFactory(
        kind=PledgeKind.ORGANISATIONAL,
        campaign__starts_on=yesterday - timedelta(days=30),
        campaign__ends_on=yesterday,
    )

    with pytest.raises(DomainError, match="The campaign ended on"):
        services.commit_organisation(
            pledge,
            actor=member,
            organisation_name="Riverside Library",
            website="",
            action_plan="We will open a quiet room for staff and train every team lead.",
        )
    page = logged_in_client(member).get(f"/campaigns/pledges/{pledge.code}/commit/")

    assert "takes no new commitments" in page.content.decode()
    assert 'name="action_plan"' not in page.content.decode()

"""Permission predicates for campaigns and pledges (django-rules). Each has a queryset twin
in queries.py; tests/campaigns/test_rules.py proves they agree."""

from __future__ import annotations

import rules

from beacon.accounts.rules import is_member, is_moderator
from beacon.campaigns.enums import CampaignState
from beacon.initiatives.queries import organises_any


@rules.predicate
def is_initiative_organiser(user) -> bool:  # type: ignore[no-untyped-def]
    """An active organiser of at least one grassroots initiative."""
    return bool(getattr(user, "is_authenticated", False) and organises_any(user))


@rules.predicate
def is_campaign_creator(user, campaign) -> bool:  # type: ignore[no-untyped-def]
    return bool(
        campaign is not None
        and getattr(user, "is_authenticated", False)
        and campaign.created_by_id == user.pk
    )


@rules.predicate
def is_published_campaign(user, campaign) -> bool:  # type: ignore[no-untyped-def]
    return campaign is not None and campaign.state == CampaignState.PUBLISHED


@rules.predicate
def is_commitment_representative(user, commitment) -> bool:  # type: ignore[no-untyped-def]
    return bool(
        commitment is not None
        and getattr(user, "is_authenticated", False)
        and commitment.representative_id == user.pk
    )


can_create_campaign = is_moderator | is_initiative_organiser
# An organiser keeps managing the campaigns they made while they still organise.
can_manage_campaign = is_moderator | (is_campaign_creator & is_initiative_organiser)
can_view_campaign = is_published_campaign | can_manage_campaign

rules.add_perm("campaigns.add_campaign", can_create_campaign)
rules.add_perm("campaigns.change_campaign", can_manage_campaign)
rules.add_perm("campaigns.view_campaign", can_view_campaign)
rules.add_perm("campaigns.commit_organisation", is_member)
rules.add_perm("campaigns.change_commitment", is_commitment_representative)

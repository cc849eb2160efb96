"""The permission predicates and their queryset twins agree, for every role and campaign."""

import pytest

from beacon.campaigns.enums import CampaignState
from beacon.campaigns.queries import campaigns_managed_by, campaigns_visible_to
from beacon.campaigns.rules import can_create_campaign, can_manage_campaign, can_view_campaign
from tests.factories.accounts import UserFactory
from tests.factories.campaigns import CampaignFactory

pytestmark = pytest.mark.django_db


def test_rules_and_queries_agree(member, organiser, moderator, admin_user):
    ex_organiser = UserFactory()
    campaigns = [
        CampaignFactory(state=state, created_by=creator)
        for state in CampaignState.values
        for creator in (organiser, member, ex_organiser, None)
    ]
    from django.contrib.auth.models import AnonymousUser

    for person in (AnonymousUser(), member, organiser, ex_organiser, moderator, admin_user):
        visible = set(campaigns_visible_to(person))
        managed = set(campaigns_managed_by(person))
        for campaign in campaigns:
            assert can_view_campaign(person, campaign) == (campaign in visible)
            assert can_manage_campaign(person, campaign) == (campaign in managed)


def test_who_may_start_a_campaign(member, organiser, moderator, admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert [
        can_create_campaign(p) for p in (AnonymousUser(), member, organiser, moderator, admin_user)
    ] == [False, False, True, True, True]
    assert member.has_perm("campaigns.add_campaign") is False
    assert organiser.has_perm("campaigns.add_campaign") is True

"""Events linked to a campaign: the team links an event series by code or address; readers
see the linked events they may see (never a hidden one)."""

import pytest

from beacon.campaigns import services
from beacon.core.errors import DomainError
from tests.conftest import logged_in_client
from tests.factories.campaigns import CampaignFactory
from tests.factories.events import EventSeriesFactory

pytestmark = pytest.mark.django_db


def test_the_team_links_an_event_by_its_address_and_readers_see_it(moderator, client):
    campaign = CampaignFactory(created_by=moderator)
    series = EventSeriesFactory(title="Talk week walk", materialise=False)

    response = logged_in_client(moderator).post(
        f"/campaigns/{campaign.code}/events/",
        {"series": f"http://testserver/events/series/{series.code}/"},
    )

    assert response.status_code == 302
    assert list(campaign.events.all()) == [series]
    body = client.get(f"/campaigns/{campaign.code}/").content.decode()
    assert f'href="/events/series/{series.code}/">Talk week walk</a>' in body


def test_a_hidden_event_is_not_shown_to_readers(moderator, client):
    campaign = CampaignFactory(created_by=moderator)
    series = EventSeriesFactory(title="Hidden walk", materialise=False)
    services.link_event_series(campaign, actor=moderator, code_or_url=series.code)
    series.is_hidden = True
    series.save()

    assert "Hidden walk" not in client.get(f"/campaigns/{campaign.code}/").content.decode()


def test_an_unknown_code_is_refused_and_unlinking_leaves_the_event(moderator):
    campaign = CampaignFactory(created_by=moderator)
    series = EventSeriesFactory(materialise=False)

    with pytest.raises(DomainError, match="No event found"):
        services.link_event_series(campaign, actor=moderator, code_or_url="nothing-here")
    services.link_event_series(campaign, actor=moderator, code_or_url=series.code)
    services.unlink_event_series(campaign, actor=moderator, code=series.code)

    assert campaign.events.count() == 0
    series.refresh_from_db()


def test_only_the_campaign_team_links_events(member):
    campaign = CampaignFactory()
    series = EventSeriesFactory(materialise=False)

    response = logged_in_client(member).post(
        f"/campaigns/{campaign.code}/events/", {"series": series.code}
    )

    assert response.status_code == 404
    assert campaign.events.count() == 0

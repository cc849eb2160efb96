"""The pledge counter: the same total and progress on the campaign page and the pledge page,
for personal pledges (confirmed signatures) and organisational ones (published
commitments)."""

import pytest

from beacon.campaigns.enums import CommitmentState, PledgeKind
from tests.factories.campaigns import CommitmentFactory, PledgeFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def test_an_organisational_pledge_shows_its_progress_on_the_campaign_page(client):
    pledge = PledgeFactory(kind=PledgeKind.ORGANISATIONAL, goal=20)
    CommitmentFactory(pledge=pledge)
    CommitmentFactory(pledge=pledge, state=CommitmentState.PENDING)  # not counted yet

    body = client.get(f"/campaigns/{pledge.campaign.code}/").content.decode()

    assert "<strong>1</strong> organisation committed · goal 20" in body
    assert 'max="20" value="1"' in body
    assert "5% of the goal" in body


def test_the_campaign_page_caps_the_bar_at_the_goal_like_the_pledge_page(client):
    pledge = PledgeFactory(goal=2)
    for _ in range(3):
        SignatureFactory(pledge=pledge)

    campaign_page = client.get(f"/campaigns/{pledge.campaign.code}/").content.decode()
    pledge_page = client.get(f"/campaigns/pledges/{pledge.code}/").content.decode()

    for body in (campaign_page, pledge_page):
        assert "<strong>3</strong> signatures · goal 2" in body
        assert 'max="2" value="2"' in body
        assert "100% of the goal" in body


def test_the_polled_counter_answers_204_while_the_count_is_what_the_page_has(client):
    pledge = PledgeFactory(goal=4)
    SignatureFactory(pledge=pledge)
    url = f"/campaigns/pledges/{pledge.code}/count/"

    unchanged = client.get(url, {"have": "1"}, HTTP_HX_REQUEST="true")
    SignatureFactory(pledge=pledge)
    changed = client.get(url, {"have": "1"}, HTTP_HX_REQUEST="true")

    assert unchanged.status_code == 204 and unchanged.content == b""
    assert unchanged["Cache-Control"] == "no-store"
    assert changed.status_code == 200
    body = changed.content.decode()
    assert "<strong>2</strong> signatures" in body
    assert '<input type="hidden" name="have" value="2">' in body  # sent by the next poll


def test_the_pledge_page_sends_the_count_it_shows_with_each_poll(client):
    pledge = PledgeFactory()
    SignatureFactory(pledge=pledge)

    body = client.get(f"/campaigns/pledges/{pledge.code}/").content.decode()

    assert 'hx-include="this"' in body
    assert '<input type="hidden" name="have" value="1">' in body

"""Who may open each campaign page: visitor, member, organiser, moderator, admin.

Expected status per role, in the order (visitor, member, organiser, moderator, admin).
"login" = sent to sign in; 302 = done and redirected elsewhere; 403/404 = refused. The
organiser here did not start the campaign; the member represents the organisation's
commitment. Writes act on an item made for each role, so a refusal is never a 404 for an
item that is not there.
"""

import pytest
from django.utils import timezone

from beacon.campaigns.enums import CampaignState, PledgeKind
from beacon.campaigns.models import CheckIn, ToolkitSnippet
from beacon.campaigns.tasks import unsubscribe_path
from beacon.campaigns.tokens import confirm_token
from tests.factories.campaigns import (
    CallFactory,
    CommitmentFactory,
    PledgeFactory,
    SignatureFactory,
    SnippetFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "organiser", "moderator", "admin_user")


@pytest.fixture
def people(request, member, organiser, moderator, admin_user):
    return {
        "visitor": None,
        "member": member,
        "organiser": organiser,
        "moderator": moderator,
        "admin_user": admin_user,
    }


@pytest.fixture
def world(db, member):
    pledge = PledgeFactory()
    campaign = pledge.campaign
    draft = PledgeFactory(campaign__state=CampaignState.DRAFT).campaign
    org_pledge = PledgeFactory(campaign=campaign, kind=PledgeKind.ORGANISATIONAL)
    commitment = CommitmentFactory(pledge=org_pledge, representative=member)
    signature = SignatureFactory(pledge=pledge, confirmed_at=None)
    return {
        "campaign": campaign,
        "c": campaign.code,
        "draft": draft.code,
        "p": pledge.code,
        "org": org_pledge.code,
        "call": CallFactory(campaign=campaign).code,
        "commitment": commitment.code,
        "confirm": confirm_token(signature.code),
        "unsub": unsubscribe_path(signature),
    }


GET_MATRIX = [
    ("/campaigns/", (200, 200, 200, 200, 200)),
    ("/words-matter/", (200, 200, 200, 200, 200)),
    ("/campaigns/{c}/", (200, 200, 200, 200, 200)),
    ("/campaigns/{draft}/", (404, 404, 404, 200, 200)),
    ("/campaigns/pledges/{p}/", (200, 200, 200, 200, 200)),
    ("/campaigns/pledges/{p}/count/", (200, 200, 200, 200, 200)),
    ("/campaigns/pledges/{org}/commit/", (302, 200, 200, 200, 200)),
    ("/campaigns/commitments/{commitment}/", (200, 200, 200, 200, 200)),
    ("/campaigns/signatures/confirm/{confirm}/", (200, 200, 200, 200, 200)),
    ("{unsub}", (200, 200, 200, 200, 200)),
    ("/campaigns/new/", (302, 403, 200, 200, 200)),
    ("/campaigns/{c}/manage/", (302, 404, 404, 200, 200)),
    ("/campaigns/{c}/edit/", (302, 404, 404, 200, 200)),
    ("/campaigns/{c}/calls/new/", (302, 404, 404, 200, 200)),
    ("/campaigns/{c}/calls/{call}/", (302, 404, 404, 200, 200)),
    ("/campaigns/{c}/pledges/new/", (302, 404, 404, 200, 200)),
    ("/campaigns/{c}/pledges/{p}/edit/", (302, 404, 404, 200, 200)),
]


def new_snippet(world):
    """A toolkit snippet made for one role's request, so removing it can succeed."""
    return {"kind": "snippet", "item": str(SnippetFactory(campaign=world["campaign"]).pk)}


def check_in(world):
    return {"on": timezone.localdate().isoformat(), "progress": "We trained six team leads."}


POST_MATRIX = [
    ("/campaigns/{c}/state/", {"state": "archived"}, ("login", 404, 404, 302, 302)),
    (
        "/campaigns/{c}/toolkit/add/snippet/",
        {"title": "T", "text": "x"},
        ("login", 404, 404, 302, 302),
    ),
    ("/campaigns/{c}/toolkit/remove/", new_snippet, ("login", 404, 404, 302, 302)),
    ("/campaigns/{c}/events/", {"series": "none"}, ("login", 404, 404, 302, 302)),
    ("/campaigns/commitments/{commitment}/check-in/", check_in, ("login", 302, 404, 404, 404)),
]


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    return response.status_code


@pytest.mark.parametrize(("path", "expected"), GET_MATRIX)
def test_get_matrix(path, expected, people, world, client_for):
    for role, status in zip(ROLES, expected, strict=True):
        response = client_for(people[role]).get(path.format(**world))
        assert response.status_code == status, (role, path)


@pytest.mark.parametrize(("path", "data", "expected"), POST_MATRIX)
def test_post_matrix(path, data, expected, people, world, client_for):
    for role, status in zip(ROLES, expected, strict=True):
        posted = data(world) if callable(data) else data
        response = client_for(people[role]).post(path.format(**world), posted)
        assert outcome(response) == status, (role, path)


def test_the_allowed_writes_took_effect_and_the_refused_ones_did_not(people, world, client_for):
    """The matrix's 302s are real changes: each manager removed the snippet made for them,
    the representative posted one check-in; the snippets of refused roles are still there."""
    for role in ROLES:
        client_for(people[role]).post(
            "/campaigns/{c}/toolkit/remove/".format(**world), new_snippet(world)
        )
        client_for(people[role]).post(
            "/campaigns/commitments/{commitment}/check-in/".format(**world), check_in(world)
        )

    assert ToolkitSnippet.objects.count() == 3  # visitor's, member's, organiser's
    assert CheckIn.objects.count() == 1


def test_an_organiser_manages_the_campaigns_they_started(organiser, client_for):
    campaign = PledgeFactory(campaign__created_by=organiser).campaign
    client = client_for(organiser)

    assert client.get(f"/campaigns/{campaign.code}/manage/").status_code == 200
    response = client.post(f"/campaigns/{campaign.code}/state/", {"state": "draft"})

    campaign.refresh_from_db()
    assert response.status_code == 302 and campaign.state == CampaignState.DRAFT


def test_the_representative_posts_check_ins_and_nobody_else(member, client_for):
    commitment = CommitmentFactory(representative=member)

    response = client_for(member).post(
        f"/campaigns/commitments/{commitment.code}/check-in/",
        {"on": "2020-01-02", "progress": "We trained six team leads."},
    )

    assert response.status_code == 302
    assert commitment.check_ins.get().progress == "We trained six team leads."

"""Check-ins on organisations' commitments: a crisis reading holds the check-in for the
moderators' crisis lane and shows its writer help at once; held check-ins are not public
until a moderator approves them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from beacon.campaigns import services
from beacon.campaigns.enums import CHECK_IN_TRANSITIONS, CheckInState
from beacon.campaigns.models import CheckIn
from beacon.core.errors import InvalidTransition
from beacon.moderation.enums import Action, Lane
from beacon.moderation.models import Case
from beacon.moderation.services import decide
from tests.conftest import logged_in_client
from tests.factories.campaigns import CheckInFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

CRISIS = "I want to kill myself tonight, I have the pills ready."
CALM = "We trained six team leads and opened the quiet room."


def test_a_crisis_check_in_is_held_in_the_crisis_lane(member):
    commitment = CommitmentFactory(representative=member)

    check_in = services.add_check_in(
        commitment, actor=member, on=timezone.localdate(), progress=CRISIS
    )

    assert check_in.state == CheckInState.HELD
    case = Case.objects.get()
    assert case.lane == Lane.CRISIS
    assert (case.content_type, case.object_id) == (
        ContentType.objects.get_for_model(CheckIn),
        str(check_in.pk),
    )


def test_a_calm_check_in_is_public_at_once_and_not_queued(member, client):
    commitment = CommitmentFactory(representative=member)

    check_in = services.add_check_in(
        commitment, actor=member, on=timezone.localdate(), progress=CALM
    )

    assert check_in.state == CheckInState.PUBLISHED
    assert Case.objects.count() == 0
    assert CALM in client.get(f"/campaigns/commitments/{commitment.code}/").content.decode()


def test_the_writer_gets_help_at_once_and_readers_never_see_the_held_text(
    member, other_member, client, crisis_lines
):
    commitment = CommitmentFactory(representative=member)
    CheckInFactory(commitment=commitment, progress="The quiet room opened.")

    response = logged_in_client(member).post(
        f"/campaigns/commitments/{commitment.code}/check-in/",
        {"on": timezone.localdate().isoformat(), "progress": CRISIS},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "You don&#x27;t have to go through this alone" in html
    assert "A moderator reads it before it is public" in html
    page = f"/campaigns/commitments/{commitment.code}/"
    for reader in (client, logged_in_client(other_member)):
        body = reader.get(page).content.decode()
        assert "pills" not in body
        assert "The quiet room opened." in body
    pledge_page = client.get(f"/campaigns/pledges/{commitment.pledge.code}/").content.decode()
    assert "1 check-in<" in pledge_page  # the held one is not counted
    own = logged_in_client(member).get(page).content.decode()
    assert "pills" in own and "Not public: held for a moderator" in own


def test_a_moderator_approves_a_held_check_in_and_it_becomes_public(member, moderator, client):
    commitment = CommitmentFactory(representative=member)
    check_in = services.add_check_in(
        commitment, actor=member, on=timezone.localdate(), progress=CRISIS
    )

    decide(Case.objects.get(), action=Action.APPROVE, actor=moderator)

    check_in.refresh_from_db()
    assert check_in.state == CheckInState.PUBLISHED
    assert "pills" in client.get(f"/campaigns/commitments/{commitment.code}/").content.decode()


def test_a_moderator_removes_a_held_check_in_with_a_message(member, moderator, client):
    commitment = CommitmentFactory(representative=member)
    check_in = services.add_check_in(
        commitment, actor=member, on=timezone.localdate(), progress=CRISIS
    )

    decide(Case.objects.get(), action=Action.REMOVE, actor=moderator, message="We reached out.")

    check_in.refresh_from_db()
    assert check_in.state == CheckInState.REMOVED
    assert "pills" not in client.get(f"/campaigns/commitments/{commitment.code}/").content.decode()


@pytest.mark.parametrize("old", CheckInState.values)
@pytest.mark.parametrize("new", CheckInState.values)
def test_the_check_in_state_machine_allows_exactly_its_transitions(old, new, moderator):
    check_in = CheckInFactory(state=old)

    if (old, new) in CHECK_IN_TRANSITIONS:
        services.set_check_in_state(check_in, new, actor=moderator)
        assert CheckIn.objects.get().state == new
    else:
        with pytest.raises(InvalidTransition):
            services.set_check_in_state(check_in, new, actor=moderator)
        assert CheckIn.objects.get().state == old

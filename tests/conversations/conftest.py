import pytest

from beacon.accounts.enums import Role
from beacon.initiatives.enums import MemberRole
from tests.factories.accounts import UserFactory
from tests.factories.conversations import ConversationFactory
from tests.factories.initiatives import MembershipFactory


@pytest.fixture
def organiser(db):
    """A member who organises an initiative (so may host conversations)."""
    person = UserFactory(role=Role.MEMBER, display_name="Organiser Orla")
    MembershipFactory(user=person, role=MemberRole.ORGANISER)
    return person


@pytest.fixture
def conversation(organiser):
    return ConversationFactory(host=organiser)

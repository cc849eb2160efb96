"""Fixtures for initiatives: people in each role of one listed initiative."""

import datetime

import pytest

from beacon.accounts.enums import Role
from beacon.initiatives.enums import MemberRole
from tests.factories.accounts import UserFactory
from tests.factories.initiatives import (
    InitiativeFactory,
    MembershipFactory,
    TrainingRecordFactory,
)

# A fields dict the create/update services accept, as the form produces it.
FIELDS = {
    "name": "Riverside Peer Support",
    "mission": "A weekly peer-support circle where nobody has to face hard times alone.",
    "description": "We meet on **Tuesdays**. Tea, chairs in a circle, and no pressure to talk.",
    "setting": "urban",
    "place_name": "Portland, OR, US",
    "latitude": 45.52345,
    "longitude": -122.67621,
    "country": "US",
    "areas_served": "Portland",
    "audiences": ["adults", "lgbtq"],
    "activities": ["support_groups", "social_events"],
    "partners": "",
    "contact_url": "https://riverside.example/",
    "contact_phone": "",
    "contact_email": "",
}


@pytest.fixture
def fields():
    return dict(FIELDS)


@pytest.fixture
def crew(db):
    """One listed initiative and a person for every role around it (None for the visitor)."""
    organiser = UserFactory(display_name="Organiser Ola")
    initiative = InitiativeFactory(created_by=organiser, name="Riverside circle")
    MembershipFactory(initiative=initiative, user=organiser, role=MemberRole.ORGANISER)
    facilitator = UserFactory(display_name="Facilitator Fay")
    TrainingRecordFactory(
        user=facilitator,
        completed_on=datetime.date.today() - datetime.timedelta(days=10),
        expires_on=None,
    )
    MembershipFactory(initiative=initiative, user=facilitator, role=MemberRole.FACILITATOR)
    return {
        "initiative": initiative,
        "visitor": None,
        "member": UserFactory(display_name="Member Max"),
        "organiser": organiser,
        "facilitator": facilitator,
        "moderator": UserFactory(role=Role.MODERATOR, display_name="Moderator Moe"),
        "admin": UserFactory(role=Role.ADMIN, display_name="Admin Abe"),
    }

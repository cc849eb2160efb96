"""Fixtures shared by the whole suite: one person per role, and logged-in clients."""

import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from beacon.accounts.enums import Role
from tests.factories.accounts import PASSWORD, UserFactory

# CI runs property tests with a fixed seed, so a run is repeatable; locally they explore.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def member(db):
    return UserFactory(role=Role.MEMBER, display_name="Member Mo")


@pytest.fixture
def other_member(db):
    return UserFactory(role=Role.MEMBER, display_name="Other Oli")


@pytest.fixture
def moderator(db):
    return UserFactory(role=Role.MODERATOR, display_name="Moderator Mia")


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, display_name="Admin Ada")


@pytest.fixture
def password():
    return PASSWORD


def logged_in_client(user) -> Client:
    """A test client signed in through the real login form (so re-auth time is set)."""
    client = Client()
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def member_client(member):
    return logged_in_client(member)


@pytest.fixture
def crisis_lines(db):
    from beacon.help.services import sync_crisis_lines

    return sync_crisis_lines()

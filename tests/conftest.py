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


# The gazetteer subset tests search in: two countries, and five US states in full.
TEST_PLACE_COUNTRIES = ("US", "GB")
TEST_US_STATES = ("OR", "WA", "CA", "NY", "TX")


def _ensure_places() -> None:
    from beacon.places.models import Place
    from beacon.places.services import load_places

    if not Place.objects.filter(key="portland", admin1="OR").exists():
        load_places(countries=TEST_PLACE_COUNTRIES, us_states=TEST_US_STATES)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the gazetteer subset once per test database (tests roll back around it)."""
    with django_db_blocker.unblock():
        _ensure_places()


@pytest.fixture
def places(db):
    """The offline gazetteer (real packaged data, a subset of it) in the test database.

    Reloaded when a transactional test (browser journeys) has flushed the tables.
    """
    from beacon.places.models import Place

    _ensure_places()
    return Place.objects


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: database rows are rolled back between tests
    (and their primary keys reused), so nothing cached about them may outlive the test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def live_hub(monkeypatch):
    """The conversation streams' hub, stepped by the test (`live_hub.tick()`) rather than by
    a watcher thread, so a test decides when changes are read. Browser journeys replace it
    with one that runs the real watcher (tests/browser/conftest.py)."""
    from beacon.conversations.views import live

    hub = live.Hub(interval=None)
    monkeypatch.setattr(live, "hub", hub)
    return hub

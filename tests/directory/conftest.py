"""Directory fixtures: the demo region (real data file), a curator, fixed moments."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from beacon.accounts.enums import Role
from tests.factories.accounts import UserFactory

PT = ZoneInfo("America/Los_Angeles")


def pt(*args: int) -> datetime:
    """A moment in Portland's local time."""
    return datetime(*args, tzinfo=PT)


@pytest.fixture
def demo_directory(places):
    from beacon.directory.demo import seed

    seed()


@pytest.fixture
def curator(db):
    return UserFactory(role=Role.CURATOR, display_name="Curator Cai")


@pytest.fixture
def frozen_now(monkeypatch):
    """Make the pages' clock read a fixed moment: call it with the moment."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return freeze

"""People for the campaign permission matrix: an initiative organiser joins the shared roles."""

import pytest

from beacon.initiatives.enums import MemberRole
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory
from tests.factories.initiatives import MembershipFactory


@pytest.fixture
def organiser(db):
    person = UserFactory(display_name="Organiser Oya")
    MembershipFactory(user=person, role=MemberRole.ORGANISER)
    return person


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, removed after the test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def client_for():
    """A function: the signed-in client for a person, or an anonymous client for None."""
    from django.test import Client

    def make(person):
        return logged_in_client(person) if person is not None else Client()

    return make

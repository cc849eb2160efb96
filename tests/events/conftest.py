import pytest

from beacon.initiatives.enums import MemberRole
from tests.factories.accounts import UserFactory
from tests.factories.events import EventSeriesFactory
from tests.factories.initiatives import InitiativeFactory, MembershipFactory, TrainingRecordFactory


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def initiative(db):
    return InitiativeFactory(name="Riverside test circle")


@pytest.fixture
def organiser(initiative):
    user = UserFactory(display_name="Organiser Ola")
    MembershipFactory(initiative=initiative, user=user, role=MemberRole.ORGANISER)
    return user


@pytest.fixture
def facilitator(initiative):
    user = UserFactory(display_name="Facilitator Fay")
    MembershipFactory(initiative=initiative, user=user, role=MemberRole.FACILITATOR)
    TrainingRecordFactory(user=user)
    return user


@pytest.fixture
def series(initiative, organiser):
    return EventSeriesFactory(initiative=initiative, created_by=organiser)


@pytest.fixture
def occurrence(series):
    return series.occurrences.order_by("starts_at").first()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs what the block queued for after commit (mail) at its end."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run

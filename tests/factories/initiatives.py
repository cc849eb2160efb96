import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from beacon.initiatives.enums import (
    ApplicationState,
    InitiativeStatus,
    MemberRole,
    MembershipState,
    Setting,
    TrainingKind,
)
from beacon.initiatives.models import (
    Initiative,
    InitiativeActivity,
    InitiativeAudience,
    Membership,
    TrainingRecord,
    VolunteerApplication,
    VolunteerRole,
    VolunteerShift,
)
from tests.factories.accounts import UserFactory

MISSION = "We meet every week so nobody in our neighbourhood has to face hard times alone."


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A listed urban initiative in Portland, OR, with one audience and one activity."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Peer circle {n}")
    mission = MISSION
    description = "We are a small group of neighbours. **Everyone is welcome.**"
    setting = Setting.URBAN
    place_name = "Portland, OR, US"
    latitude = 45.52345
    longitude = -122.67621
    country = "US"
    areas_served = "North and Northeast Portland"
    status = InitiativeStatus.LISTED
    listed_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def audiences(obj, create, extracted, **kwargs):
        if create:
            for value in extracted if extracted is not None else ["adults"]:
                InitiativeAudience.objects.create(initiative=obj, audience=value)

    @factory.post_generation
    def activities(obj, create, extracted, **kwargs):
        if create:
            for value in extracted if extracted is not None else ["support_groups"]:
                InitiativeActivity.objects.create(initiative=obj, activity=value)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.MEMBER
    state = MembershipState.ACTIVE


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    user = factory.SubFactory(UserFactory)
    kind = TrainingKind.FACILITATOR
    completed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    expires_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=335))


class VolunteerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerRole

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Welcome volunteer {n}")
    description = "Greet people at the door and make the tea."
    time_commitment = "Two hours a week"
    requirements = factory.LazyFunction(list)
    is_open = True


class VolunteerApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerApplication

    role = factory.SubFactory(VolunteerRoleFactory)
    user = factory.SubFactory(UserFactory)
    state = ApplicationState.REQUESTED
    message = "I would love to help."


class VolunteerShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerShift

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(datetime.date.today)
    hours = Decimal("2.5")

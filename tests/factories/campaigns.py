import datetime

import factory
from django.utils import timezone

from beacon.campaigns.enums import CampaignState, CommitmentState, PledgeKind
from beacon.campaigns.models import (
    CallForStories,
    Campaign,
    CheckIn,
    OrganisationCommitment,
    Pledge,
    Signature,
    ToolkitSnippet,
)
from tests.factories.accounts import UserFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    """A published campaign that started a week ago and runs for three more weeks."""

    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Talk about it, round {n}")
    goal = "More honest conversations about mental health."
    description = "Ask someone how they are **really** doing."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))
    state = CampaignState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    campaign = factory.SubFactory(CampaignFactory)
    kind = PledgeKind.PERSONAL
    title = factory.Sequence(lambda n: f"I will ask, pledge {n}")
    statement = "I will ask one person how they are really doing."
    goal = 100
    followup_7_action = "Message someone you have not heard from in a while."
    followup_30_action = "Check in again with the person you talked to."


class SignatureFactory(factory.django.DjangoModelFactory):
    """A confirmed guest signature. Keeps the pledge's counter in step, like the services."""

    class Meta:
        model = Signature
        skip_postgeneration_save = True

    pledge = factory.SubFactory(PledgeFactory)
    email = factory.Sequence(lambda n: f"signer{n}@guests.example")
    name = "Sam"
    show_name = False
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def counted(obj, create, extracted, **kwargs):
        if create and obj.confirmed_at is not None:
            Pledge.objects.filter(pk=obj.pledge_id).update(
                signature_count=Signature.objects.filter(
                    pledge_id=obj.pledge_id, confirmed_at__isnull=False
                ).count()
            )


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallForStories

    campaign = factory.SubFactory(CampaignFactory)
    prompt = "Tell us about a conversation that helped"
    is_open = True
    closed_at = factory.LazyAttribute(lambda call: None if call.is_open else timezone.now())


class SnippetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolkitSnippet

    campaign = factory.SubFactory(CampaignFactory)
    title = "A post for social media"
    text = "I signed the pledge. Will you?"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationCommitment

    pledge = factory.SubFactory(PledgeFactory, kind=PledgeKind.ORGANISATIONAL)
    organisation_name = factory.Sequence(lambda n: f"Riverside Library {n}")
    representative = factory.SubFactory(UserFactory)
    action_plan = "We will open a quiet room and train every team lead this year."
    state = CommitmentState.PUBLISHED


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    commitment = factory.SubFactory(CommitmentFactory)
    on = factory.LazyFunction(timezone.localdate)
    progress = "The quiet room opened on Monday."

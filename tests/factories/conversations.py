from datetime import timedelta

import factory
from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.conversations.enums import AnswerState
from beacon.conversations.models import Answer, Conversation, Lens, Question
from tests.factories.accounts import UserFactory

QUESTIONS = [
    ("self", "What is one small thing that helps you on a hard day?"),
    ("society", "Who around you made a difference, and how?"),
    ("system", "What would you change about how services support people?"),
]


def lens_for(slug: str) -> Lens:
    """A default lens (recreated when a transactional test flushed the migration's rows)."""
    lens, _ = Lens.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
    return lens


class ConversationFactory(factory.django.DjangoModelFactory):
    """An open conversation (started an hour ago, ends in an hour) with three questions."""

    class Meta:
        model = Conversation
        skip_postgeneration_save = True

    host = factory.SubFactory(UserFactory, role=Role.MODERATOR)
    title = factory.Sequence(lambda n: f"Small things that help, part {n}")
    introduction = "Share what helps. Be gentle with each other."
    time_zone = "Europe/London"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if create:
            for position, (slug, text) in enumerate(extracted or QUESTIONS):
                Question.objects.create(
                    conversation=obj, position=position, text=text, lens=lens_for(slug)
                )


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    conversation = factory.SubFactory(ConversationFactory)
    question = factory.LazyAttribute(lambda o: o.conversation.questions.first())
    author = factory.SubFactory(UserFactory)
    body = "Making my bed, even badly. One thing done before the day decides anything."
    state = AnswerState.PUBLISHED

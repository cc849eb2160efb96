"""Each permission predicate agrees with its queryset twin, for every kind of person."""

import pytest
from django.contrib.auth.models import AnonymousUser

from beacon.accounts.enums import Role
from beacon.conversations.enums import AnswerState
from beacon.conversations.queries import (
    answers_visible_to,
    conversations_managed_by,
    conversations_visible_to,
)
from beacon.conversations.rules import (
    can_manage_conversation,
    can_schedule_conversation,
    can_view_answer,
    can_view_conversation,
)
from tests.factories.accounts import UserFactory
from tests.factories.conversations import AnswerFactory, ConversationFactory

pytestmark = pytest.mark.django_db


def test_answer_visibility_rule_and_query_agree(conversation, organiser):
    author = UserFactory()
    answers = [
        AnswerFactory(conversation=conversation, author=author),
        AnswerFactory(conversation=conversation, author=author, state=AnswerState.HELD),
        AnswerFactory(conversation=conversation, author=author, state=AnswerState.REMOVED),
        AnswerFactory(conversation=conversation, author=author, host_hidden=True),
        AnswerFactory(conversation=conversation, author=author, is_hidden=True),
        AnswerFactory(conversation=conversation, author=UserFactory(), state=AnswerState.HELD),
    ]
    people = [
        AnonymousUser(),
        UserFactory(),
        author,
        organiser,
        UserFactory(role=Role.MODERATOR),
        UserFactory(role=Role.ADMIN),
        UserFactory(is_active=False),
    ]

    for person in people:
        by_rule = {a.pk for a in answers if can_view_answer(person, a)}
        by_query = set(answers_visible_to(person, conversation).values_list("pk", flat=True))
        assert by_rule == by_query, person


def test_conversation_rules_and_queries_agree(organiser):
    conversations = [ConversationFactory(host=organiser), ConversationFactory()]
    people = [AnonymousUser(), UserFactory(), organiser, UserFactory(role=Role.MODERATOR)]

    for person in people:
        assert {c.pk for c in conversations if can_view_conversation.test(person, c)} == set(
            conversations_visible_to(person).values_list("pk", flat=True)
        )
        assert {c.pk for c in conversations if can_manage_conversation.test(person, c)} == set(
            conversations_managed_by(person).values_list("pk", flat=True)
        )


def test_who_may_schedule(organiser, member, moderator, admin_user):
    assert [can_schedule_conversation(p) for p in (AnonymousUser(), member, organiser)] == [
        False,
        False,
        True,
    ]
    assert can_schedule_conversation(moderator) and can_schedule_conversation(admin_user)

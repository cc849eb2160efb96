"""The permission predicates and their queryset twins agree, for every person and story."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from beacon.accounts.enums import Role
from beacon.stories.enums import Consent, StoryState
from beacon.stories.queries import stories_visible_to
from tests.factories.accounts import UserFactory
from tests.factories.stories import StoryFactory

pytestmark = pytest.mark.django_db


def test_can_view_story_agrees_with_stories_visible_to():
    author = UserFactory()
    viewers = [
        AnonymousUser(),
        UserFactory(),
        author,
        UserFactory(role=Role.MODERATOR),
        UserFactory(role=Role.ADMIN),
    ]
    stories = [
        StoryFactory(author=author, state=state, is_hidden=hidden, hero_consent=consent)
        for state, hidden, consent in itertools.product(
            StoryState.values, (False, True), (Consent.NOT_NEEDED, Consent.PENDING)
        )
    ]

    for viewer in viewers:
        by_rule = {s.pk for s in stories if viewer.has_perm("stories.view_story", s)}
        by_query = set(stories_visible_to(viewer).values_list("pk", flat=True))
        assert by_rule == by_query, viewer


def test_strangers_see_only_public_stories():
    public = StoryFactory()
    StoryFactory(state=StoryState.PENDING)
    StoryFactory(is_hidden=True)
    StoryFactory(hero_consent=Consent.PENDING)

    assert list(stories_visible_to(AnonymousUser())) == [public]

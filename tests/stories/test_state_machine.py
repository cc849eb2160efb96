"""Every pair of story states: the allowed ones succeed, every other one is refused."""

import itertools

import pytest

from beacon.core.errors import InvalidTransition
from beacon.core.models import AuditEntry
from beacon.stories.enums import TRANSITIONS, StoryState
from beacon.stories.services import set_story_state
from tests.factories.stories import StoryFactory

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.permutations(StoryState.values, 2))


@pytest.mark.parametrize(("old", "new"), sorted(TRANSITIONS))
def test_allowed_transition_changes_state_and_is_audited(old, new):
    story = StoryFactory(state=old, published_at=None)

    set_story_state(story, new, actor=story.author, message="why")

    story.refresh_from_db()
    assert story.state == new
    assert AuditEntry.objects.filter(action=f"stories.story.{new}", target_id=story.code).exists()


@pytest.mark.parametrize(("old", "new"), [p for p in ALL_PAIRS if p not in TRANSITIONS])
def test_refused_transition_raises_and_changes_nothing(old, new):
    story = StoryFactory(state=old)

    with pytest.raises(InvalidTransition):
        set_story_state(story, new, actor=story.author)

    story.refresh_from_db()
    assert story.state == old


def test_publishing_sets_published_at_once_and_clears_the_moderator_message():
    story = StoryFactory(state=StoryState.PENDING, published_at=None, moderator_message="old")

    set_story_state(story, StoryState.PUBLISHED, actor=None)

    story.refresh_from_db()
    assert story.published_at is not None and story.moderator_message == ""


def test_requesting_changes_keeps_the_message_for_the_author():
    story = StoryFactory(state=StoryState.PENDING)

    set_story_state(story, StoryState.CHANGES, actor=None, message="Please remove the street name.")

    story.refresh_from_db()
    assert story.moderator_message == "Please remove the street name."

"""Permission predicates for stories (django-rules). Each has a queryset twin in queries.py;
tests/stories/test_rules.py proves they agree."""

from __future__ import annotations

import rules

from beacon.accounts.rules import is_member, is_moderator
from beacon.stories.enums import EDITABLE_STATES, PUBLIC_CONSENT, StoryState


def story_is_public(story) -> bool:  # type: ignore[no-untyped-def]
    return (
        story.state == StoryState.PUBLISHED
        and not story.is_hidden
        and story.hero_consent in PUBLIC_CONSENT
    )


@rules.predicate
def is_story_author(user, story) -> bool:  # type: ignore[no-untyped-def]
    return bool(story is not None and user.is_authenticated and story.author_id == user.pk)


@rules.predicate
def is_public_story(user, story) -> bool:  # type: ignore[no-untyped-def]
    return story is not None and story_is_public(story)


@rules.predicate
def story_is_editable(user, story) -> bool:  # type: ignore[no-untyped-def]
    return story is not None and story.state in EDITABLE_STATES


can_view_story = is_public_story | is_story_author | is_moderator
can_edit_story = is_story_author & story_is_editable
can_respond_to_story = is_member & is_public_story

rules.add_perm("stories.view_story", can_view_story)
rules.add_perm("stories.change_story", can_edit_story)
rules.add_perm("stories.delete_story", is_story_author)
rules.add_perm("stories.respond_story", can_respond_to_story)
rules.add_perm("stories.moderate_story", is_moderator)

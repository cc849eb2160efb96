"""How the moderation queue reads and decides stories and comments."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from beacon.moderation.enums import Action
from beacon.moderation.registry import ModeratedType, register_moderated
from beacon.stories.enums import CommentState, StoryState
from beacon.stories.models import Comment, Story
from beacon.stories.services import set_comment_state, set_story_state, story_text

STORY_OUTCOME = {
    Action.APPROVE: StoryState.PUBLISHED,
    Action.REQUEST_CHANGES: StoryState.CHANGES,
    Action.DECLINE: StoryState.DECLINED,
    Action.REMOVE: StoryState.REMOVED,
}


def _story_actions(story: Story) -> list[str]:
    if story.state == StoryState.PENDING:
        return [Action.APPROVE, Action.REQUEST_CHANGES, Action.DECLINE]
    if story.state == StoryState.PUBLISHED:
        return [Action.KEEP, Action.REMOVE]
    return []


def _apply_story(story: Story, action: str, *, actor: Any, message: str) -> None:
    if action == Action.KEEP:
        return
    set_story_state(story, STORY_OUTCOME[action], actor=actor, message=message)


def _hide(obj: Any, hidden: bool) -> None:
    type(obj).objects.filter(pk=obj.pk).update(is_hidden=hidden)
    obj.is_hidden = hidden


def _comment_actions(comment: Comment) -> list[str]:
    if comment.state == CommentState.PENDING:
        return [Action.APPROVE, Action.DECLINE]
    if comment.state == CommentState.PUBLISHED:
        return [Action.KEEP, Action.REMOVE]
    return []


def _apply_comment(comment: Comment, action: str, *, actor: Any, message: str) -> None:
    outcome = {
        Action.APPROVE: CommentState.PUBLISHED,
        Action.DECLINE: CommentState.DECLINED,
        Action.REMOVE: CommentState.REMOVED,
    }.get(action)
    if outcome:
        set_comment_state(comment, outcome, actor=actor, message=message)


register_moderated(
    ModeratedType(
        model=Story,
        label="story",
        title=lambda s: str(s),
        text=story_text,
        author=lambda s: s.author,
        apply_decision=_apply_story,
        hide=_hide,
        public_url=lambda s: reverse("stories:detail", args=[s.code]) if s.is_public else "",
        author_url=lambda s: reverse("stories:mine"),
        allowed_actions=_story_actions,
    )
)

register_moderated(
    ModeratedType(
        model=Comment,
        label="comment",
        title=lambda c: f"Comment on “{c.story}”",
        text=lambda c: c.body,
        author=lambda c: c.author,
        apply_decision=_apply_comment,
        hide=_hide,
        public_url=lambda c: reverse("stories:detail", args=[c.story.code]),
        author_url=lambda c: reverse("stories:detail", args=[c.story.code]),
        allowed_actions=_comment_actions,
    )
)

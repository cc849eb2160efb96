"""Reading stories with their visibility rules (the queryset twins of rules.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from beacon.accounts.enums import Role
from beacon.stories.enums import CommentState
from beacon.stories.models import Comment, Story, StoryTheme, StoryWarning, public_story_q


def _with_card_data(qs: QuerySet[Story]) -> QuerySet[Story]:
    return qs.select_related("author").prefetch_related(
        Prefetch("themes", queryset=StoryTheme.objects.order_by("theme")),
        Prefetch("warnings", queryset=StoryWarning.objects.order_by("slug")),
    )


def public_stories() -> QuerySet[Story]:
    """Stories anyone may read: published, not hidden by reports, consent settled."""
    return Story.objects.filter(public_story_q())


def stories_visible_to(user: Any) -> QuerySet[Story]:
    """Stories `user` may open: public ones, their own, and all of them for moderators."""
    if getattr(user, "is_authenticated", False) and user.has_role(Role.MODERATOR):
        return Story.objects.all()
    if getattr(user, "is_authenticated", False):
        return Story.objects.filter(public_story_q() | Q(author=user))
    return public_stories()


def feed(
    *,
    kind: str = "",
    theme: str = "",
    hero_category: str = "",
    hidden_warnings: frozenset[str] = frozenset(),
) -> QuerySet[Story]:
    """The public feed, newest first, filtered; stories with a hidden warning left out."""
    qs = public_stories()
    if kind:
        qs = qs.filter(kind=kind)
    if theme:
        qs = qs.filter(themes__theme=theme)
    if hero_category:
        qs = qs.filter(hero_category=hero_category)
    if hidden_warnings:
        qs = qs.exclude(warnings__slug__in=hidden_warnings)
    return _with_card_data(qs.order_by("-published_at", "-id"))


def stories_by(user: Any) -> QuerySet[Story]:
    """A person's own stories, most recently changed first."""
    return _with_card_data(Story.objects.filter(author=user).order_by("-updated_at"))


def published_comments(story: Story) -> QuerySet[Comment]:
    return story.comments.filter(state=CommentState.PUBLISHED, is_hidden=False).select_related(
        "author"
    )


def related_stories(story: Story, *, limit: int = 3) -> list[Story]:
    """Other public stories sharing a theme with `story`, newest first."""
    themes = [t.theme for t in story.themes.all()]
    if not themes:
        return []
    # A subquery, not a join: no DISTINCT, and the newest-first index stops after `limit`.
    sharing = StoryTheme.objects.filter(theme__in=themes).values("story_id")
    return list(
        _with_card_data(
            public_stories().filter(pk__in=sharing).exclude(pk=story.pk).order_by("-published_at")
        )[:limit]
    )


def access_story(user: Any, code: str) -> Story | None:
    """The story with `code` if `user` may see it, else None (callers answer 404)."""
    return _with_card_data(stories_visible_to(user)).filter(code=code).first()

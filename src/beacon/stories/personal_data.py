"""Personal-data handlers for stories: export as Markdown and JSON; delete or anonymise."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import F

from beacon.core.personal_data import ErasureMode, registry
from beacon.stories.enums import Byline
from beacon.stories.models import Comment, Reaction, Story, StoryRevision, StoryTheme, StoryWarning


def story_markdown(story: Story) -> str:
    """The story as a Markdown document with a small front matter."""
    lines = [
        "---",
        f"title: {json.dumps(story.title, ensure_ascii=False)}",
        f"kind: {story.kind}",
        f"state: {story.state}",
        f"themes: {', '.join(story.theme_slugs)}",
        f"content_warnings: {', '.join(story.warning_slugs)}",
        f"byline: {story.byline}" + (f" ({story.pen_name})" if story.pen_name else ""),
        f"created: {story.created_at.isoformat()}",
        "---",
        "",
        f"# {story.title}",
        "",
        story.body,
        "",
    ]
    return "\n".join(lines)


def _export_stories(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "kind": s.kind,
            "state": s.state,
            "title": s.title,
            "body": s.body,
            "themes": s.theme_slugs,
            "content_warnings": s.warning_slugs,
            "byline": s.byline,
            "pen_name": s.pen_name,
            "hero": {
                "category": s.hero_category,
                "name": s.hero_name,
                "living": s.hero_living,
                "consent": s.hero_consent,
            }
            if s.kind == "tribute"
            else None,
            "created_at": s.created_at.isoformat(),
            "published_at": s.published_at.isoformat() if s.published_at else None,
            "revisions": [
                {"at": r.created_at.isoformat(), "title": r.title, "body": r.body}
                for r in s.revisions.all()
            ],
            "markdown": story_markdown(s),
        }
        for s in Story.objects.filter(author=user).prefetch_related(
            "themes", "warnings", "revisions"
        )
    ]


def _erase_stories(user: Any, mode: ErasureMode) -> None:
    stories = Story.objects.filter(author=user)
    if mode == ErasureMode.DELETE:
        stories.delete()
    else:
        # Published words stay for the community; nothing links them to the person.
        stories.update(author=None, byline=Byline.ANONYMOUS, pen_name="")


def _export_comments(user: Any) -> list[dict[str, Any]]:
    return [
        {"story": c.story.code, "at": c.created_at.isoformat(), "state": c.state, "body": c.body}
        for c in Comment.objects.filter(author=user).select_related("story")
    ]


def _erase_comments(user: Any, mode: ErasureMode) -> None:
    comments = Comment.objects.filter(author=user)
    if mode == ErasureMode.DELETE:
        for story_id in comments.filter(state="published").values_list("story_id", flat=True):
            Story.objects.filter(pk=story_id).update(comment_count=F("comment_count") - 1)
        comments.delete()
    else:
        comments.update(author=None)


def _export_reactions(user: Any) -> list[dict[str, Any]]:
    return [
        {"story": r.story.code, "kind": r.kind, "at": r.created_at.isoformat()}
        for r in Reaction.objects.filter(user=user).select_related("story")
    ]


def _erase_reactions(user: Any, mode: ErasureMode) -> None:
    # Reactions are anonymous counts to readers; the counters stay as they are.
    Reaction.objects.filter(user=user).delete()


registry.register(Story, section="stories", export=_export_stories, erase=_erase_stories, order=10)
registry.register(
    Comment, section="comments", export=_export_comments, erase=_erase_comments, order=10
)
registry.register(
    Reaction, section="reactions", export=_export_reactions, erase=_erase_reactions, order=10
)
registry.exempt(StoryRevision, reason="Belongs to a Story; exported and erased with it.")
registry.exempt(StoryTheme, reason="A tag on a Story; holds nothing about a person.")
registry.exempt(StoryWarning, reason="A tag on a Story; holds nothing about a person.")

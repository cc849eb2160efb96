"""Demo stories and tributes, written by us, loaded from data/demo_stories.json."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.db.models import F
from django.utils import timezone

from beacon.accounts.models import User
from beacon.core.demo import register_demo
from beacon.moderation.services import enqueue_for_review
from beacon.stories.enums import CommentState, Consent, StoryKind
from beacon.stories.models import Comment, Story, StoryRevision, StoryTheme, StoryWarning
from beacon.stories.services import add_comment, assess_story

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_stories.json"
AUTHORS = {
    "member": "member@demo.beacon.example",
    "member2": "member2@demo.beacon.example",
    "moderator": "moderator@demo.beacon.example",
}


@register_demo("stories", order=20)
def seed() -> str:
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    authors = {key: User.objects.filter(email=email).first() for key, email in AUTHORS.items()}
    created = 0
    for item in data["stories"]:
        # The demo slug is kept as the first revision's title marker: idempotent by title.
        if Story.objects.filter(title=item["title"]).exists():
            continue
        when = timezone.now() - timedelta(days=item.get("days_ago", 1))
        hero = item.get("hero") or {}
        story = Story(
            author=authors.get(item["author"]),
            kind=item["kind"],
            title=item["title"],
            body=item["body"],
            state=item["state"],
            byline=item["byline"],
            pen_name=item.get("pen_name", ""),
            moderator_message=item.get("moderator_message", ""),
            submitted_at=when,
            published_at=when if item["state"] == "published" else None,
        )
        if item["kind"] == StoryKind.TRIBUTE:
            story.hero_category = hero.get("category", "")
            story.hero_name = hero.get("name", "")
            story.hero_living = hero.get("living", True)
            story.hero_consent = hero.get("consent", Consent.NOT_NEEDED)
            story.hero_naming = hero.get("naming", "full")
            story.posthumous_declaration = not story.hero_living
        assess_story(story)
        story.save()
        Story.objects.filter(pk=story.pk).update(created_at=when, updated_at=when)
        StoryTheme.objects.bulk_create(StoryTheme(story=story, theme=t) for t in item["themes"])
        StoryWarning.objects.bulk_create(
            StoryWarning(story=story, slug=w) for w in item["content_warnings"]
        )
        StoryRevision.objects.create(story=story, title=story.title, body=story.body)
        if story.state == "pending_review":
            enqueue_for_review(story, assessment=story.assessment)
        created += 1
    if created:
        _seed_conversation(authors)
    return f"{Story.objects.count()} stories ({created} new)"


DEMO_COMMENTS = [
    # (story title, author key, text)
    (
        "Packed lunches for two",
        "member2",
        "The part about the note in the lunchbox got me. Thank you for writing this.",
    ),
    ("Day 1,000 was a Tuesday", "member", "Ordinary Tuesdays are the best kind. Congratulations."),
    (
        "Forty-one years, and then the quiet",
        "member2",
        "My dad said almost the same thing after Mum died. I'm going to show him this.",
    ),
]
# Held for moderators: how the queue looks when someone may be at risk.
DEMO_HELD_COMMENT = (
    "Reading this tonight. I don't know how much longer I can keep going like "
    "this. Some nights I think everyone would be better off without me."
)


def _seed_conversation(authors: dict[str, User | None]) -> None:
    for title, author_key, text in DEMO_COMMENTS:
        story = Story.objects.filter(title=title).first()
        if story is None or authors.get(author_key) is None:
            continue
        # Published as if a moderator had approved them long ago (no open case).
        Comment.objects.create(
            story=story, author=authors[author_key], body=text, state=CommentState.PUBLISHED
        )
        Story.objects.filter(pk=story.pk).update(comment_count=F("comment_count") + 1)
    story = Story.objects.filter(state="published").order_by("published_at").first()
    if story is not None and authors.get("member") is not None:
        add_comment(story, author=authors["member"], body=DEMO_HELD_COMMENT)

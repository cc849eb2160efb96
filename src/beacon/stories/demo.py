"""Demo stories and tributes, written by us, loaded from data/demo_stories.json."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from beacon.accounts.models import User
from beacon.core.demo import register_demo
from beacon.moderation.services import enqueue_for_review
from beacon.stories.enums import Consent, StoryKind
from beacon.stories.models import Story, StoryRevision, StoryTheme, StoryWarning
from beacon.stories.services import assess_story

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
    return f"{Story.objects.count()} stories ({created} new)"

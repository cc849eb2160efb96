"""Stories (recovery stories and hero tributes), their revisions, reactions and comments.

State changes go through `services.set_story_state` only; see docs/developer/domain.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from beacon.core.models import PublicCodeModel, TimestampedModel
from beacon.stories.enums import (
    PUBLIC_CONSENT,
    Byline,
    CommentState,
    Consent,
    HeroCategory,
    HeroNaming,
    ReactionKind,
    StoryKind,
    StoryState,
    Theme,
)


class Story(PublicCodeModel, TimestampedModel):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    kind = models.CharField(max_length=10, choices=StoryKind.choices, default=StoryKind.RECOVERY)
    title = models.CharField(max_length=140, blank=True)
    body = models.TextField(blank=True, help_text="Markdown")
    state = models.CharField(
        max_length=20, choices=StoryState.choices, default=StoryState.DRAFT, db_index=True
    )
    byline = models.CharField(max_length=15, choices=Byline.choices, default=Byline.DISPLAY_NAME)
    pen_name = models.CharField(max_length=60, blank=True)
    moderator_message = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    is_hidden = models.BooleanField(default=False, help_text="Hidden after reports, until reviewed")
    # The engine's latest reading of the text, for the writer's assistant and moderators.
    risk = models.CharField(max_length=10, default="none")
    assessment = models.JSONField(default=dict, blank=True)
    # Hero tributes
    hero_category = models.CharField(max_length=20, choices=HeroCategory.choices, blank=True)
    hero_name = models.CharField(max_length=120, blank=True)
    hero_living = models.BooleanField(default=True)
    hero_email = models.EmailField(blank=True, help_text="Deleted once the hero has answered")
    hero_consent = models.CharField(
        max_length=12, choices=Consent.choices, default=Consent.NOT_NEEDED
    )
    hero_naming = models.CharField(
        max_length=10, choices=HeroNaming.choices, default=HeroNaming.FULL
    )
    posthumous_declaration = models.BooleanField(default=False)
    # The public code of a call for stories this story answers (e.g. a campaign's), or ''.
    # Generic on purpose: stories never import the app that issued the call.
    prompt_code = models.CharField(max_length=40, blank=True, db_index=True)
    # Counters kept in step with their rows by the services (F() updates in one transaction).
    comment_count = models.PositiveIntegerField(default=0)
    thanks_count = models.PositiveIntegerField(default=0)
    hope_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "stories"
        indexes = [
            models.Index(
                fields=["state", "is_hidden", "hero_consent", "-published_at"],
                name="stories_public_feed",
            ),
        ]

    def __str__(self) -> str:
        return self.title or "Untitled story"

    @property
    def is_public(self) -> bool:
        return (
            self.state == StoryState.PUBLISHED
            and not self.is_hidden
            and self.hero_consent in PUBLIC_CONSENT
        )

    @property
    def byline_name(self) -> str:
        """The name readers see for the writer."""
        if self.byline == Byline.PEN_NAME and self.pen_name:
            return self.pen_name
        if self.byline == Byline.DISPLAY_NAME and self.author is not None:
            return self.author.display_name
        return "Anonymous"

    @property
    def hero_public_name(self) -> str:
        """The hero's name as the hero chose to be named."""
        if self.hero_naming == HeroNaming.ANONYMOUS:
            return f"A {self.get_hero_category_display().lower()}"
        if self.hero_naming == HeroNaming.FIRST:
            return self.hero_name.split()[0] if self.hero_name.split() else ""
        return self.hero_name

    @property
    def warning_slugs(self) -> list[str]:
        return [w.slug for w in self.warnings.all()]

    @property
    def theme_slugs(self) -> list[str]:
        return [t.theme for t in self.themes.all()]

    def reaction_count(self, kind: str) -> int:
        return getattr(self, f"{kind}_count")


class StoryTheme(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=40, choices=Theme.choices, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "theme"], name="stories_theme_once")
        ]

    def __str__(self) -> str:
        return self.get_theme_display()


class StoryWarning(models.Model):
    """A content warning on a story: chosen by the author (the engine only suggests)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="warnings")
    slug = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "slug"], name="stories_warning_once")
        ]

    def __str__(self) -> str:
        return self.slug


class StoryRevision(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=140, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title or 'Untitled'} ({self.created_at:%Y-%m-%d %H:%M})"


class Reaction(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["story", "user", "kind"], name="stories_one_reaction_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.story_id}"


class Comment(PublicCodeModel, TimestampedModel):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="story_comments",
    )
    body = models.TextField(max_length=5000)
    state = models.CharField(
        max_length=10, choices=CommentState.choices, default=CommentState.PENDING
    )
    is_hidden = models.BooleanField(default=False)
    risk = models.CharField(max_length=10, default="none")
    assessment = models.JSONField(default=dict, blank=True)
    moderator_message = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["story", "state", "created_at"])]

    def __str__(self) -> str:
        return f"Comment on {self.story}"

    @property
    def author_name(self) -> str:
        return self.author.display_name if self.author else "A former member"


def public_story_q() -> Q:
    """The condition a story meets to be public (used by queries and the model property)."""
    return Q(state=StoryState.PUBLISHED, is_hidden=False, hero_consent__in=PUBLIC_CONSENT)

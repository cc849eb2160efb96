"""Story workflows: drafting, submitting, the state machine, consent, reactions, comments.

`set_story_state` is the only function that changes `Story.state`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from beacon.accounts.models import User
from beacon.core.audit import log_action
from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused
from beacon.core.mail import queue_templated_email
from beacon.moderation.services import enqueue_for_review
from beacon.stories.enums import (
    TRANSITIONS,
    Byline,
    CommentState,
    Consent,
    HeroNaming,
    ReactionKind,
    StoryKind,
    StoryState,
    Theme,
)
from beacon.stories.models import (
    Comment,
    Reaction,
    Story,
    StoryRevision,
    StoryTheme,
    StoryWarning,
)
from beacon.stories.registry import open_prompt
from beacon_safety import CONTENT_WARNINGS
from beacon_safety import assess as assess_text

WARNING_SLUGS = {slug for slug, _ in CONTENT_WARNINGS}
CONSENT_SALT = "beacon.stories.hero-consent"
CONSENT_MAX_AGE = 60 * 60 * 24 * 30


def story_text(story: Story) -> str:
    """The text the engine reads and moderators see: title, a blank line, the body."""
    return f"{story.title}\n\n{story.body}" if story.title else story.body


def assess_story(story: Story) -> dict[str, Any]:
    """Read the story with beacon_safety and keep the result on the story (not saved)."""
    result = assess_text(story_text(story), kind="story").to_dict()
    story.assessment = result
    story.risk = result["risk"]
    return result


def _require_author(story: Story, actor: User) -> None:
    if story.author_id != actor.pk:
        raise PermissionRefused("Only the author can do this.")


@transaction.atomic
def save_draft(
    story: Story | None,
    *,
    author: User,
    title: str,
    body: str,
    kind: str = StoryKind.RECOVERY,
    byline: str = Byline.DISPLAY_NAME,
    pen_name: str = "",
    themes: Iterable[str] = (),
    warnings: Iterable[str] = (),
    hero: dict[str, Any] | None = None,
    prompt_code: str | None = None,
) -> Story:
    """Create or update a story with what the author typed; keep a revision when text changed.

    Never refuses text: a draft may be empty or half-written. Editing a story that was
    waiting for review, published or declined keeps its state until it is submitted again.
    `prompt_code` (the call for stories it answers) is kept when it is the story's own
    already, or names a prompt that is open now (`registry.open_prompt`); an unknown or
    closed code is ignored, like None, which leaves the story's code as it is.
    """
    if story is None:
        story = Story(author=author)
    else:
        _require_author(story, author)
    text_changed = story.pk is None or (story.title, story.body) != (title, body)
    story.title, story.body = title.strip()[:140], body
    story.kind = kind if kind in StoryKind.values else StoryKind.RECOVERY
    story.byline = byline if byline in Byline.values else Byline.DISPLAY_NAME
    story.pen_name = pen_name.strip()[:60]
    if prompt_code is not None:
        prompt_code = prompt_code.strip()[:40]
        if not prompt_code or prompt_code == story.prompt_code or open_prompt(prompt_code):
            story.prompt_code = prompt_code
    if hero is not None and story.kind == StoryKind.TRIBUTE:
        story.hero_category = hero.get("category", "")
        story.hero_name = hero.get("name", "").strip()[:120]
        story.hero_living = bool(hero.get("living", True))
        story.posthumous_declaration = bool(hero.get("posthumous_declaration", False))
        if story.hero_consent in (Consent.NOT_NEEDED, Consent.PENDING):
            story.hero_email = hero.get("email", "").strip()
    if text_changed:
        assess_story(story)
    story.save()
    _set_tags(story, themes=themes, warnings=warnings)
    if text_changed:
        StoryRevision.objects.create(story=story, title=story.title, body=story.body)
        if story.state == StoryState.PUBLISHED and not _publishes_directly(
            author, story.assessment
        ):
            # Changed words are read again before they are public.
            set_story_state(story, StoryState.PENDING, actor=author)
            enqueue_for_review(story, assessment=story.assessment)
    return story


def _set_tags(story: Story, *, themes: Iterable[str], warnings: Iterable[str]) -> None:
    wanted_themes = {t for t in themes if t in Theme.values}
    wanted_warnings = {w for w in warnings if w in WARNING_SLUGS}
    story.themes.exclude(theme__in=wanted_themes).delete()
    story.warnings.exclude(slug__in=wanted_warnings).delete()
    have_t = set(story.themes.values_list("theme", flat=True))
    have_w = set(story.warnings.values_list("slug", flat=True))
    StoryTheme.objects.bulk_create(StoryTheme(story=story, theme=t) for t in wanted_themes - have_t)
    StoryWarning.objects.bulk_create(
        StoryWarning(story=story, slug=w) for w in wanted_warnings - have_w
    )


def submission_problems(story: Story) -> list[str]:
    """What must be fixed before `story` can go to review, in words for the author."""
    problems = []
    if not story.title.strip():
        problems.append("Give your story a title.")
    if len(story.body.strip()) < 50:
        problems.append("Your story needs a few more words (at least 50 characters).")
    if not story.themes.exists():
        problems.append("Choose at least one theme, so readers can find your story.")
    if story.byline == Byline.PEN_NAME and not story.pen_name:
        problems.append("Write the pen name you want to use, or choose another byline.")
    if story.kind == StoryKind.TRIBUTE:
        if not story.hero_category:
            problems.append("Choose the category of your hero.")
        if not story.hero_name:
            problems.append("Write your hero's name (they choose how it is shown).")
        if (
            story.hero_living
            and story.hero_consent in (Consent.NOT_NEEDED, Consent.PENDING)
            and "@" not in story.hero_email
        ):
            problems.append(
                "Give your hero's email address, so they can agree to be named "
                "(it is deleted once they answer)."
            )
        if not story.hero_living and not story.posthumous_declaration:
            problems.append("Confirm the declaration for a tribute to someone who has died.")
    return problems


def set_story_state(story: Story, new_state: str, *, actor: User | None, message: str = "") -> None:
    """Move `story` to `new_state` if the state machine allows it; audit it.

    Raises InvalidTransition for any pair not in enums.TRANSITIONS. Sets submitted_at /
    published_at, keeps the moderator's message for the author, saves with update_fields.
    """
    old = story.state
    if (old, new_state) not in TRANSITIONS:
        raise InvalidTransition(
            f"A story that is {StoryState(old).label.lower()} cannot become "
            f"{StoryState(new_state).label.lower()}."
        )
    story.state = new_state
    now = timezone.now()
    fields = ["state", "updated_at"]
    if new_state == StoryState.PENDING:
        story.submitted_at = now
        story.moderator_message = ""
        fields += ["submitted_at", "moderator_message"]
    if new_state == StoryState.PUBLISHED:
        story.published_at = story.published_at or now
        story.moderator_message = ""
        fields += ["published_at", "moderator_message"]
    if new_state in (StoryState.CHANGES, StoryState.DECLINED, StoryState.REMOVED):
        story.moderator_message = message
        fields.append("moderator_message")
    story.save(update_fields=fields)
    log_action(
        f"stories.story.{new_state}", actor=actor, target=story, data={"from": old, "to": new_state}
    )


@transaction.atomic
def submit_story(story: Story, *, actor: User) -> list[str]:
    """Send a story to review (or publish it, for trusted authors on sites that allow it).

    Returns the problems that stop submission (nothing changes then). A crisis reading
    never publishes directly: it goes to the crisis lane. A living hero is asked for
    consent by mail; the story stays private until they agree.
    """
    _require_author(story, actor)
    story = Story.objects.select_for_update().get(pk=story.pk)
    problems = submission_problems(story)
    if problems:
        return problems
    assessment = assess_story(story)
    story.save(update_fields=["assessment", "risk", "updated_at"])
    if story.state in (StoryState.WITHDRAWN, StoryState.DECLINED):
        set_story_state(story, StoryState.DRAFT, actor=actor)
    if story.state == StoryState.DRAFT and _publishes_directly(actor, assessment):
        set_story_state(story, StoryState.PUBLISHED, actor=actor)
    elif story.state != StoryState.PUBLISHED or not _publishes_directly(actor, assessment):
        if story.state != StoryState.PENDING:
            set_story_state(story, StoryState.PENDING, actor=actor)
        enqueue_for_review(story, assessment=assessment)
    if (
        story.kind == StoryKind.TRIBUTE
        and story.hero_living
        and story.hero_consent == Consent.NOT_NEEDED
    ):
        request_hero_consent(story)
    return []


def _publishes_directly(author: User, assessment: dict[str, Any]) -> bool:
    """Trusted authors publish without review when the site allows it, unless in crisis."""
    return bool(
        settings.BEACON_TRUSTED_AUTHORS_PUBLISH
        and author.is_trusted_author
        and assessment.get("risk") != "crisis"
    )


def request_hero_consent(story: Story) -> None:
    """Mail the living hero a link to agree (choosing how they are named) or decline."""
    story.hero_consent = Consent.PENDING
    story.save(update_fields=["hero_consent", "updated_at"])
    token = signing.dumps({"s": story.code}, salt=CONSENT_SALT)
    queue_templated_email(
        to=story.hero_email,
        subject="Someone wants to honour you",
        template="stories/email/hero_consent.txt",
        context={"story": story, "consent_path": reverse("stories:consent", args=[token])},
    )
    log_action("stories.story.consent_requested", actor=story.author, target=story)


def story_for_consent_token(token: str) -> Story:
    """Return the story a consent link is for; DomainError when the link is bad or expired."""
    try:
        data = signing.loads(token, salt=CONSENT_SALT, max_age=CONSENT_MAX_AGE)
    except signing.BadSignature as exc:
        raise DomainError(
            "This link has expired or is not valid. Ask the writer to send it again.",
            code="bad_token",
        ) from exc
    story = Story.objects.filter(code=data.get("s")).first()
    if story is None:
        raise DomainError("The tribute this link was for no longer exists.", code="gone")
    return story


@transaction.atomic
def answer_hero_consent(story: Story, *, accept: bool, naming: str = HeroNaming.FULL) -> None:
    """Record the hero's answer; their email address is deleted either way."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.hero_consent != Consent.PENDING:
        raise DomainError("You have already answered. Thank you.", code="answered")
    story.hero_consent = Consent.CONFIRMED if accept else Consent.DECLINED
    story.hero_naming = naming if naming in HeroNaming.values else HeroNaming.FULL
    story.hero_email = ""
    story.save(update_fields=["hero_consent", "hero_naming", "hero_email", "updated_at"])
    log_action(
        "stories.story.consent_" + ("confirmed" if accept else "declined"), actor=None, target=story
    )
    if story.author is not None:
        queue_templated_email(
            to=story.author.email,
            subject="Your hero answered",
            template="stories/email/hero_answered.txt",
            context={"story": story, "accepted": accept, "mine_path": reverse("stories:mine")},
        )


def withdraw_story(story: Story, *, actor: User) -> None:
    """The author takes the story down or out of review; it can be edited and sent again."""
    _require_author(story, actor)
    set_story_state(story, StoryState.WITHDRAWN, actor=actor)


def delete_story(story: Story, *, actor: User) -> None:
    """The author deletes the story, its revisions, reactions and comments for good."""
    _require_author(story, actor)
    log_action("stories.story.deleted", actor=actor, target=story)
    story.delete()


def change_byline(story: Story, *, actor: User, byline: str, pen_name: str = "") -> None:
    """Change how the author is named, also after publishing (no new review needed)."""
    _require_author(story, actor)
    if byline not in Byline.values:
        raise DomainError("Choose one of the bylines offered.")
    if byline == Byline.PEN_NAME and not pen_name.strip():
        raise DomainError("Write the pen name you want to use.")
    story.byline, story.pen_name = byline, pen_name.strip()[:60]
    story.save(update_fields=["byline", "pen_name", "updated_at"])
    log_action("stories.story.byline_changed", actor=actor, target=story, data={"byline": byline})


def _counter(kind: str) -> str:
    return f"{kind}_count"


@transaction.atomic
def toggle_reaction(story: Story, *, user: User, kind: str) -> bool:
    """Add `user`'s reaction of `kind`, or take it back; return whether it is now on.

    One of each kind per person is enforced by a unique constraint, so double clicks and
    races cannot count twice; the counter moves in the same transaction as the row.
    """
    if kind not in ReactionKind.values:
        raise DomainError("That reaction does not exist.")
    if not story.is_public:
        raise DomainError("You can react to published stories only.")
    deleted, _ = Reaction.objects.filter(story=story, user=user, kind=kind).delete()
    if deleted:
        Story.objects.filter(pk=story.pk).update(**{_counter(kind): F(_counter(kind)) - 1})
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(story=story, user=user, kind=kind)
    except IntegrityError:
        return True  # a concurrent request added it: it is on, counted once
    Story.objects.filter(pk=story.pk).update(**{_counter(kind): F(_counter(kind)) + 1})
    return True


@transaction.atomic
def add_comment(story: Story, *, author: User, body: str) -> Comment:
    """Add a comment; it is read by the engine and waits for review like a story."""
    if not story.is_public:
        raise DomainError("You can comment on published stories only.")
    body = body.strip()
    if not body:
        raise DomainError("Write something before sending.")
    result = assess_text(body, kind="comment").to_dict()
    comment = Comment.objects.create(
        story=story, author=author, body=body[:5000], risk=result["risk"], assessment=result
    )
    if _publishes_directly(author, result) and result["risk"] == "none":
        set_comment_state(comment, CommentState.PUBLISHED, actor=author)
    else:
        enqueue_for_review(comment, assessment=result)
    log_action("stories.comment.created", actor=author, target=comment)
    return comment


COMMENT_TRANSITIONS = {
    (CommentState.PENDING, CommentState.PUBLISHED),
    (CommentState.PENDING, CommentState.DECLINED),
    (CommentState.PUBLISHED, CommentState.REMOVED),
}


def set_comment_state(
    comment: Comment, new_state: str, *, actor: User | None, message: str = ""
) -> None:
    """Move a comment along pending → published | declined, published → removed."""
    old = comment.state
    if (old, new_state) not in COMMENT_TRANSITIONS:
        raise InvalidTransition("That change is not possible for this comment.")
    comment.state = new_state
    comment.moderator_message = message
    comment.save(update_fields=["state", "moderator_message", "updated_at"])
    delta = (new_state == CommentState.PUBLISHED) - (old == CommentState.PUBLISHED)
    if delta:
        Story.objects.filter(pk=comment.story_id).update(comment_count=F("comment_count") + delta)
    log_action(f"stories.comment.{new_state}", actor=actor, target=comment)


def set_warning_preferences(user: User | None, prefs: dict[str, str]) -> dict[str, str]:
    """Clean a reader's hide/blur choices; saved on the account when signed in."""
    clean = {k: v for k, v in prefs.items() if k in WARNING_SLUGS and v in ("hide", "blur")}
    if user is not None and user.is_authenticated:
        user.hidden_warnings = clean
        user.save(update_fields=["hidden_warnings"])
    return clean

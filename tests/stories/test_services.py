import pytest
from django.core import mail

from beacon.accounts.enums import Role
from beacon.core.errors import DomainError, PermissionRefused
from beacon.moderation.enums import Lane
from beacon.moderation.models import Case
from beacon.stories import services
from beacon.stories.enums import Byline, CommentState, StoryState
from beacon.stories.models import Comment, Reaction, Story, StoryRevision
from tests.factories.accounts import UserFactory
from tests.factories.stories import BODY, StoryFactory

pytestmark = pytest.mark.django_db

CRISIS_BODY = (
    "I have been holding on for months but tonight I want to end my life. I have "
    "written letters to everyone and I don't want to be here anymore."
)


def draft(author, **overrides):
    fields = {"title": "The long way round", "body": BODY, "themes": ["hope-and-resilience"]}
    fields.update(overrides)
    return services.save_draft(None, author=author, **fields)


def test_save_draft_keeps_a_revision_per_change_of_text(member):
    story = draft(member)
    services.save_draft(
        story,
        author=member,
        title=story.title,
        body=BODY + " More.",
        themes=["hope-and-resilience"],
    )
    services.save_draft(
        story, author=member, title=story.title, body=BODY + " More.", themes=["everyday-life"]
    )

    assert StoryRevision.objects.filter(story=story).count() == 2
    assert story.theme_slugs == ["everyday-life"]
    assert story.state == StoryState.DRAFT


def test_save_draft_accepts_empty_text_and_never_refuses(member):
    story = services.save_draft(None, author=member, title="", body="")

    assert story.pk and story.state == StoryState.DRAFT


def test_only_the_author_can_save_over_a_story(member, other_member):
    story = draft(member)

    with pytest.raises(PermissionRefused):
        services.save_draft(story, author=other_member, title="x", body="y")


def test_submit_lists_what_is_missing_and_changes_nothing(member):
    story = services.save_draft(None, author=member, title="", body="short")

    problems = services.submit_story(story, actor=member)

    story.refresh_from_db()
    assert problems == [
        "Give your story a title.",
        "Your story needs a few more words (at least 50 characters).",
        "Choose at least one theme, so readers can find your story.",
    ]
    assert story.state == StoryState.DRAFT and Case.objects.count() == 0


def test_submit_sends_to_review_lane(member):
    story = draft(member)

    assert services.submit_story(story, actor=member) == []

    story.refresh_from_db()
    case = Case.objects.get()
    assert (story.state, case.lane, case.state) == (StoryState.PENDING, Lane.REVIEW, "open")
    assert not story.is_public


def test_crisis_submission_goes_to_the_crisis_lane_and_alerts_moderators_on_duty(
    member, django_capture_on_commit_callbacks
):
    on_duty = UserFactory(role=Role.MODERATOR, on_duty=True)
    UserFactory(role=Role.MODERATOR, on_duty=False)
    story = draft(member, body=CRISIS_BODY)

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_story(story, actor=member)

    case = Case.objects.get()
    assert (case.lane, case.risk) == (Lane.CRISIS, "crisis")
    alerts = [m for m in mail.outbox if "Crisis flag" in m.subject]
    assert [m.to for m in alerts] == [[on_duty.email]]
    assert CRISIS_BODY[:30] not in alerts[0].body  # the alert carries no text


def test_a_prompt_code_that_no_registered_call_knows_is_not_stored(member):
    story = draft(member, prompt_code="no-such-call")

    assert story.prompt_code == ""


def test_a_story_keeps_its_prompt_code_even_when_the_call_is_gone(member):
    story = draft(member)
    Story.objects.filter(pk=story.pk).update(prompt_code="an-old-call")
    story.refresh_from_db()

    services.save_draft(story, author=member, title="Changed", body=BODY, prompt_code="an-old-call")

    story.refresh_from_db()
    assert (story.title, story.prompt_code) == ("Changed", "an-old-call")


def test_trusted_authors_publish_directly_when_the_site_allows_it(member, settings):
    settings.BEACON_TRUSTED_AUTHORS_PUBLISH = True
    member.is_trusted_author = True
    member.save()
    story = draft(member)

    services.submit_story(story, actor=member)

    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED and Case.objects.count() == 0


def test_trusted_authors_in_crisis_still_go_to_a_moderator(member, settings):
    settings.BEACON_TRUSTED_AUTHORS_PUBLISH = True
    member.is_trusted_author = True
    member.save()
    story = draft(member, body=CRISIS_BODY)

    services.submit_story(story, actor=member)

    story.refresh_from_db()
    assert story.state == StoryState.PENDING and Case.objects.get().lane == Lane.CRISIS


def test_changing_the_words_of_a_published_story_sends_it_back_to_review(member):
    story = StoryFactory(author=member)

    services.save_draft(
        story,
        author=member,
        title=story.title,
        body=BODY + " An update.",
        themes=["hope-and-resilience"],
    )

    story.refresh_from_db()
    assert story.state == StoryState.PENDING and Case.objects.filter(state="open").count() == 1


def test_changing_the_byline_after_publishing_needs_no_review(member):
    story = StoryFactory(author=member)

    services.change_byline(story, actor=member, byline=Byline.PEN_NAME, pen_name="Heron")

    story.refresh_from_db()
    assert (story.state, story.byline_name) == (StoryState.PUBLISHED, "Heron")
    with pytest.raises(DomainError):
        services.change_byline(story, actor=member, byline=Byline.PEN_NAME, pen_name=" ")


def test_withdraw_and_delete_are_the_authors_alone(member, other_member):
    story = StoryFactory(author=member)

    with pytest.raises(PermissionRefused):
        services.withdraw_story(story, actor=other_member)
    services.withdraw_story(story, actor=member)
    assert Story.objects.get(pk=story.pk).state == StoryState.WITHDRAWN
    services.delete_story(story, actor=member)
    assert not Story.objects.filter(pk=story.pk).exists()


def test_reactions_toggle_one_of_each_kind_per_person_with_counts(member, other_member):
    story = StoryFactory()

    assert services.toggle_reaction(story, user=member, kind="hope") is True
    assert services.toggle_reaction(story, user=other_member, kind="hope") is True
    assert services.toggle_reaction(story, user=member, kind="thanks") is True
    assert services.toggle_reaction(story, user=member, kind="hope") is False

    story.refresh_from_db()
    assert (story.hope_count, story.thanks_count, story.me_too_count) == (1, 1, 0)
    assert Reaction.objects.count() == 2
    with pytest.raises(DomainError):
        services.toggle_reaction(story, user=member, kind="downvote")


def test_reactions_are_refused_on_stories_that_are_not_public(member):
    story = StoryFactory(state=StoryState.PENDING)

    with pytest.raises(DomainError):
        services.toggle_reaction(story, user=member, kind="hope")


def test_comments_wait_for_review_and_count_once_published(member):
    story = StoryFactory()

    comment = services.add_comment(story, author=member, body="This helped me, thank you.")

    assert comment.state == CommentState.PENDING
    assert Case.objects.get().lane == Lane.REVIEW
    services.set_comment_state(comment, CommentState.PUBLISHED, actor=None)
    story.refresh_from_db()
    assert story.comment_count == 1


def test_a_crisis_comment_goes_to_the_crisis_lane(member):
    story = StoryFactory()

    comment = services.add_comment(story, author=member, body=CRISIS_BODY)

    assert comment.risk == "crisis" and Case.objects.get().lane == Lane.CRISIS
    assert Comment.objects.get().state == CommentState.PENDING


def test_warning_preferences_keep_only_known_topics_and_choices(member):
    clean = services.set_warning_preferences(
        member, {"suicide": "hide", "self-harm": "blur", "nonsense": "hide", "abuse": "show"}
    )

    member.refresh_from_db()
    assert clean == member.hidden_warnings == {"suicide": "hide", "self-harm": "blur"}

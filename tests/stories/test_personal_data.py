import json

import pytest

from beacon.accounts.services import close_account
from beacon.core.personal_data import ErasureMode
from beacon.moderation.models import Report
from beacon.moderation.services import report_item
from beacon.stories import services
from beacon.stories.models import Comment, Reaction, Story
from tests.factories.stories import CommentFactory, StoryFactory

pytestmark = pytest.mark.django_db


def test_download_includes_stories_as_markdown_and_json(member_client, member):
    story = StoryFactory(author=member, title="Salt and rain", warnings=["grief-and-loss"])
    CommentFactory(author=member, story=StoryFactory())

    data = json.loads(member_client.post("/accounts/my-data/").content)["data"]

    exported = data["stories"][0]
    assert (exported["code"], exported["title"], exported["content_warnings"]) == (
        story.code,
        "Salt and rain",
        ["grief-and-loss"],
    )
    assert exported["markdown"].startswith('---\ntitle: "Salt and rain"')
    assert "# Salt and rain" in exported["markdown"]
    assert len(data["comments"]) == 1


def test_closing_with_delete_removes_stories_comments_and_reactions(member, other_member):
    mine = StoryFactory(author=member)
    theirs = StoryFactory(author=other_member, comment_count=1)
    CommentFactory(author=member, story=theirs)
    services.toggle_reaction(theirs, user=member, kind="hope")
    report_item(theirs, reporter=member, reason="other", note="private note")

    close_account(member, mode=ErasureMode.DELETE, actor=member)

    theirs.refresh_from_db()
    assert not Story.objects.filter(pk=mine.pk).exists()
    assert Comment.objects.count() == 0 and Reaction.objects.count() == 0
    assert theirs.comment_count == 0
    assert Report.objects.get().reporter is None and Report.objects.get().note == ""


def test_closing_with_anonymise_keeps_stories_without_a_name(member):
    story = StoryFactory(author=member, byline="pen_name", pen_name="Heron")

    close_account(member, mode=ErasureMode.ANONYMISE, actor=member)

    story.refresh_from_db()
    assert (story.author, story.byline_name, story.state) == (None, "Anonymous", "published")

"""Journeys through stories and moderation, in the browser, with htmx doing its part."""

import pytest

from beacon.accounts.enums import Role
from beacon.moderation.services import enqueue_for_review
from beacon.stories.enums import StoryState
from beacon.stories.models import Story
from tests.browser.conftest import assert_accessible
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.stories import BODY, CommentFactory, StoryFactory


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/")


def test_write_get_help_submit_approve_and_read(page, browser, live_server):
    writer = UserFactory(display_name="Wren")
    moderator = UserFactory(role=Role.MODERATOR)
    sign_in(page, writer)
    page.goto("/stories/write/")
    assert_accessible(page)

    page.get_by_label("Title").fill("The winter I stopped answering")
    page.get_by_label("Your story").fill(
        "Some nights are very hard. I want to end my life and I don't know who to tell."
    )
    # The live assistant answers while typing: calm help, writing is not blocked.
    page.get_by_role("link", name="Talk to someone now").wait_for()
    assert_accessible(page)
    page.get_by_text("Draft saved at").wait_for()  # autosave reached the server
    assert Story.objects.get(author=writer).title == "The winter I stopped answering"

    page.get_by_label("Your story").fill(
        "Three years ago I stopped answering the phone. A friend kept knocking anyway, and "
        "that is how I started to get better."
    )
    page.get_by_label("Hope and resilience").check()
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url("**/stories/mine/")
    assert "Waiting for review" in page.content()
    assert_accessible(page)

    mod_context = browser.new_context(base_url=live_server.url)
    mod_page = mod_context.new_page()
    sign_in(mod_page, moderator)
    mod_page.goto("/moderation/")
    assert_accessible(mod_page)
    mod_page.get_by_role("link", name="The winter I stopped answering").click()
    assert_accessible(mod_page)
    mod_page.get_by_label("Approve and publish").check()
    mod_page.get_by_role("button", name="Save decision").click()
    mod_page.wait_for_url("**/moderation/")
    mod_context.close()

    story = Story.objects.get(author=writer)
    assert story.state == StoryState.PUBLISHED
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto("/stories/")
    visitor.get_by_role("link", name="The winter I stopped answering").click()
    assert visitor.get_by_role("heading", level=1).inner_text() == "The winter I stopped answering"
    assert_accessible(visitor)
    visitor.context.close()


def test_a_reader_hides_a_warned_topic(page):
    StoryFactory(title="Learning to swim again", themes=["hope-and-resilience"])
    StoryFactory(title="After my brother died", warnings=["grief-and-loss"])

    page.goto("/stories/")
    assert page.get_by_role("link", name="After my brother died").is_visible()
    page.get_by_role("link", name="Choose topics to hide or blur").click()
    assert_accessible(page)
    page.get_by_role("group", name="Grief and loss").get_by_label("Hide").check()
    page.get_by_role("button", name="Save preferences").click()

    page.wait_for_url("**/stories/")
    assert page.get_by_role("link", name="Learning to swim again").is_visible()
    assert page.get_by_role("link", name="After my brother died").count() == 0
    assert "hiding 1 topic" in page.content()


def test_reacting_updates_the_count_in_place(page):
    reader = UserFactory()
    story = StoryFactory(title="Small wins")
    sign_in(page, reader)
    page.goto(f"/stories/{story.code}/")

    page.get_by_role("button", name="This gives me hope 0").click()

    page.get_by_role("button", name="This gives me hope 1").wait_for()
    assert page.url.endswith(f"/stories/{story.code}/")
    story.refresh_from_db()
    assert story.hope_count == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_story_pages_have_no_axe_violations(page, scheme, crisis_lines):
    page.emulate_media(color_scheme=scheme)
    author = UserFactory(hidden_warnings={"self-harm": "blur"})
    story = StoryFactory(author=author, warnings=["self-harm"], themes=["vulnerability"])
    StoryFactory(
        kind="tribute",
        hero_category="caregiver",
        hero_name="Rosa Delgado",
        title="For Rosa",
        themes=["vulnerability"],
    )
    CommentFactory(story=story)
    pending = StoryFactory(
        author=author,
        state=StoryState.PENDING,
        title="Pending words",
        body=BODY + " I want to end my life.",
    )
    enqueue_for_review(pending, assessment={"risk": "crisis", "signals": []})
    for path in [
        "/stories/",
        "/stories/heroes/",
        f"/stories/{story.code}/",
        "/stories/reading-preferences/",
    ]:
        page.goto(path)
        assert_accessible(page)
    sign_in(page, author)
    for path in [
        f"/stories/{story.code}/",
        "/stories/mine/",
        "/stories/write/?kind=tribute",
        f"/stories/{story.code}/byline/",
        f"/stories/{story.code}/delete/",
        f"/stories/{story.code}/report/",
    ]:
        page.goto(path)
        assert_accessible(page)
    author.role = Role.MODERATOR
    author.save()
    page.goto("/moderation/")
    assert_accessible(page)
    page.get_by_role("link", name="Pending words").click()
    assert_accessible(page)

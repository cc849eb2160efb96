"""Calls for stories: the campaign links to the story editor with the call's code, the editor
shows the prompt and carries the code into the story (stories never import campaigns: the
campaigns app registers a finder in the stories' prompt registry), unknown or closed calls
are refused with a message, and only stories published through moderation, and sent while
the call was open, appear on the campaign page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from beacon.campaigns import services
from beacon.campaigns.enums import CampaignState
from beacon.campaigns.models import CallForStories
from beacon.campaigns.queries import call_stories
from beacon.stories import services as story_services
from beacon.stories.enums import StoryState
from beacon.stories.models import Story
from tests.conftest import logged_in_client
from tests.factories.campaigns import CallFactory
from tests.factories.stories import BODY, StoryFactory

pytestmark = pytest.mark.django_db


def test_the_campaign_page_links_to_the_editor_with_the_call(client):
    call = CallFactory()

    body = client.get(f"/campaigns/{call.campaign.code}/").content.decode()

    assert f'href="/stories/write/?call={call.code}"' in body
    assert "Call for stories: Tell us about a conversation that helped" in body


def test_the_editor_carries_the_call_into_the_saved_story(member):
    call = CallFactory()
    client = logged_in_client(member)

    page = client.get(f"/stories/write/?call={call.code}").content.decode()
    assert f'name="prompt_code" value="{call.code}"' in page
    assert "in answer to a call for stories" in page
    assert "<strong>Tell us about a conversation that helped</strong>" in page
    assert f'<a href="/campaigns/{call.campaign.code}/">the campaign' in page

    client.post(
        "/stories/write/",
        {"title": "The bus stop", "body": BODY, "prompt_code": call.code, "action": "save"},
    )
    story = Story.objects.get(author=member)
    assert story.prompt_code == call.code

    # Editing later keeps it; an odd value posted by hand is not stored.
    client.post(
        f"/stories/{story.code}/edit/",
        {"title": "The bus stop", "body": BODY + " More.", "prompt_code": "<b>x</b>"},
    )
    story.refresh_from_db()
    assert story.prompt_code == call.code


def test_autosave_keeps_the_call_too(member):
    call = CallFactory()

    logged_in_client(member).post(
        "/stories/write/autosave/", {"title": "Draft", "body": "", "prompt_code": call.code}
    )

    assert Story.objects.get(author=member).prompt_code == call.code


def test_only_published_answers_appear_on_the_campaign_page(client, member, moderator):
    call = CallFactory()
    published = StoryFactory(title="Told at the bus stop", prompt_code=call.code)
    StoryFactory(title="Waiting for review", prompt_code=call.code, state=StoryState.PENDING)
    StoryFactory(title="Hidden after reports", prompt_code=call.code, is_hidden=True)
    StoryFactory(title="Answering nothing")
    draft = story_services.save_draft(
        None, author=member, title="Still a draft", body=BODY, prompt_code=call.code
    )

    body = client.get(f"/campaigns/{call.campaign.code}/").content.decode()

    assert f'href="/stories/{published.code}/"' in body
    for title in ("Waiting for review", "Hidden after reports", "Answering nothing", draft.title):
        assert title not in body

    story_services.set_story_state(draft, StoryState.PENDING, actor=member)
    story_services.set_story_state(draft, StoryState.PUBLISHED, actor=moderator)
    assert "Still a draft" in client.get(f"/campaigns/{call.campaign.code}/").content.decode()


def test_a_closed_call_offers_no_link(client):
    call = CallFactory(is_open=False)

    body = client.get(f"/campaigns/{call.campaign.code}/").content.decode()

    assert "?call=" not in body and "closed for new stories" in body


def test_the_editor_shows_the_prompt_again_when_the_draft_is_edited(member):
    call = CallFactory(prompt="Who listened when it mattered?")
    story = story_services.save_draft(
        None, author=member, title="T", body=BODY, prompt_code=call.code
    )

    page = logged_in_client(member).get(f"/stories/{story.code}/edit/").content.decode()

    assert "<strong>Who listened when it mattered?</strong>" in page


@pytest.mark.parametrize(
    ("make_code", "message"),
    [
        (lambda: "no-such-call", "We could not find that call for stories."),
        (
            lambda: CallFactory(campaign__state=CampaignState.DRAFT).code,
            "We could not find that call for stories.",
        ),
        (
            lambda: CallFactory(is_open=False).code,
            "The call for stories “Tell us about a conversation that helped” is closed.",
        ),
    ],
    ids=["unknown", "unpublished-campaign", "closed"],
)
def test_an_unknown_or_closed_call_is_refused_with_a_message(member, make_code, message):
    code = make_code()
    client = logged_in_client(member)

    page = client.get(f"/stories/write/?call={code}").content.decode()
    client.post(
        "/stories/write/", {"title": "Mine", "body": BODY, "prompt_code": code, "action": "save"}
    )

    assert message in page
    assert f'value="{code}"' not in page and "in answer to a call" not in page
    assert Story.objects.get(author=member).prompt_code == ""


def test_a_call_that_closes_while_someone_writes_is_not_attached_and_they_are_told(
    member, moderator
):
    call = CallFactory()
    client = logged_in_client(member)
    client.get(f"/stories/write/?call={call.code}")
    services.save_call(call.campaign, call, actor=moderator, prompt=call.prompt, is_open=False)

    response = client.post(
        "/stories/write/",
        {"title": "Late", "body": BODY, "prompt_code": call.code, "action": "save"},
        follow=True,
    )

    assert "The call for stories you were answering is closed" in response.content.decode()
    assert Story.objects.get(author=member).prompt_code == ""


def test_a_closed_call_lists_the_stories_sent_while_it_was_open(moderator, client):
    call = CallFactory()
    closed_at = timezone.now()
    before = closed_at - timedelta(days=2)
    after = closed_at + timedelta(minutes=5)
    sent_in_time = StoryFactory(
        title="Sent in time", prompt_code=call.code, submitted_at=before, published_at=after
    )
    published_in_time = StoryFactory(
        title="Published in time", prompt_code=call.code, published_at=before
    )
    StoryFactory(
        title="Sent too late", prompt_code=call.code, submitted_at=after, published_at=after
    )

    services.save_call(call.campaign, call, actor=moderator, prompt=call.prompt, is_open=False)
    CallForStories.objects.filter(pk=call.pk).update(closed_at=closed_at)
    call.refresh_from_db()

    assert {s.title for s in call_stories(call)} == {sent_in_time.title, published_in_time.title}
    body = client.get(f"/campaigns/{call.campaign.code}/").content.decode()
    assert "Sent in time" in body and "Sent too late" not in body


def test_closing_records_when_and_reopening_clears_it(moderator):
    call = CallFactory()

    services.save_call(call.campaign, call, actor=moderator, prompt=call.prompt, is_open=False)
    first_close = call.closed_at
    services.save_call(call.campaign, call, actor=moderator, prompt="Edited", is_open=False)

    assert first_close is not None and call.closed_at == first_close  # editing keeps the date
    services.save_call(call.campaign, call, actor=moderator, prompt="Edited", is_open=True)
    assert call.closed_at is None

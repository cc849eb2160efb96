"""Calls for stories: the campaign links to the story editor with the call's code, the editor
carries it into the story (stories never import campaigns), and only stories published
through moderation appear on the campaign page."""

import pytest

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

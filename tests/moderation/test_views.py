import pytest

from beacon.moderation.models import Case
from beacon.moderation.services import enqueue_for_review
from beacon.stories.enums import StoryState
from tests.conftest import logged_in_client
from tests.factories.stories import StoryFactory

pytestmark = pytest.mark.django_db


def test_case_page_shows_the_flagged_passage_with_its_reason(moderator):
    story = StoryFactory(
        state=StoryState.PENDING,
        title="Night",
        body="Work was long. I want to end my life tonight.",
    )
    case = enqueue_for_review(story, assessment={"risk": "crisis", "signals": []})

    html = logged_in_client(moderator).get(f"/moderation/case/{case.code}/").content.decode()

    assert '<mark class="flag flag-crisis"' in html
    assert "Approve and publish" in html and "The writer may be at risk now" in html


def test_queue_shows_crisis_waiting_time_against_the_target(moderator, settings):
    settings.BEACON_CRISIS_TARGET_MINUTES = 15
    story = StoryFactory(state=StoryState.PENDING)
    enqueue_for_review(story, assessment={"risk": "crisis", "signals": []})

    html = logged_in_client(moderator).get("/moderation/").content.decode()

    assert "0 min" in html and "of 15" in html and "Crisis" in html


def test_deciding_through_the_page(moderator):
    story = StoryFactory(state=StoryState.PENDING)
    case = enqueue_for_review(story, assessment={"risk": "none", "signals": []})
    client = logged_in_client(moderator)

    refused = client.post(f"/moderation/case/{case.code}/", {"action": "decline", "message": ""})
    done = client.post(f"/moderation/case/{case.code}/", {"action": "approve"})

    assert refused.status_code == 200 and b"write a message" in refused.content
    assert done.status_code == 302
    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED and Case.objects.get().state == "closed"


def test_duty_toggle(moderator):
    client = logged_in_client(moderator)

    client.post("/moderation/duty/", {"on_duty": "1"})

    moderator.refresh_from_db()
    assert moderator.on_duty

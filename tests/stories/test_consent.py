import re

import pytest
from django.core import mail

from beacon.core.errors import DomainError
from beacon.stories import services
from beacon.stories.enums import Consent, StoryKind, StoryState
from beacon.stories.queries import public_stories
from tests.factories.stories import BODY

pytestmark = pytest.mark.django_db


def tribute(author, *, living=True, **hero):
    hero = {
        "category": "caregiver",
        "name": "Rosa Delgado Ruiz",
        "living": living,
        "email": "rosa@people.example",
        "posthumous_declaration": not living,
    } | hero
    return services.save_draft(
        None,
        author=author,
        title="For Rosa",
        body=BODY,
        kind=StoryKind.TRIBUTE,
        themes=["support-and-community"],
        hero=hero,
    )


def consent_path() -> str:
    return re.search(r"http://\S+(/stories/consent/\S+)", mail.outbox[-1].body).group(1)


def approve(story):
    services.set_story_state(story, StoryState.PUBLISHED, actor=None)


def test_living_hero_is_asked_and_nothing_is_public_until_they_agree(
    member, client, django_capture_on_commit_callbacks
):
    story = tribute(member)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_story(story, actor=member)
    story.refresh_from_db()
    approve(story)

    assert story.hero_consent == Consent.PENDING
    assert mail.outbox[-1].to == ["rosa@people.example"]
    assert not public_stories().filter(pk=story.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(consent_path(), {"answer": "yes", "naming": "first"})

    story.refresh_from_db()
    assert response.status_code == 200 and b"Thank you" in response.content
    assert (story.hero_consent, story.hero_naming, story.hero_email) == (
        Consent.CONFIRMED,
        "first",
        "",
    )
    assert story.hero_public_name == "Rosa"
    assert public_stories().filter(pk=story.pk).exists()
    assert mail.outbox[-1].to == [member.email]  # the writer is told


def test_a_hero_can_decline_and_the_tribute_stays_private(
    member, client, django_capture_on_commit_callbacks
):
    story = tribute(member)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_story(story, actor=member)
    story.refresh_from_db()
    approve(story)

    client.post(consent_path(), {"answer": "no"})

    story.refresh_from_db()
    assert (story.hero_consent, story.hero_email) == (Consent.DECLINED, "")
    assert not public_stories().filter(pk=story.pk).exists()


def test_answering_twice_is_refused(member, django_capture_on_commit_callbacks):
    story = tribute(member)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_story(story, actor=member)
    story.refresh_from_db()
    services.answer_hero_consent(story, accept=True, naming="full")

    with pytest.raises(DomainError):
        services.answer_hero_consent(story, accept=False)


def test_a_forged_consent_link_is_refused(client):
    response = client.get("/stories/consent/not-a-real-token/")

    assert response.status_code == 400 and b"expired or is not valid" in response.content


def test_a_living_hero_needs_an_email_and_a_posthumous_tribute_a_declaration(member):
    living = tribute(member, email="")
    posthumous = tribute(member, living=False, posthumous_declaration=False, email="")

    assert "Give your hero's email address" in " ".join(services.submission_problems(living))
    assert "Confirm the declaration" in " ".join(services.submission_problems(posthumous))


def test_a_posthumous_tribute_needs_no_consent(member):
    story = tribute(member, living=False, email="")

    services.submit_story(story, actor=member)
    story.refresh_from_db()
    approve(story)

    assert story.hero_consent == Consent.NOT_NEEDED
    assert public_stories().filter(pk=story.pk).exists()

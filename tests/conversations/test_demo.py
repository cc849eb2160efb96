"""The demo seeder: an open conversation with three questions (one per lens) and answers,
and a past one with its summary and a published transcript; running it twice adds nothing."""

import pytest
from django.test import Client

from beacon.conversations.demo import seed
from beacon.conversations.models import Answer, Conversation
from beacon.core.demo import demo_seeders
from tests.factories.conversations import lens_for

pytestmark = pytest.mark.django_db


def test_the_demo_is_complete_and_idempotent(crisis_lines):
    for slug in ("self", "society", "system"):
        lens_for(slug)
    for seeder in demo_seeders():
        if seeder.name == "accounts":
            seeder.seed()
    seed()
    seed()

    live, past = (Conversation.objects.get(title__startswith=t) for t in ("Small", "Talking"))
    assert live.is_open and past.is_closed
    assert [q.lens.slug for q in live.questions.all()] == ["self", "society", "system"]
    assert all(q.answers.exists() for q in live.questions.all())
    assert past.summary and past.transcript_published_at is not None
    assert Conversation.objects.count() == 2 and Answer.objects.count() == 10
    transcript = Client().get(f"/conversations/{past.code}/transcript.html").content.decode()
    assert "Summary by the host" in transcript
    host = Client()
    host.force_login(live.host)  # a demo account (its own demo password)
    page = host.get(f"/conversations/{live.code}/").content.decode()
    assert "Pinned by the host" in page and "Support, any time" in page


def test_seeding_an_old_demo_again_reopens_its_live_conversation(crisis_lines):
    from datetime import timedelta

    from django.utils import timezone

    for slug in ("self", "society", "system"):
        lens_for(slug)
    for seeder in demo_seeders():
        if seeder.name == "accounts":
            seeder.seed()
    seed()
    live = Conversation.objects.get(title__startswith="Small")
    Conversation.objects.filter(pk=live.pk).update(  # seeded 33 days ago: ended 3 days ago
        starts_at=timezone.now() - timedelta(days=33), ends_at=timezone.now() - timedelta(days=3)
    )

    seed()

    live.refresh_from_db()
    assert live.is_open and live.ends_at > timezone.now() + timedelta(days=29)

"""Races on reactions and reports, forced with real threads on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from beacon.moderation.models import Case, Report
from beacon.moderation.services import report_item
from beacon.stories import services
from beacon.stories.models import Reaction, Story
from tests.factories.accounts import UserFactory
from tests.factories.stories import StoryFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def run_together(target, args_list):
    barrier = threading.Barrier(len(args_list))
    errors = []

    def worker(*args):
        try:
            barrier.wait()
            target(*args)
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=a) for a in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("threads need a server database; `make test` runs this on PostgreSQL")


def test_many_people_reacting_at_once_are_each_counted_once():
    story = StoryFactory()
    people = UserFactory.create_batch(12)

    errors = run_together(
        lambda u: services.toggle_reaction(Story.objects.get(pk=story.pk), user=u, kind="hope"),
        [(p,) for p in people],
    )

    story.refresh_from_db()
    assert errors == []
    assert story.hope_count == Reaction.objects.filter(story=story).count() == 12


def test_one_person_double_clicking_never_counts_twice():
    story = StoryFactory()
    person = UserFactory()

    run_together(
        lambda: services.toggle_reaction(
            Story.objects.get(pk=story.pk), user=person, kind="thanks"
        ),
        [()] * 6,
    )

    story.refresh_from_db()
    rows = Reaction.objects.filter(story=story).count()
    assert rows in (0, 1) and story.thanks_count == rows


def test_simultaneous_reports_open_one_case_and_count_every_reporter(settings):
    settings.BEACON_REPORTS_TO_HIDE = 100
    story = StoryFactory()
    people = UserFactory.create_batch(8)

    errors = run_together(
        lambda u: report_item(Story.objects.get(pk=story.pk), reporter=u, reason="spam"),
        [(p,) for p in people],
    )

    assert errors == []
    assert Case.objects.count() == 1
    assert Report.objects.count() == Case.objects.get().report_count == 8

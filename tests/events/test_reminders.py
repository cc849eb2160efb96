"""Reminders a day and an hour before, "still coming?" with release of unanswered places,
idempotency, and one run through the real background worker (django-tasks-db db_worker)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from beacon.events import services
from beacon.events.enums import RsvpState
from beacon.events.models import EventSeries, Occurrence, Rsvp
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def starting_in(occurrence, delta):
    start = timezone.now() + delta
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    return Occurrence.objects.select_related("series__initiative").get(pk=occurrence.pk)


def test_day_and_hour_reminders_are_each_sent_once(occurrence, member, other_member, commit):
    services.rsvp_member(occurrence, actor=member)
    services.rsvp_member(occurrence, actor=other_member, remind_day_before=False)
    occ = starting_in(occurrence, timedelta(hours=20))
    mail.outbox.clear()

    with commit():
        first = services.send_due_reminders()
    with commit():
        again = services.send_due_reminders()

    assert first == {"day": 1, "hour": 0, "released": 0} and again["day"] == 0
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].subject == f"[Beacon] Tomorrow: {occ.series.title}"

    starting_in(occ, timedelta(minutes=50))
    with commit():
        hour = services.send_due_reminders()
    with commit():
        services.send_due_reminders()

    assert hour["hour"] == 2
    assert len(mail.outbox) == 3
    assert "in about an hour" in mail.outbox[-1].body


def test_no_reminders_for_cancelled_meetings_or_people_without_a_place(
    occurrence, member, other_member, organiser, commit
):
    Occurrence.objects.filter(pk=occurrence.pk).update(capacity=1)
    services.rsvp_member(Occurrence.objects.get(pk=occurrence.pk), actor=member)
    services.rsvp_member(Occurrence.objects.get(pk=occurrence.pk), actor=other_member)  # waits
    occ = starting_in(occurrence, timedelta(hours=20))

    with commit():
        assert services.send_due_reminders()["day"] == 1
    services.cancel_occurrence(occ, actor=organiser, reason="Ill")
    starting_in(occ, timedelta(minutes=30))
    with commit():
        assert services.send_due_reminders()["hour"] == 0


def test_unanswered_still_coming_releases_the_place_to_the_waiting_list(
    occurrence, member, other_member, commit
):
    EventSeries.objects.filter(pk=occurrence.series_id).update(confirm_day_before=True)
    Occurrence.objects.filter(pk=occurrence.pk).update(capacity=1)
    holder = services.rsvp_member(
        Occurrence.objects.get(pk=occurrence.pk), actor=member, remind_day_before=False
    )
    waiting = services.rsvp_member(Occurrence.objects.get(pk=occurrence.pk), actor=other_member)
    occ = starting_in(occurrence, timedelta(hours=20))
    mail.outbox.clear()

    with commit():
        services.send_due_reminders()  # asks even though reminders were turned off
    assert "Are you still coming?" in mail.outbox[0].body

    starting_in(occ, timedelta(hours=3))
    with commit():
        result = services.send_due_reminders()

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert result["released"] == 1
    assert holder.state == RsvpState.CANCELLED and waiting.state == RsvpState.CONFIRMED
    subjects = [m.subject for m in mail.outbox[1:]]
    assert any("Your place was released" in s for s in subjects)
    assert any("A place came free" in s for s in subjects)


def test_answering_still_coming_keeps_the_place(occurrence, member, commit):
    EventSeries.objects.filter(pk=occurrence.series_id).update(confirm_day_before=True)
    holder = services.rsvp_member(occurrence, actor=member)
    occ = starting_in(occurrence, timedelta(hours=20))
    with commit():
        services.send_due_reminders()

    services.still_coming(Rsvp.objects.get(pk=holder.pk))
    starting_in(occ, timedelta(hours=3))
    with commit():
        assert services.send_due_reminders()["released"] == 0

    holder.refresh_from_db()
    assert holder.state == RsvpState.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_the_command_queues_reminders_that_the_db_worker_sends(tmp_path):
    from django_tasks_db.models import DBTaskResult

    from tests.factories.events import EventSeriesFactory

    person = UserFactory(email="river@people.example")
    occurrence = EventSeriesFactory(count=1).occurrences.get()
    with override_settings(
        TASKS=DB_TASKS,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=tmp_path,
    ):
        services.rsvp_member(occurrence, actor=person, remind_hour_before=False)
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        starting_in(occurrence, timedelta(hours=10))
        before = DBTaskResult.objects.count()

        call_command("send_due_reminders", verbosity=0)
        call_command("send_due_reminders", verbosity=0)  # a rerun queues nothing more

        assert DBTaskResult.objects.count() == before + 1
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == before + 1

    written = [p.read_text() for p in tmp_path.iterdir()]
    reminders = [w for w in written if "Subject: [Beacon] Tomorrow:" in w]
    assert len(reminders) == 1
    assert "To: river@people.example" in reminders[0]
    assert "/events/rsvp/" in reminders[0]  # the cancel link

"""Reminders a day and an hour before, "still coming?" with release of unanswered places,
idempotency, and one run through the real background worker (django-tasks-db db_worker)."""

from datetime import datetime, time, timedelta

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


def at_seven_pm_in_two_days(occurrence):
    """Move `occurrence` to 7 PM (its own zone) the day after tomorrow; returns it and its
    start. Runs of the worker are then simulated with `now=start - …`."""
    zone = occurrence.zone
    day = timezone.now().astimezone(zone).date() + timedelta(days=2)
    start = datetime.combine(day, time(19, 0), tzinfo=zone)
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    return Occurrence.objects.select_related("series__initiative").get(pk=occurrence.pk), start


def test_day_and_hour_reminders_are_each_sent_once(occurrence, member, other_member, commit):
    services.rsvp_member(occurrence, actor=member)
    services.rsvp_member(occurrence, actor=other_member, remind_day_before=False)
    occ, start = at_seven_pm_in_two_days(occurrence)
    mail.outbox.clear()

    with commit():
        first = services.send_due_reminders(now=start - timedelta(hours=20))
    with commit():
        again = services.send_due_reminders(now=start - timedelta(hours=19))

    assert first == {"day": 1, "hour": 0, "released": 0} and again["day"] == 0
    assert [m.to for m in mail.outbox] == [[member.email]]
    # 11 PM the evening before, local time: tomorrow.
    assert mail.outbox[0].subject == f"[Beacon] Tomorrow: {occ.series.title}"
    assert "a place tomorrow at" in mail.outbox[0].body

    with commit():
        hour = services.send_due_reminders(now=start - timedelta(minutes=50))
    with commit():
        services.send_due_reminders(now=start - timedelta(minutes=40))

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


def test_the_day_reminder_says_today_for_a_meeting_later_the_same_day(occurrence, member, commit):
    services.rsvp_member(occurrence, actor=member)
    occ, start = at_seven_pm_in_two_days(occurrence)
    mail.outbox.clear()

    with commit():
        services.send_due_reminders(now=start - timedelta(hours=10))  # 9 AM the same day

    assert [m.subject for m in mail.outbox] == [f"[Beacon] Today: {occ.series.title}"]
    assert "a place today at" in mail.outbox[0].body


def test_unanswered_still_coming_releases_the_place_to_the_waiting_list(
    occurrence, member, other_member, commit
):
    EventSeries.objects.filter(pk=occurrence.series_id).update(confirm_day_before=True)
    Occurrence.objects.filter(pk=occurrence.pk).update(capacity=1)
    holder = services.rsvp_member(
        Occurrence.objects.get(pk=occurrence.pk), actor=member, remind_day_before=False
    )
    waiting = services.rsvp_member(Occurrence.objects.get(pk=occurrence.pk), actor=other_member)
    _, start = at_seven_pm_in_two_days(occurrence)
    mail.outbox.clear()

    with commit():
        services.send_due_reminders(now=start - timedelta(hours=20))  # asks, though no reminders
    assert "Are you still coming?" in mail.outbox[0].body

    with commit():
        result = services.send_due_reminders(now=start - timedelta(hours=3))

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert result["released"] == 1
    assert holder.state == RsvpState.CANCELLED and waiting.state == RsvpState.CONFIRMED
    subjects = [m.subject for m in mail.outbox[1:]]
    assert any("Your place was released" in s for s in subjects)
    assert any("A place came free" in s for s in subjects)


def test_a_late_booking_is_reminded_but_never_asked_or_released(occurrence, member, commit):
    EventSeries.objects.filter(pk=occurrence.series_id).update(confirm_day_before=True)
    occ, start = at_seven_pm_in_two_days(occurrence)
    late = services.rsvp_member(occ, actor=member)  # booked 3 hours before, in the run below
    mail.outbox.clear()

    with commit():
        first = services.send_due_reminders(now=start - timedelta(hours=3))
    with commit():
        later = services.send_due_reminders(now=start - timedelta(hours=2))

    late.refresh_from_db()
    assert late.state == RsvpState.CONFIRMED and late.reconfirm_sent_at is None
    assert first["released"] == later["released"] == 0
    assert [m.subject for m in mail.outbox] == [f"[Beacon] Today: {occ.series.title}"]
    assert "Are you still coming?" not in mail.outbox[0].body


def test_someone_promoted_after_a_release_keeps_the_place(occurrence, member, other_member, commit):
    EventSeries.objects.filter(pk=occurrence.series_id).update(confirm_day_before=True)
    Occurrence.objects.filter(pk=occurrence.pk).update(capacity=1)
    services.rsvp_member(Occurrence.objects.get(pk=occurrence.pk), actor=member)
    waiting = services.rsvp_member(Occurrence.objects.get(pk=occurrence.pk), actor=other_member)
    _, start = at_seven_pm_in_two_days(occurrence)
    with commit():
        services.send_due_reminders(now=start - timedelta(hours=20))  # asks the holder only
    with commit():
        assert services.send_due_reminders(now=start - timedelta(hours=3))["released"] == 1
    waiting.refresh_from_db()
    assert waiting.state == RsvpState.CONFIRMED  # promoted 3 hours before the start
    mail.outbox.clear()

    with commit():
        next_run = services.send_due_reminders(now=start - timedelta(hours=2, minutes=55))
    with commit():
        services.send_due_reminders(now=start - timedelta(hours=1, minutes=5))

    waiting.refresh_from_db()
    assert next_run["released"] == 0
    assert waiting.state == RsvpState.CONFIRMED and waiting.reconfirm_sent_at is None
    assert all("Are you still coming?" not in m.body for m in mail.outbox)


def test_nobody_is_released_sooner_than_the_grace_period_after_being_asked(
    occurrence, member, commit
):
    """A meeting moved earlier after the question went out: the holder still gets the
    grace period to answer before the place is released."""
    EventSeries.objects.filter(pk=occurrence.series_id).update(confirm_day_before=True)
    holder = services.rsvp_member(occurrence, actor=member)
    _, start = at_seven_pm_in_two_days(occurrence)
    asked_at = start - timedelta(hours=7)
    with commit():
        services.send_due_reminders(now=asked_at)
    moved = asked_at + timedelta(hours=3)  # now starts 3 hours after the question
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=moved, ends_at=moved + timedelta(hours=1)
    )

    with commit():
        soon = services.send_due_reminders(now=asked_at + timedelta(hours=1))
    with commit():
        late = services.send_due_reminders(now=asked_at + timedelta(hours=2, minutes=5))

    holder.refresh_from_db()
    assert holder.reconfirm_sent_at == asked_at
    assert (soon["released"], late["released"]) == (0, 1)
    assert holder.state == RsvpState.CANCELLED


def test_answering_still_coming_keeps_the_place(occurrence, member, commit):
    EventSeries.objects.filter(pk=occurrence.series_id).update(confirm_day_before=True)
    holder = services.rsvp_member(occurrence, actor=member)
    _, start = at_seven_pm_in_two_days(occurrence)
    with commit():
        services.send_due_reminders(now=start - timedelta(hours=20))

    services.still_coming(Rsvp.objects.get(pk=holder.pk))
    with commit():
        assert services.send_due_reminders(now=start - timedelta(hours=3))["released"] == 0

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
        occurrence = starting_in(occurrence, timedelta(hours=10))
        before = DBTaskResult.objects.count()

        call_command("send_due_reminders", verbosity=0)
        call_command("send_due_reminders", verbosity=0)  # a rerun queues nothing more

        assert DBTaskResult.objects.count() == before + 1
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == before + 1

    written = [p.read_text() for p in tmp_path.iterdir()]
    word = services.when_words(occurrence, timezone.now())[0]  # "Today" or "Tomorrow"
    subject = f"Subject: [Beacon] {word}: {occurrence.series.title}"
    reminders = [w for w in written if subject in w]
    assert len(reminders) == 1
    assert "To: river@people.example" in reminders[0]
    assert "/events/rsvp/" in reminders[0]  # the cancel link

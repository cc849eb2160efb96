"""Events that are not public any more: a series moderators removed or hid, an initiative
archived or hidden. Coming meetings are cancelled with a notice when the end is final
(removed, archived); nothing of them is mailed or fed to calendars meanwhile."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from beacon.core.errors import DomainError
from beacon.events import queries, services
from beacon.events.enums import EventFormat, OccurrenceStatus
from beacon.events.models import EventSeries, Occurrence
from beacon.initiatives import services as initiative_services
from beacon.initiatives.models import Initiative
from beacon.moderation.enums import Action
from beacon.moderation.models import Case
from beacon.moderation.services import decide, report_item
from tests.factories.accounts import UserFactory
from tests.factories.events import EventSeriesFactory

pytestmark = pytest.mark.django_db

SECRET_LINK = "https://meet.example/removed-room"


@pytest.fixture
def online(initiative, organiser):
    return EventSeriesFactory(
        initiative=initiative,
        created_by=organiser,
        format=EventFormat.ONLINE,
        online_url=SECRET_LINK,
    )


def first_two(series):
    return list(series.occurrences.order_by("starts_at")[:2])


def test_removing_a_series_cancels_its_answered_meetings_with_a_notice(
    online, member, moderator, commit
):
    answered, unanswered = first_two(online)
    services.rsvp_member(answered, actor=member)
    report_item(online, reporter=UserFactory(), reason="spam")
    mail.outbox.clear()

    with commit():
        decide(Case.objects.get(), action=Action.REMOVE, actor=moderator, message="Selling pills.")

    answered.refresh_from_db()
    unanswered.refresh_from_db()
    assert answered.status == OccurrenceStatus.CANCELLED
    assert answered.cancel_reason == services.SERIES_REMOVED_REASON
    assert unanswered.status == OccurrenceStatus.SCHEDULED  # nobody to tell; not public
    notices = [m for m in mail.outbox if m.to == [member.email]]
    assert [m.subject for m in notices] == [f"[Beacon] Cancelled: {online.title}"]
    assert "Why: The site's moderators took this event down." in notices[0].body
    assert "Selling pills" not in notices[0].body  # the moderator's words are for organisers
    assert SECRET_LINK not in notices[0].body


def test_archiving_an_initiative_cancels_its_coming_meetings_with_a_notice(
    initiative, online, organiser, member, commit
):
    answered, _ = first_two(online)
    services.rsvp_member(answered, actor=member)
    mail.outbox.clear()

    with commit():
        initiative_services.archive_initiative(initiative, actor=organiser)

    answered.refresh_from_db()
    assert answered.status == OccurrenceStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].subject == f"[Beacon] Cancelled: {online.title}"
    assert "Why: The group that runs this event has closed." in mail.outbox[0].body
    with pytest.raises(DomainError):
        services.reinstate_occurrence(answered, actor=organiser)


def test_a_moderator_removing_an_initiative_cancels_its_meetings(
    initiative, online, member, moderator, commit
):
    answered, _ = first_two(online)
    services.rsvp_member(answered, actor=member)
    report_item(initiative, reporter=UserFactory(), reason="spam")

    with commit():
        decide(Case.objects.get(), action=Action.REMOVE, actor=moderator, message="Spam.")

    answered.refresh_from_db()
    assert answered.status == OccurrenceStatus.CANCELLED
    assert any(m.subject == f"[Beacon] Cancelled: {online.title}" for m in mail.outbox)


def hide_series(series):
    EventSeries.objects.filter(pk=series.pk).update(is_hidden=True)


def hide_initiative(series):
    Initiative.objects.filter(pk=series.initiative_id).update(is_hidden=True)


def archive_initiative_row(series):
    # Straight to the row: this tests the reading rule, not the cancellation on archiving.
    Initiative.objects.filter(pk=series.initiative_id).update(status="archived")


@pytest.mark.parametrize("take_down", [hide_series, hide_initiative, archive_initiative_row])
def test_no_reminders_or_feed_entries_for_events_that_are_not_public(
    online, member, commit, take_down
):
    occurrence, _ = first_two(online)
    services.rsvp_member(occurrence, actor=member)
    start = timezone.now() + timedelta(hours=20)
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    token = services.regenerate_calendar_token(actor=member)
    assert SECRET_LINK in Client().get(f"/events/feeds/me/{token}.ics").content.decode()
    take_down(online)
    mail.outbox.clear()

    with commit():
        sent = services.send_due_reminders()
    with commit():
        hour = services.send_due_reminders(now=start - timedelta(minutes=30))

    assert sent["day"] == 0 and hour["hour"] == 0
    assert mail.outbox == []
    assert list(queries.feed_rsvps(member)) == []
    assert SECRET_LINK not in Client().get(f"/events/feeds/me/{token}.ics").content.decode()

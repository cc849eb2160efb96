"""Follow-up emails 7 and 30 days after signing, sent by the worker task: each at most once,
never to the unsubscribed or unconfirmed, always with one-click unsubscribe headers."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from beacon.campaigns import services
from beacon.campaigns.enums import CampaignState
from beacon.campaigns.models import Pledge, Signature
from beacon.campaigns.tasks import send_due_followups, send_pledge_followups
from tests.factories.campaigns import PledgeFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)


def run_task(capture) -> None:
    with capture(execute=True):
        send_pledge_followups.call()


def test_the_7_day_follow_up_goes_once_with_the_pledges_action(
    django_capture_on_commit_callbacks,
):
    signature = SignatureFactory(confirmed_at=days_ago(7.1), email="f@guests.example")
    SignatureFactory(pledge=signature.pledge, confirmed_at=days_ago(6.9))  # not yet

    run_task(django_capture_on_commit_callbacks)
    run_task(django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["f@guests.example"]]
    message = mail.outbox[0]
    assert signature.pledge.followup_7_action in message.body
    assert signature.pledge.followup_30_action not in message.body
    signature.refresh_from_db()
    assert signature.followup_7_sent_at is not None and signature.followup_30_sent_at is None


def test_the_30_day_follow_up_comes_after_the_7_day_one(django_capture_on_commit_callbacks):
    signature = SignatureFactory(confirmed_at=days_ago(8))
    run_task(django_capture_on_commit_callbacks)
    Signature.objects.filter(pk=signature.pk).update(confirmed_at=days_ago(30.5))

    run_task(django_capture_on_commit_callbacks)
    run_task(django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2
    assert signature.pledge.followup_30_action in mail.outbox[1].body


def test_someone_past_30_days_gets_only_the_30_day_mail(django_capture_on_commit_callbacks):
    signature = SignatureFactory(confirmed_at=days_ago(31))

    run_task(django_capture_on_commit_callbacks)
    run_task(django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert signature.pledge.followup_30_action in mail.outbox[0].body
    signature.refresh_from_db()
    assert signature.followup_7_sent_at is not None  # marked, so it never goes late


def test_no_follow_up_to_the_unsubscribed_or_the_unconfirmed(django_capture_on_commit_callbacks):
    SignatureFactory(confirmed_at=days_ago(10), unsubscribed_at=days_ago(1))
    SignatureFactory(confirmed_at=None, created_at=days_ago(40))
    Signature.objects.filter(confirmed_at=None).update(created_at=days_ago(40))

    run_task(django_capture_on_commit_callbacks)

    assert mail.outbox == []


@pytest.mark.parametrize("state", [CampaignState.ARCHIVED, CampaignState.DRAFT])
def test_a_follow_up_waits_while_the_campaign_is_unpublished_and_goes_when_it_is_back(
    state, moderator, django_capture_on_commit_callbacks
):
    signature = SignatureFactory(
        confirmed_at=days_ago(8), pledge__campaign__state=state, email="w@guests.example"
    )

    run_task(django_capture_on_commit_callbacks)

    assert mail.outbox == []
    signature.refresh_from_db()
    assert signature.followup_7_sent_at is None  # skipped, not marked sent for good

    services.set_campaign_state(signature.pledge.campaign, CampaignState.PUBLISHED, actor=moderator)
    run_task(django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["w@guests.example"]]
    assert signature.pledge.followup_7_action in mail.outbox[0].body


def test_an_older_pledge_without_action_text_waits_until_it_is_written(
    django_capture_on_commit_callbacks,
):
    signature = SignatureFactory(confirmed_at=days_ago(8), pledge__followup_7_action="")

    run_task(django_capture_on_commit_callbacks)

    assert mail.outbox == []
    signature.refresh_from_db()
    assert signature.followup_7_sent_at is None
    Pledge.objects.filter(pk=signature.pledge_id).update(followup_7_action="Call a friend.")

    run_task(django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1 and "Call a friend." in mail.outbox[0].body


def test_a_member_signer_is_mailed_at_the_account_address(
    member, django_capture_on_commit_callbacks
):
    SignatureFactory(user=member, email="", confirmed_at=days_ago(7.5))

    run_task(django_capture_on_commit_callbacks)

    assert mail.outbox[0].to == [member.email]


def test_each_follow_up_carries_one_click_unsubscribe_headers(
    client, django_capture_on_commit_callbacks
):
    signature = SignatureFactory(confirmed_at=days_ago(7.5))

    run_task(django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(http://\S+)>", header)[1]
    assert url.split("/", 3)[3] in message.body  # the same link, readable in the text
    assert re.search(r"^List-Unsubscribe:\s+<http", message.message().as_string(), re.M)
    path = "/" + url.split("/", 3)[3]
    assert client.post(path).status_code == 200
    signature.refresh_from_db()
    assert signature.unsubscribed_at is not None


def test_the_command_queues_the_task_or_runs_it_now(django_capture_on_commit_callbacks, capsys):
    SignatureFactory(confirmed_at=days_ago(7.5))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pledge_followups")  # the immediate backend runs it at once in tests

    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pledge_followups", "--now")
    assert "Sent 0 follow-up email(s)." in capsys.readouterr().out


def test_the_sweep_reports_how_many_it_mailed(django_capture_on_commit_callbacks):
    pledge = PledgeFactory()
    for _ in range(3):
        SignatureFactory(pledge=pledge, confirmed_at=days_ago(9))

    with django_capture_on_commit_callbacks(execute=True):
        first = send_due_followups()
        second = send_due_followups()

    assert (first, second) == (3, 0)
    assert len(mail.outbox) == 3

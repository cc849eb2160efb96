"""Background work of campaigns: the follow-up emails 7 and 30 days after signing.

`send_pledge_followups` runs in the worker; `manage.py send_pledge_followups` (from cron)
enqueues it. The sweep lives here, not in services, because services may enqueue tasks but
tasks sit below services in the app's layers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from beacon.campaigns.enums import CampaignState
from beacon.campaigns.models import Signature
from beacon.campaigns.tokens import unsubscribe_token
from beacon.core.mail import queue_templated_email

FOLLOW_UPS = (30, 7)  # the later one first: a signer past 30 days never gets the 7-day mail


def unsubscribe_headers(signature: Signature) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe headers for mail to this signer."""
    url = settings.BEACON_SITE_URL + unsubscribe_path(signature)
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe_path(signature: Signature) -> str:
    return reverse("campaigns:unsubscribe", args=[unsubscribe_token(signature.code)])


def send_due_followups(*, now: datetime | None = None) -> int:
    """Mail every confirmed, subscribed signer whose 7- or 30-day follow-up is due; return
    how many were mailed.

    Idempotent: each row is claimed with a conditional UPDATE (sent_at still empty) in the
    transaction that queues its mail, so two sweeps at once or a rerun never mail twice.
    A follow-up whose campaign is not published at the time, or whose pledge has no action
    text (pledges made before both were required), is left for a later sweep: it goes out
    once the campaign is published again or the text is written. Someone past 30 days gets
    only the 30-day mail.
    """
    now = now or timezone.now()
    sent = 0
    for days in FOLLOW_UPS:
        field = f"followup_{days}_sent_at"
        due = (
            Signature.objects.filter(
                confirmed_at__lte=now - timedelta(days=days),
                unsubscribed_at__isnull=True,
                pledge__campaign__state=CampaignState.PUBLISHED,
                **{f"{field}__isnull": True},
            )
            .exclude(**{f"pledge__followup_{days}_action": ""})
            .select_related("pledge__campaign", "user")
            .order_by("pk")
        )
        for signature in due.iterator(chunk_size=500):
            with transaction.atomic():
                claimed = Signature.objects.filter(
                    pk=signature.pk, unsubscribed_at__isnull=True, **{f"{field}__isnull": True}
                ).update(**{field: now})
                if days == 30:  # too late for the first one: never send it afterwards
                    Signature.objects.filter(
                        pk=signature.pk, followup_7_sent_at__isnull=True
                    ).update(followup_7_sent_at=now)
                if not claimed:
                    continue
                pledge = signature.pledge
                address = signature.address
                if not address:  # an anonymised signature: nobody to write to
                    continue
                action = getattr(pledge, f"followup_{days}_action")
                queue_templated_email(
                    to=address,
                    subject=f"One thing you can do now: {pledge.title}",
                    template="campaigns/email/followup.txt",
                    context={
                        "pledge": pledge,
                        "days": days,
                        "action": action,
                        "pledge_path": reverse("campaigns:pledge", args=[pledge.code]),
                        "unsubscribe_path": unsubscribe_path(signature),
                    },
                    headers=unsubscribe_headers(signature),
                )
                sent += 1
    return sent


@task()
def send_pledge_followups() -> int:
    """Worker task: send the follow-up emails that are due (safe to run at any time)."""
    return send_due_followups()

"""Outgoing mail: rendered from templates, sent by the background worker after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from beacon.core.tasks import send_email


def queue_templated_email(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    """Render `template` (a plain-text template) and send it once the transaction commits.

    Side effect: enqueues a `send_email` task on commit, so a rolled-back action never mails.
    `headers` are extra message headers (e.g. List-Unsubscribe), added as given.
    """
    body = render_to_string(
        template,
        {"site_name": settings.BEACON_SITE_NAME, "site_url": settings.BEACON_SITE_URL, **context},
    )
    extra = dict(headers or {})
    if extra:
        transaction.on_commit(
            lambda: send_email.enqueue(to=to, subject=subject, body=body, headers=extra)
        )
    else:
        transaction.on_commit(lambda: send_email.enqueue(to=to, subject=subject, body=body))

"""Background tasks of moderation."""

import json
import urllib.request

from django_tasks import task


@task()
def post_webhook(*, url: str, payload: dict) -> None:
    """POST `payload` as JSON to the operator's webhook (a chat room, a pager)."""
    request = urllib.request.Request(  # noqa: S310 - an operator-configured https URL
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Beacon"},
    )
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass

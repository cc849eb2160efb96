"""Background tasks of the kernel: sending mail."""

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(*, to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Send one plain-text email through the configured mail backend (with extra headers)."""
    EmailMessage(
        subject=f"[{settings.BEACON_SITE_NAME}] {subject}",
        body=body,
        to=[to],
        headers=headers or None,
    ).send()

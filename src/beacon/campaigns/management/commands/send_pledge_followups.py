"""Enqueue the pledge follow-up sweep for the background worker (run it hourly from cron)."""

from django.core.management.base import BaseCommand

from beacon.campaigns.tasks import send_pledge_followups


class Command(BaseCommand):
    help = "Queue the sending of due pledge follow-up emails (7 and 30 days after signing)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--now", action="store_true", help="Send in this process instead of the worker."
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["now"]:
            result = send_pledge_followups.call()
            self.stdout.write(f"Sent {result} follow-up email(s).")
        else:
            send_pledge_followups.enqueue()
            self.stdout.write("Queued the follow-up sweep for the background worker.")

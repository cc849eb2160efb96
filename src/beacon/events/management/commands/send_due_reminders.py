"""Periodic job (every few minutes, from cron or a timer): event reminders and
"still coming?" checks; mail is queued for the background worker."""

from django.core.management.base import BaseCommand

from beacon.events.services import send_due_reminders


class Command(BaseCommand):
    help = "Queue due event reminders, ask 'still coming?', release unanswered places."

    def handle(self, *args, **options):
        result = send_due_reminders()
        self.stdout.write(
            f"Reminders queued: {result['day']} day-before, {result['hour']} hour-before; "
            f"places released: {result['released']}."
        )

"""Periodic job (daily): take attendance counts of ended meetings, and delete RSVPs
BEACON_RSVP_RETENTION_DAYS after the meeting, keeping only the counts."""

from django.core.management.base import BaseCommand

from beacon.events.services import prune_rsvps


class Command(BaseCommand):
    help = "Count ended meetings and delete RSVPs past the retention time (counts stay)."

    def handle(self, *args, **options):
        result = prune_rsvps()
        self.stdout.write(
            f"Meetings counted: {result['counted']}; meetings pruned: "
            f"{result['occurrences_pruned']}; RSVPs deleted: {result['rsvps_deleted']}."
        )

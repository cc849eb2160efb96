"""Periodic job (daily): extend every active series' dates to the horizon."""

from django.core.management.base import BaseCommand

from beacon.events.services import materialise_all


class Command(BaseCommand):
    help = "Create the coming dates of every active event series up to the horizon."

    def handle(self, *args, **options):
        self.stdout.write(f"Dates created: {materialise_all()}.")

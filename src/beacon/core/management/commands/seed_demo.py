"""manage.py seed_demo: create the demo community. Safe to run again: nothing is duplicated."""

from django.core.management.base import BaseCommand
from django.db import transaction

from beacon.core.demo import demo_seeders


class Command(BaseCommand):
    help = "Create demo content from every app (idempotent)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        for seeder in demo_seeders():
            with transaction.atomic():
                summary = seeder.seed()
            self.stdout.write(f"  {seeder.name}: {summary}")

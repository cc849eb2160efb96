"""manage.py reindex_directory: rebuild the directory's search index from its rows."""

import time

from django.core.management.base import BaseCommand

from beacon.directory.indexing import reindex_services


class Command(BaseCommand):
    help = "Rebuild the directory search index (run after bulk changes made outside Beacon)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = reindex_services()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {rows} rows in {time.perf_counter() - started:.1f} s.")
        )

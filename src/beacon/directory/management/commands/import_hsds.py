"""manage.py import_hsds PATH: load HSDS 3.0 (datapackage or JSON) into the directory."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beacon.directory.hsds_import import ImportFailed, import_directory


class Command(BaseCommand):
    help = (
        "Import HSDS 3.0 into the directory: PATH is a folder with datapackage.json (CSV "
        "tables), a folder of JSON files as export_hsds writes them, or one JSON file "
        "(services, or an API page). Every record is checked first; any problem is listed "
        "with its file, row and field and nothing is written. Rows are matched by id: "
        "importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Also delete directory rows whose id is not in the input (the input becomes "
            "the whole directory). Without it, rows absent from the input are left alone.",
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Don't rebuild the search index of the services imported (run "
            "reindex_directory afterwards; until then search doesn't show the changes)",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            report = import_directory(
                Path(options["path"]), replace=options["replace"], index=not options["no_index"]
            )
        except ImportFailed as failed:
            for warning in failed.warnings:
                self.stderr.write(f"warning: {warning}")
            for error in failed.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(failed.errors)} problem(s) found; nothing was imported."
            ) from None
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported in {time.perf_counter() - started:.1f} s; "
                f"{report.reindexed} search index rows rebuilt."
            )
        )

"""manage.py export_hsds OUT: the directory as HSDS 3.0, JSON and tabular datapackage."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from beacon.directory.hsds_export import export_directory


class Command(BaseCommand):
    help = (
        "Write the directory as HSDS 3.0 into OUT/json/ (the API's JSON shapes) and "
        "OUT/datapackage/ (datapackage.json + one CSV per HSDS table). Deterministic: the "
        "same directory always gives the same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="Folder to write (created; existing files replaced)")
        parser.add_argument(
            "--format",
            choices=["both", "json", "datapackage"],
            default="both",
            help="Which form to write (default: both)",
        )

    def handle(self, *args, **options):
        out = Path(options["out"])
        forms = ("json", "datapackage") if options["format"] == "both" else (options["format"],)
        started = time.perf_counter()
        counts = export_directory(out, forms=forms)
        for form, files in counts.items():
            written = ", ".join(f"{name} {n}" for name, n in files.items() if n)
            self.stdout.write(f"{out / form}: {written or 'no rows'}")
        self.stdout.write(self.style.SUCCESS(f"Exported in {time.perf_counter() - started:.1f} s."))

"""manage.py load_crisis_lines: bring crisis lines up to date with the shipped data file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beacon.core.errors import DomainError
from beacon.help.services import DATA_FILE, sync_crisis_lines


class Command(BaseCommand):
    help = "Load or update crisis lines from the data file, keeping lines edited in the admin."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--file",
            type=Path,
            default=DATA_FILE,
            help="A crisis-line JSON file (default: the one Beacon ships)",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            report = sync_crisis_lines(path=options["file"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(report.summary())

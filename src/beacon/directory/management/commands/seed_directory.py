"""manage.py seed_directory --services N: a large synthetic directory (benchmarks, demos)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from beacon.directory.synthetic import generate


class Command(BaseCommand):
    help = (
        "Add N synthetic services (names say 'Synthetic', phone numbers are fictional "
        "555-01xx) with organisations, locations in US towns, phones, hours, languages, "
        "costs and taxonomy terms. The same --seed gives the same rows; use another seed to "
        "add more to a directory that already has some."
    )

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, required=True)
        parser.add_argument(
            "--locations",
            type=int,
            default=None,
            help="Physical locations to create (default: about 0.7 per local service)",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Skip rebuilding the search index (run reindex_directory later)",
        )

    def handle(self, *args, **options):
        if options["services"] < 1:
            raise CommandError("--services must be at least 1")
        if options["locations"] is not None and options["locations"] < 0:
            raise CommandError("--locations must be 0 or more")
        started = time.perf_counter()
        try:
            counts = generate(
                options["services"],
                locations=options["locations"],
                seed=options["seed"],
                index=not options["no_index"],
            )
        except IntegrityError:
            raise CommandError(
                f"Rows of seed {options['seed']} were already added; use another --seed."
            ) from None
        for name, count in counts.items():
            self.stdout.write(f"{name:<28}{count:>10}")
        self.stdout.write(self.style.SUCCESS(f"Seeded in {time.perf_counter() - started:.1f} s."))

"""Time `import_hsds` of a 100,000-service directory into an empty database.

Seeds a synthetic directory (`seed_directory`), exports it (`export_hsds`, datapackage form;
add --json to also time the JSON form), empties the directory tables, then times the import
(check + write) and, separately, rebuilding the search index for the imported services.
Target: import ≤ 120 s on SQLite and on PostgreSQL.

    python bench/directory/import_bench.py                       # SQLite, 100,000 services
    BEACON_TEST_PG_PORT=54335 tools/with-postgres.sh \\
        .venv/bin/python bench/directory/import_bench.py
"""

from __future__ import annotations

import argparse
import io
import os
import time

from _setup import database_label, empty_directory, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="also time the JSON form")
    parser.add_argument("--index", action="store_true", help="also time the search index")
    args = parser.parse_args()
    tmp = setup_django()
    from django.core.management import call_command

    from beacon.directory import models as m
    from beacon.directory.hsds_export import export_directory
    from beacon.directory.hsds_import import import_directory

    print(f"database: {database_label()}, services: {args.services}, load: {os.getloadavg()}")
    started = time.perf_counter()
    call_command("seed_directory", services=args.services, no_index=True, stdout=io.StringIO())
    print(f"seed_directory        {time.perf_counter() - started:8.1f} s")
    forms = ["datapackage", "json"] if args.json else ["datapackage"]
    started = time.perf_counter()
    export_directory(tmp / "export", forms=forms)
    print(f"export_hsds ({'+'.join(forms)}) {time.perf_counter() - started:8.1f} s")
    rows = sum(model.objects.count() for model in (m.Service, m.Phone, m.Schedule, m.Attribute))
    for form in forms:
        empty_directory()
        started, cpu = time.perf_counter(), time.process_time()
        report = import_directory(tmp / "export" / form, index=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        created = sum(report.created.values())
        print(
            f"import_hsds {form:<11} {seconds:8.1f} s  (CPU of this process {cpu:.1f} s; "
            f"{created} rows created, {created / seconds:,.0f} rows/s)  target <= 120 s: "
            f"{'OK' if seconds <= 120 else 'MISSED'}"
        )
        assert m.Service.objects.count() == args.services
        started = time.perf_counter()
        again = import_directory(tmp / "export" / form, index=False)
        print(
            f"  again (unchanged)     {time.perf_counter() - started:8.1f} s  "
            f"({sum(again.unchanged.values())} unchanged, {sum(again.updated.values())} updated)"
        )
    if args.index:
        from beacon.directory.indexing import reindex_services

        started = time.perf_counter()
        indexed = reindex_services()
        print(f"reindex_directory     {time.perf_counter() - started:8.1f} s  ({indexed} rows)")
    print(f"(services, phones, schedules, attributes: {rows} rows)")


if __name__ == "__main__":
    main()

"""Server time of HSDS API pages on a 100,000-service directory.

Seeds a synthetic directory (`seed_directory`, search index built as `import_hsds` and the
curator pages keep it) and requests, in-process through Django's test client (full
middleware, no network), pages of 50 services: the first page, random and last pages of the
whole list, text searches, a taxonomy_term_id filter, both, and deep pages of the other list
endpoints. Prints p50/p95/max per kind and the machine's load. Target: p95 ≤ 100 ms.

    python bench/directory/api_bench.py                       # SQLite, 100,000 services
    python bench/directory/api_bench.py --keep /tmp/api.sqlite3   # seed once, reuse after
    DATABASE_URL=postgres://… python bench/directory/api_bench.py --reuse
    BEACON_TEST_PG_PORT=55443 tools/with-postgres.sh \\
        .venv/bin/python bench/directory/api_bench.py

--no-index seeds without the search index, to time `search=` on services not indexed yet.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import time
from pathlib import Path

from _setup import database_label, setup_django


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--no-index", action="store_true", help="don't build the search index")
    parser.add_argument(
        "--keep", help="SQLite file to seed once and reuse on later runs (skips seeding)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the directory already in DATABASE_URL's database when it has one",
    )
    args = parser.parse_args()
    reuse = bool(args.keep) and Path(args.keep).exists()
    setup_django(args.keep)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from beacon.directory.models import Location, Organization, Service, ServiceAtLocation
    from beacon.directory.taxonomy import term_id

    print(f"database: {database_label()}, services: {args.services}, load: {os.getloadavg()}")
    reuse = reuse or (args.reuse and Service.objects.exists())
    if reuse:
        print(f"reusing the directory in {connection.settings_dict['NAME']}")
    else:
        started = time.perf_counter()
        call_command("seed_directory", services=args.services, no_index=True, stdout=io.StringIO())
        print(f"seed_directory {time.perf_counter() - started:.1f} s")
        if not args.no_index:
            started = time.perf_counter()
            call_command("reindex_directory", verbosity=0)
            print(f"reindex_directory {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    services = Service.objects.count()
    pages = max(1, -(-services // 50))
    org_pages = max(1, -(-Organization.objects.count() // 50))
    sal_pages = max(1, -(-ServiceAtLocation.objects.count() // 50))
    ids = list(Service.objects.values_list("id", flat=True)[:2000])
    # An incremental harvest: 1,000 services changed since the harvester's last visit.
    since = timezone.now()
    Service.objects.filter(id__in=ids[:1000]).update(last_modified=since)
    since_text = since.isoformat().replace("+00:00", "Z")
    print(
        f"{services} services, {Organization.objects.count()} organisations, "
        f"{Location.objects.count()} locations"
    )
    rng = random.Random(5)
    veterans = term_id("audience", "veterans")
    words = ("counselling", "peer", "crisis", "Portland", "warmline", "support group")
    kinds = {
        "first_page": lambda: "/api/hsds/services?per_page=50",
        "page": lambda: f"/api/hsds/services?per_page=50&page={rng.randint(1, pages)}",
        "last_pages": lambda: f"/api/hsds/services?per_page=50&page={pages - rng.randint(0, 9)}",
        "search": lambda: "/api/hsds/services?per_page=50&search=" + rng.choice(words),
        "search_page_5": lambda: "/api/hsds/services?per_page=50&page=5&search=support",
        "search_rare": lambda: (
            f"/api/hsds/services?per_page=50&search=synthetic+{rng.randint(1, services):06d}"
        ),
        "taxonomy_term": lambda: (
            f"/api/hsds/services?per_page=50&taxonomy_term_id={veterans}&page={rng.randint(1, 20)}"
        ),
        "term_and_search": lambda: (
            f"/api/hsds/services?per_page=50&taxonomy_term_id={veterans}&search=group"
        ),
        "modified_after": lambda: (
            f"/api/hsds/services?per_page=50&modified_after={since_text}&page={rng.randint(1, 20)}"
        ),
        "modified_all": lambda: (  # a date before everything: the whole list again
            "/api/hsds/services?per_page=50&modified_after=2000-01-01T00:00:00Z"
            f"&page={rng.randint(1, pages)}"
        ),
        "service_detail": lambda: f"/api/hsds/services/{rng.choice(ids)}",
        "organizations": lambda: f"/api/hsds/organizations?page={rng.randint(1, org_pages)}",
        "service_at_locs": lambda: (
            f"/api/hsds/service_at_locations?page={rng.randint(1, sal_pages)}"
        ),
    }
    client = Client()
    worst = 0.0
    print(f"{'kind':<18}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  items")
    for name, url in kinds.items():
        client.get(url())  # warm caches
        timings, sizes = [], []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url())
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
            sizes.append(response.json().get("total_items", 1))
        p95 = percentile(timings, 0.95)
        worst = max(worst, p95)
        print(
            f"{name:<18}{statistics.median(timings):9.1f}{p95:9.1f}{max(timings):9.1f}"
            f"  {int(statistics.median(sizes))} total_items"
        )
    print(f"worst p95 {worst:.1f} ms; target <= 100 ms: {'OK' if worst <= 100 else 'MISSED'}")
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()

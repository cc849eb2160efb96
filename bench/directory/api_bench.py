"""Server time of HSDS API pages on a 100,000-service directory.

Seeds a synthetic directory (`seed_directory`) and requests, in-process through Django's
test client (full middleware, no network), pages of 50 services: plain pages across the
list, a text search, and a taxonomy_term_id filter. Prints p50/p95/max per kind.
Target: p95 ≤ 100 ms.

    python bench/directory/api_bench.py                       # SQLite, 100,000 services
    BEACON_TEST_PG_PORT=54335 tools/with-postgres.sh \\
        .venv/bin/python bench/directory/api_bench.py
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time

from _setup import database_label, setup_django


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from beacon.directory.taxonomy import term_id

    started = time.perf_counter()
    call_command("seed_directory", services=args.services, no_index=True, stdout=io.StringIO())
    print(f"database: {database_label()}, services: {args.services}")
    print(f"seed_directory {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    pages = max(1, args.services // 50)
    rng = random.Random(5)
    veterans = term_id("audience", "veterans")
    kinds = {
        "page": lambda: f"/api/hsds/services?per_page=50&page={rng.randint(1, pages)}",
        "first_page": lambda: "/api/hsds/services?per_page=50",
        "search": lambda: (
            "/api/hsds/services?per_page=50&search="
            + rng.choice(("counselling", "peer", "crisis", "Portland", "warmline"))
        ),
        "search_page_5": lambda: "/api/hsds/services?per_page=50&page=5&search=support",
        "taxonomy_term": lambda: (
            f"/api/hsds/services?per_page=50&taxonomy_term_id={veterans}&page={rng.randint(1, 20)}"
        ),
        "term_and_search": lambda: (
            f"/api/hsds/services?per_page=50&taxonomy_term_id={veterans}&search=group"
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
            sizes.append(response.json()["total_items"])
        p95 = percentile(timings, 0.95)
        worst = max(worst, p95)
        print(
            f"{name:<18}{statistics.median(timings):9.1f}{p95:9.1f}{max(timings):9.1f}"
            f"  {int(statistics.median(sizes))} total_items"
        )
    print(f"worst p95 {worst:.1f} ms; target <= 100 ms: {'OK' if worst <= 100 else 'MISSED'}")


if __name__ == "__main__":
    main()

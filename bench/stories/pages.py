"""Server time of the story feed and story pages with a large community.

Creates a fresh database (SQLite under a temporary folder, or the PostgreSQL in
DATABASE_URL), seeds N stories and M comments with `manage.py seed_stories`, then renders
pages in-process through Django's test client (the full middleware stack, no network) and
reports p50/p95/max per page kind. Target: p95 under 50 ms.

    python bench/stories/pages.py                      # SQLite, 10,000 stories, 100,000 comments
    tools/with-postgres.sh .venv/bin/python bench/stories/pages.py   # the same on PostgreSQL
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="beacon-bench-")
    os.environ["BEACON_VAR_DIR"] = tmp
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "beacon.config.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.makedirs(f"{tmp}/static", exist_ok=True)  # whitenoise looks for it
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.conf import settings

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_stories", stories=args.stories, comments=args.comments, stdout=io.StringIO())
    seed_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from beacon.stories.models import Story

    codes = list(Story.objects.values_list("code", flat=True))
    busiest = list(Story.objects.order_by("-comment_count").values_list("code", flat=True)[:5])
    rng = random.Random(3)
    client = Client()
    kinds = {
        "feed": lambda: "/stories/",
        "feed_page_50": lambda: "/stories/?page=50",
        "feed_theme_filter": lambda: "/stories/?theme=advocacy&page=3",
        "story": lambda: f"/stories/{rng.choice(codes)}/",
        "story_busiest": lambda: f"/stories/{rng.choice(busiest)}/",
    }
    results = {}
    for name, make_path in kinds.items():
        for _ in range(10):  # warm-up
            client.get(make_path())
        times = []
        for _ in range(args.requests):
            path = make_path()
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        results[name] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "max_ms": round(max(times), 2),
        }
    report = {
        "database": connection.vendor,
        "stories": args.stories,
        "comments": args.comments,
        "seed_seconds": round(seed_seconds, 1),
        "requests_per_kind": args.requests,
        "pages": results,
        "target_p95_ms": 50,
        "all_within_target": all(r["p95_ms"] < 50 for r in results.values()),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

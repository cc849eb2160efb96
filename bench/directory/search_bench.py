"""Server time of directory searches on a large synthetic directory.

Creates a fresh database (SQLite in a temporary folder, or the PostgreSQL in DATABASE_URL),
loads the gazetteer, generates N services over M locations with `manage.py seed_directory`,
builds the search index, then runs searches with words + two filters + a place within a
radius + "open now" — the hardest combination the page offers — both through the search
function and as full pages through Django's test client (middleware, templates, no network).
Prints p50/p95/max, and PASS or MISS of the p95 against the 50 ms target (the hard
searches; the broad ones without a place have no target, see docs/developer/domain.md).
The exit status is 1 when a target is missed.

    python bench/directory/search_bench.py                          # SQLite, 100k / 20k
    tools/with-postgres.sh .venv/bin/python bench/directory/search_bench.py   # PostgreSQL
    python bench/directory/search_bench.py --services 2000 --locations 400 --queries 30
                                                                    # a quick check it runs
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

TARGET_MS = 50.0
WORDS = ["support", "counselling", "group", "help", "peer", "line", "youth", "family"]
FILTER_PAIRS = [
    ("kind", "audience"),
    ("kind", "language"),
    ("audience", "cost"),
    ("channel", "cost"),
    ("kind", "channel"),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(label: str, times: list[float], target_ms: float | None = None) -> bool:
    """Print the line for one measurement; return False when its p95 misses `target_ms`."""
    ms = [t * 1000 for t in times]
    p95 = percentile(ms, 0.95)
    verdict = ""
    if target_ms is not None:
        verdict = f"  {'PASS' if p95 <= target_ms else 'MISS'} (p95 target {target_ms:.0f} ms)"
    print(
        f"{label:<44} n={len(ms):>4}  p50 {percentile(ms, 0.5):6.1f} ms  "
        f"p95 {p95:6.1f} ms  max {max(ms):6.1f} ms{verdict}"
    )
    return target_ms is None or p95 <= target_ms


def seed(args: argparse.Namespace, call_command) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call_command("load_places", "--country", "US", verbosity=0)
    print(f"Gazetteer loaded in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call_command(
        "seed_directory",
        services=args.services,
        locations=args.locations,
        seed=args.seed,
        no_index=True,
        verbosity=0,
    )
    print(
        f"Seeded {args.services} services / {args.locations} locations in "
        f"{time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    call_command("reindex_directory", verbosity=0)
    print(f"Indexed in {time.perf_counter() - started:.1f} s")


def machine_speed() -> float:
    """Milliseconds of a fixed pure-Python workload (best of 5): this machine's speed at
    the moment. Shared machines change speed by tens of per cent within an hour; compare
    figures of runs whose speed lines agree."""
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        sum(i * i for i in range(300_000))
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--locations", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep",
        metavar="FILE",
        help="SQLite file to seed once and reuse on later runs (skips seeding when it exists)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Reuse the directory already in DATABASE_URL's database when it has one",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="beacon-bench-")
    os.environ["BEACON_VAR_DIR"] = tmp
    reuse = bool(args.keep) and Path(args.keep).exists()
    if args.keep:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.keep).resolve()}"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "beacon.config.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.makedirs(f"{tmp}/static", exist_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from beacon.config.startup import warm_up

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    from beacon.directory.models import Service

    if args.reuse and Service.objects.exists():
        reuse = True
    if reuse:
        print(f"Reusing the directory in {connection.settings_dict['NAME']}")
    else:
        seed(args, call_command)

    from beacon.directory.models import Location, ServiceIndex
    from beacon.directory.search import Filters, search
    from beacon.directory.views.public import _choices

    print(f"Index rows: {ServiceIndex.objects.count()}")
    choices = _choices()
    rng = random.Random(args.seed)
    # Places people type: the towns where the synthetic locations are.
    towns = list(
        Location.objects.exclude(latitude=None)
        .values_list(
            "addresses__city",
            "addresses__postal_code",
            "addresses__state_province",
            "latitude",
            "longitude",
        )
        .distinct()[:2000]
    )
    queries = []
    for _ in range(args.queries):
        city, postcode, state, lat, lon = rng.choice(towns)
        pair = rng.choice(FILTER_PAIRS)
        params = {"q": rng.choice(WORDS), "radius": 25, "open_now": "1"}
        params["place"] = postcode if postcode and rng.random() < 0.5 else city
        picks = {name: rng.choice(choices[name])[0] for name in pair if choices[name]}
        params.update(picks)
        queries.append((params, lat, lon, state, picks))

    warm_up()  # as the WSGI entry point does in production
    speed_before = machine_speed()
    now = timezone.now()
    engine, pages, totals = [], [], []
    plural = {
        "kind": "kinds",
        "audience": "audiences",
        "language": "languages",
        "channel": "channels",
        "cost": "costs",
    }
    for params, lat, lon, state, picks in queries:
        filters = Filters(
            text=params["q"],
            latitude=lat,
            longitude=lon,
            radius_km=25 * 1.609344,
            open_now=True,
            country="US",
            region=state or "",
            **{plural[k]: (v,) for k, v in picks.items()},
        )
        t0 = time.perf_counter()
        result = search(filters, now=now, per_page=20)
        engine.append(time.perf_counter() - t0)
        totals.append(result.total)
    client = Client()
    client.get("/directory/?" + urlencode(queries[0][0]))  # warm templates
    for params, *_ in queries:
        t0 = time.perf_counter()
        response = client.get("/directory/?" + urlencode(params))
        pages.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
    print(
        f"Machine speed (fixed workload, lower is faster): {speed_before:.1f} ms before, "
        f"{machine_speed():.1f} ms after"
    )
    print(f"Results per query: median {sorted(totals)[len(totals) // 2]}, max {max(totals)}")
    met = report("search() words+2 filters+radius+open now", engine, TARGET_MS)
    met &= report("GET /directory/ (same searches, full page)", pages, TARGET_MS)
    broad = [({"q": "support"}, "words only"), ({"kind": "crisis-helpline"}, "one filter only")]
    for params, label in broad:
        times = []
        for _ in range(30):
            t0 = time.perf_counter()
            client.get("/directory/?" + urlencode(params))
            times.append(time.perf_counter() - t0)
        report(f"GET /directory/ {label}", times)
    print(f"Target (p95 ≤ {TARGET_MS:.0f} ms): {'PASS' if met else 'MISS'}")
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()

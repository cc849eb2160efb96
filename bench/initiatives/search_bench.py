"""Server time of the initiatives list/search and the impact dashboard at scale.

Creates a fresh database (SQLite in a temporary folder, or the PostgreSQL in DATABASE_URL),
loads the gazetteer for the US West Coast, creates N listed initiatives (10 % online, the
rest scattered around real West-Coast towns, each with audiences and activities), then
times full pages through Django's test client (middleware, templates, no network):
- the list with a ZIP code and a radius, nearest first (the bounding box + exact distance);
- the same with an audience and an activity filter and words;
- the list with no filter (page 1 and a deep page);
- an initiative's page and the organisers' impact dashboard with 2 years of hours.
Prints p50/p95/max. Target: page p95 ≤ 50 ms.

    python bench/initiatives/search_bench.py                                  # SQLite
    tools/with-postgres.sh .venv/bin/python bench/initiatives/search_bench.py # PostgreSQL
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

ZIPS = ["97214", "97232", "98101", "94110", "90012", "97301", "97720", "95814", "98402"]
WORDS = ["peer", "circle", "support", "weekly", "community"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(label: str, times: list[float]) -> None:
    ms = [t * 1000 for t in times]
    print(
        f"{label:<48} n={len(ms):>4}  p50 {percentile(ms, 0.5):6.1f} ms  "
        f"p95 {percentile(ms, 0.95):6.1f} ms  max {max(ms):6.1f} ms"
    )


def seed(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Gazetteer, initiatives with audiences and activities, one busy initiative."""
    from django.db import connection, transaction
    from django.utils import timezone

    from beacon.accounts.models import User
    from beacon.initiatives.enums import Activity, Audience, MemberRole, Setting
    from beacon.initiatives.models import (
        Initiative,
        InitiativeActivity,
        InitiativeAudience,
        Membership,
        VolunteerShift,
    )
    from beacon.places.enums import PlaceKind
    from beacon.places.models import Place
    from beacon.places.services import load_places

    started = time.perf_counter()
    load_places(countries=("US",), us_states=("OR", "WA", "CA"))
    towns = list(Place.objects.filter(kind=PlaceKind.CITY, country="US"))
    print(f"Gazetteer: {Place.objects.count():,} places ({time.perf_counter() - started:.1f} s)")

    rng = random.Random(args.seed)
    organiser = User.objects.create_user(
        email="bench@bench.example", password=None, display_name="Bench organiser"
    )
    started = time.perf_counter()
    with transaction.atomic():
        rows = []
        for n in range(args.initiatives):
            online = rng.random() < 0.1
            town = rng.choice(towns)
            rows.append(
                Initiative(
                    name=f"{rng.choice(WORDS).title()} group {n}",
                    mission=f"A {rng.choice(WORDS)} {rng.choice(WORDS)} group number {n}.",
                    setting=Setting.ONLINE
                    if online
                    else rng.choice([Setting.URBAN, Setting.RURAL]),
                    place_name="" if online else town.label,
                    latitude=None if online else town.latitude + rng.uniform(-0.05, 0.05),
                    longitude=None if online else town.longitude + rng.uniform(-0.05, 0.05),
                    country="US",
                    status="listed",
                    created_by=organiser,
                    listed_at=timezone.now(),
                )
            )
        Initiative.objects.bulk_create(rows, batch_size=1000)
        ids = list(Initiative.objects.values_list("pk", flat=True))
        InitiativeAudience.objects.bulk_create(
            (
                InitiativeAudience(initiative_id=i, audience=a)
                for i in ids
                for a in rng.sample(Audience.values, 2)
            ),
            batch_size=2000,
        )
        InitiativeActivity.objects.bulk_create(
            (
                InitiativeActivity(initiative_id=i, activity=a)
                for i in ids
                for a in rng.sample(Activity.values, 2)
            ),
            batch_size=2000,
        )
        busy = Initiative.objects.get(pk=ids[0])
        Membership.objects.create(
            initiative=busy, user=organiser, role=MemberRole.ORGANISER, state="active"
        )
        today = datetime.date.today()
        VolunteerShift.objects.bulk_create(
            VolunteerShift(
                initiative=busy,
                user=organiser,
                date=today - datetime.timedelta(days=d % 730),
                hours=Decimal(rng.randint(1, 8)),
            )
            for d in range(5_000)
        )
    print(f"Created {args.initiatives:,} initiatives in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # both databases: fresh statistics for the planner
    return organiser, busy, ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--initiatives", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep",
        metavar="FILE",
        help="SQLite file to create once and reuse on later runs (default: a fresh one)",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="beacon-bench-")
    os.environ["BEACON_VAR_DIR"] = tmp
    sqlite_file = Path(args.keep).resolve() if args.keep else Path(tmp) / "bench.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{sqlite_file}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "beacon.config.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.makedirs(f"{tmp}/static", exist_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    # No setup_test_environment(): its template instrumentation (a signal and a context
    # copy per template rendered) is test-only cost that a served page never pays.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)

    from beacon.accounts.models import User
    from beacon.initiatives.enums import Activity, Audience
    from beacon.initiatives.models import Initiative
    from beacon.initiatives.queries import search_initiatives
    from beacon.places.queries import resolve_place

    if Initiative.objects.exists():
        print(f"Reusing {Initiative.objects.count():,} initiatives in {sqlite_file}")
        organiser = User.objects.get(email="bench@bench.example")
        ids = list(Initiative.objects.values_list("pk", flat=True))
        busy = Initiative.objects.get(memberships__user=organiser)
    else:
        organiser, busy, ids = seed(args)

    rng = random.Random(args.seed + 1)
    client = Client()
    client.force_login(organiser)

    def timed(label: str, paths: list[str]) -> None:
        client.get(paths[0])  # warm caches and the template loader
        times = []
        for path in paths:
            t = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, (path, response.status_code)
        report(label, times)

    q = args.queries
    points = [resolve_place(z) for z in ZIPS]
    for radius_mi in (25, 100):
        times = []
        for _ in range(q):
            place = rng.choice(points)
            t = time.perf_counter()
            results = search_initiatives(
                lat=place.latitude, lon=place.longitude, radius_km=radius_mi * 1.609344
            )
            len(results), results[0:20]
            times.append(time.perf_counter() - t)
        report(f"query: search_initiatives, {radius_mi} mi + page 1", times)

    def url(**params: str) -> str:
        return "/initiatives/?" + urlencode(params)

    timed(
        "list: ZIP + radius 25 mi",
        [url(near=rng.choice(ZIPS), radius="25") for _ in range(q)],
    )
    timed(
        "list: ZIP + radius 100 mi",
        [url(near=rng.choice(ZIPS), radius="100") for _ in range(q)],
    )
    timed(
        "list: ZIP + 50 mi + audience + activity + word",
        [
            url(
                near=rng.choice(ZIPS),
                radius="50",
                audience=rng.choice(Audience.values),
                activity=rng.choice(Activity.values),
                q=rng.choice(WORDS),
            )
            for _ in range(q)
        ],
    )
    timed("list: no filter, page 1", [url() for _ in range(q)])
    timed("list: no filter, page 100", [url(page="100") for _ in range(q)])
    timed(
        "initiative page",
        [
            f"/initiatives/{code}/"
            for code in rng.sample(
                list(Initiative.objects.values_list("code", flat=True)), min(q, len(ids))
            )
        ],
    )
    timed("impact dashboard (5,000 shifts)", [f"/initiatives/{busy.code}/impact/"] * q)


if __name__ == "__main__":
    main()

"""Event listing by place and date ("find support near me") with a large community.

Creates a fresh database (SQLite under a temporary folder, or the PostgreSQL in
DATABASE_URL), then 1,000 listed initiatives (30 % clustered around ten US metros, 10 %
online, the rest spread over the contiguous US), one weekly series each with 50
materialised meetings (50,000 occurrences, from ten weeks ago on), and 10 RSVPs per
meeting (500,000 RSVPs). It then times, for random points (half at metro centres, the
busiest case), a 25-mile radius over the next 30 days:

- `query`: `beacon.events.queries.find_events` (bounding box on the occurrence's own
  indexed coordinates, exact distance on ids and coordinates, sort) and its first page
  of 20 loaded with series and initiative;
- `page`: the whole `/events/near/` page through Django's test client (full middleware,
  place lookup by US ZIP code from the gazetteer, the groups beside the events, rendering);
- `groups`: the initiatives search page by the same ZIP code, 25 miles and an audience
  (`/initiatives/?near=…&radius=25&audience=veterans`; two audiences per initiative).

Prints p50/p95/max per kind. Target: p95 <= 50 ms; the exit status is 1 when any kind
misses it.

    .venv/bin/python bench/events/listing.py
    BEACON_TEST_PG_PORT=54332 tools/with-postgres.sh .venv/bin/python bench/events/listing.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

METROS = [
    (45.523, -122.676, "97201"),  # Portland
    (47.606, -122.332, "98101"),  # Seattle
    (37.774, -122.419, "94103"),  # San Francisco
    (34.052, -118.244, "90012"),  # Los Angeles
    (40.713, -74.006, "10007"),  # New York
    (41.878, -87.630, "60601"),  # Chicago
    (29.760, -95.370, "77002"),  # Houston
    (39.739, -104.990, "80202"),  # Denver
    (33.749, -84.388, "30303"),  # Atlanta
    (42.360, -71.059, "02108"),  # Boston
]
TARGET_P95_MS = 50
ZIPS_ELSEWHERE = ["97720", "59801", "87501", "57701", "04401", "32301", "73301", "84101"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    """Build the data, time the searches, print the figures; 0 when every kind meets the
    target, 1 when one misses it (so a script or CI step can fail on it)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--initiatives", type=int, default=1_000)
    parser.add_argument("--meetings", type=int, default=50, help="occurrences per initiative")
    parser.add_argument("--rsvps", type=int, default=10, help="RSVPs per occurrence")
    parser.add_argument("--requests", type=int, default=300)
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
    os.makedirs(f"{tmp}/static", exist_ok=True)  # whitenoise looks for it
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # No setup_test_environment(): its template instrumentation (a signal and a context
    # copy per template rendered) is test-only cost that a served page never pays.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor}")

    from beacon.events.models import Occurrence

    if Occurrence.objects.exists():
        print(f"Reusing {Occurrence.objects.count():,} occurrences in {sqlite_file}")
    else:
        seed(args, organiser_email="organiser@bench.example")
    seed_audiences()
    return measure(args)


def seed_audiences() -> None:
    """Two audiences per initiative (the groups search filters on them); kept files made
    before this step get them on their next run."""
    from django.db import connection

    from beacon.initiatives.enums import Audience
    from beacon.initiatives.models import Initiative, InitiativeAudience

    if InitiativeAudience.objects.exists():
        return
    values = Audience.values
    InitiativeAudience.objects.bulk_create(
        (
            InitiativeAudience(initiative_id=pk, audience=values[(pk + k) % len(values)])
            for pk in Initiative.objects.values_list("pk", flat=True)
            for k in (0, 5)
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def seed(args: argparse.Namespace, *, organiser_email: str) -> None:

    from django.db import connection
    from django.utils import timezone

    from beacon.accounts.models import User
    from beacon.events.models import EventSeries, Occurrence, Rsvp
    from beacon.initiatives.models import Initiative
    from beacon.places.services import load_places

    started = time.perf_counter()
    load_places(countries=("US",))
    rng = random.Random(7)
    organiser = User.objects.create_user(email=organiser_email, password="x" * 12)
    initiatives = []
    for n in range(args.initiatives):
        online = n % 10 == 0
        if online:
            lat = lon = None
        elif n % 10 < 4:
            lat0, lon0, _ = METROS[n // 10 % len(METROS)]
            lat, lon = lat0 + rng.uniform(-0.3, 0.3), lon0 + rng.uniform(-0.3, 0.3)
        else:
            lat, lon = rng.uniform(26, 48.5), rng.uniform(-123.5, -68)
        initiatives.append(
            Initiative(
                name=f"Bench initiative {n}",
                mission="Peer support for everyone who needs it.",
                setting="online" if online else "urban",
                place_name="" if online else f"Town {n}",
                latitude=lat,
                longitude=lon,
                country="US",
                status="listed",
                created_by=organiser,
                code=f"benchi{n:06d}",
            )
        )
    Initiative.objects.bulk_create(initiatives, batch_size=1000)
    initiatives = list(Initiative.objects.order_by("id"))
    today = timezone.localdate()
    series_rows = []
    for n, initiative in enumerate(initiatives):
        series_rows.append(
            EventSeries(
                initiative=initiative,
                title=f"Weekly circle {n}",
                kind="support_group",
                format="online" if initiative.setting == "online" else "in_person",
                place_name=initiative.place_name,
                latitude=initiative.latitude,
                longitude=initiative.longitude,
                online_url="https://meet.bench.example/" if initiative.setting == "online" else "",
                time_zone="America/Chicago",
                start_date=today - datetime.timedelta(weeks=10),
                start_time=datetime.time(18, 0),
                duration_minutes=90,
                recurrence="weekly",
                capacity=20,
                code=f"benchs{n:06d}",
            )
        )
    EventSeries.objects.bulk_create(series_rows, batch_size=1000)
    now = timezone.now()
    first = now - datetime.timedelta(weeks=10)
    occurrences = []
    for n, series in enumerate(EventSeries.objects.order_by("id")):
        offset = datetime.timedelta(hours=n % 7 * 24 + n % 5)
        for week in range(args.meetings):
            start = first + offset + datetime.timedelta(weeks=week)
            occurrences.append(
                Occurrence(
                    series=series,
                    day=start.date(),
                    original_start=start,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=90),
                    place_name=series.place_name,
                    latitude=series.latitude,
                    longitude=series.longitude,
                    capacity=20,
                    confirmed_count=args.rsvps,
                    code=f"bo{n:06d}w{week:03d}",
                )
            )
    Occurrence.objects.bulk_create(occurrences, batch_size=2000)
    occurrence_ids = list(Occurrence.objects.values_list("id", flat=True))
    batch = []
    for occurrence_id in occurrence_ids:
        for k in range(args.rsvps):
            batch.append(
                Rsvp(
                    occurrence_id=occurrence_id,
                    email=f"g{k}@bench.example",
                    state="confirmed",
                    code=f"r{occurrence_id:08d}k{k:02d}",
                )
            )
        if len(batch) >= 20_000:
            Rsvp.objects.bulk_create(batch)
            batch = []
    Rsvp.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # both databases: fresh statistics for the planner
    print(
        f"Created {Initiative.objects.count():,} initiatives, {Occurrence.objects.count():,} "
        f"occurrences, {Rsvp.objects.count():,} RSVPs in {time.perf_counter() - started:.0f} s"
    )


def measure(args: argparse.Namespace) -> int:

    from django.test import Client
    from django.utils import timezone

    from beacon.events.queries import find_events
    from beacon.places.models import Place

    now = timezone.now()

    zips = {
        p.key: (p.latitude, p.longitude)
        for p in Place.objects.filter(
            kind="postcode", key__in=[m[2] for m in METROS] + ZIPS_ELSEWHERE
        )
    }
    points = []
    for i in range(args.requests):
        if i % 2 == 0:
            lat, lon, zip_code = METROS[i // 2 % len(METROS)]
        else:
            zip_code = ZIPS_ELSEWHERE[i // 2 % len(ZIPS_ELSEWHERE)]
            lat, lon = zips.get(zip_code, (40.0, -100.0))
        points.append((lat, lon, zip_code))
    radius_km = 25 * 1.609344
    end = now + datetime.timedelta(days=30)

    kinds = ("query", "page", "groups")
    wall: dict[str, list[float]] = {k: [] for k in kinds}
    cpu: dict[str, list[float]] = {k: [] for k in kinds}

    def timed(kind: str, work):  # type: ignore[no-untyped-def]
        t0, c0 = time.perf_counter(), time.process_time()
        result = work()
        wall[kind].append((time.perf_counter() - t0) * 1000)
        cpu[kind].append((time.process_time() - c0) * 1000)
        return result

    sizes = []
    client = Client()
    today = timezone.localdate()
    dates = {"start": today.isoformat(), "end": (today + datetime.timedelta(days=30)).isoformat()}
    for lat, lon, zip_code in points[:20]:  # warm caches and the template loader
        find_events(lat=lat, lon=lon, radius_km=radius_km, start=now, end=end)
        client.get("/events/near/", {"place": zip_code, "radius": "25", **dates})
    for lat, lon, zip_code in points:

        def query(lat: float = lat, lon: float = lon):  # type: ignore[no-untyped-def]
            found = find_events(lat=lat, lon=lon, radius_km=radius_km, start=now, end=end)
            return found, found[0:20]  # what the page shows: the 20 nearest, loaded

        found, first_page = timed("query", query)
        assert len(first_page) == min(20, found.count())
        sizes.append(found.count())
        response = timed(
            "page",
            lambda z=zip_code: client.get("/events/near/", {"place": z, "radius": "25", **dates}),
        )
        assert response.status_code == 200, response.status_code
        response = timed(
            "groups",
            lambda z=zip_code: client.get(
                "/initiatives/", {"near": z, "radius": "25", "audience": "veterans"}
            ),
        )
        assert response.status_code == 200, response.status_code

    print(
        f"Results per search: median {statistics.median(sizes):.0f}, max {max(sizes)} "
        "(in-person within 25 miles, then online, next 30 days)"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Load average (1 min) at the end: {load:.1f} on {os.cpu_count()} CPUs")
    print(f"{'kind':<8}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'cpu p50':>9}{'cpu p95':>9}")
    for kind in kinds:
        print(
            f"{kind:<8}{len(wall[kind]):>6}{percentile(wall[kind], 0.5):>9.1f}"
            f"{percentile(wall[kind], 0.95):>9.1f}{max(wall[kind]):>9.1f}"
            f"{percentile(cpu[kind], 0.5):>9.1f}{percentile(cpu[kind], 0.95):>9.1f}"
        )
    print(
        "(ms of wall-clock time; cpu = CPU time of this process, i.e. the Django side without"
        " waiting for a busy machine's cores; on PostgreSQL the database's own work is not in it)"
    )
    status = exit_status(wall)
    print(f"Target p95 <= {TARGET_P95_MS} ms (wall):", "NOT met" if status else "met")
    return status


def exit_status(wall: dict[str, list[float]]) -> int:
    """0 when the p95 of every kind of request is within TARGET_P95_MS, else 1."""
    return 0 if all(percentile(v, 0.95) <= TARGET_P95_MS for v in wall.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Pledge signing under sustained load, and whether the counter ever loses a count.

Creates a fresh database (the PostgreSQL in DATABASE_URL; SQLite only for a smoke run), a
published campaign with one pledge and one signed-in account per planned signature, then:

- `--mode http` (default): starts gunicorn (2 workers x 8 threads) on a spare port and sends
  real HTTP POSTs to the pledge page (session cookie + CSRF token, exactly what a browser
  sends) on an open-loop schedule of `--rate` requests per second for `--seconds`;
- `--mode service`: calls `services.sign_pledge` from `--threads` threads in this process
  (no HTTP), on the same schedule.

Then it compares `Pledge.signature_count` with the confirmed rows and prints the achieved
rate, latency percentiles, how far the schedule slipped, errors and the lost count.
Targets: 200 signatures/s sustained for 30 s, 0 lost.

    BEACON_TEST_PG_PORT=54334 tools/with-postgres.sh \\
        .venv/bin/python bench/campaigns/pledge_signing.py --rate 200 --seconds 30
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_django(var_dir: str) -> None:
    os.environ["BEACON_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.config.settings")
    import django

    django.setup()


def create_world(people: int):  # type: ignore[no-untyped-def]
    """A published campaign, a pledge, `people` accounts and one session for each."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from beacon.accounts.enums import Role
    from beacon.accounts.models import User
    from beacon.campaigns import services
    from beacon.campaigns.enums import CampaignState

    call_command("migrate", verbosity=0)
    team = User.objects.create_user(
        email="team@bench.example", display_name="Team", role=Role.MODERATOR
    )
    campaign = services.save_campaign(
        None,
        actor=team,
        title="Bench campaign",
        goal="Many signatures",
        description="Sign it.",
        starts_on=timezone.localdate(),
        ends_on=None,
    )
    services.set_campaign_state(campaign, CampaignState.PUBLISHED, actor=team)
    pledge = services.save_pledge(
        campaign,
        None,
        actor=team,
        title="Bench pledge",
        statement="I will.",
        goal=people,
        followup_7_action="Ask one person how they are.",
        followup_30_action="Ask them again.",
    )
    now = timezone.now()
    users = []
    for i in range(people):
        user = User(
            email=f"signer{i}@bench.example",
            display_name=f"Signer {i}",
            email_verified_at=now,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(email__endswith="@bench.example").exclude(pk=team.pk))
    store = SessionStore()
    sessions, keys = [], []
    expiry = now + timezone.timedelta(days=1)
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        encoded = store.encode(data)
        sessions.append(Session(session_key=key, session_data=encoded, expire_date=expiry))
        keys.append(key)
    Session.objects.bulk_create(sessions, batch_size=1000)
    return pledge, users, keys


def start_gunicorn(
    var_dir: str, port: int, probe: str, *, workers: int = 2, threads: int = 8
) -> subprocess.Popen:
    env = os.environ | {
        "BEACON_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "beacon.config.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_CONN_MAX_AGE": "600",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "beacon.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", probe)
            conn.getresponse().read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn could not start") from None
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


class Schedule:
    """Open loop: request i is due at start + i / rate, whether or not earlier ones ended."""

    def __init__(self, rate: float, total: int) -> None:
        self.rate, self.total = rate, total
        self.counter = itertools.count()
        self.lock = threading.Lock()
        self.start = time.perf_counter() + 0.5
        self.latencies: list[float] = []
        self.slips: list[float] = []
        self.errors: list[str] = []
        self.done = 0
        self.last = self.start

    def next(self) -> int | None:
        with self.lock:
            i = next(self.counter)
        if i >= self.total:
            return None
        due = self.start + i / self.rate
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        return i

    def record(self, i: int, began: float, ok: bool, error: str = "") -> None:
        ended = time.perf_counter()
        with self.lock:
            self.latencies.append(ended - began)
            self.slips.append(began - (self.start + i / self.rate))
            self.last = max(self.last, ended)
            if ok:
                self.done += 1
            else:
                self.errors.append(error)


def run_http(port: int, pledge_code: str, keys: list[str], schedule: Schedule, threads: int):  # type: ignore[no-untyped-def]
    path = f"/campaigns/pledges/{pledge_code}/"

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (i := schedule.next()) is not None:
            token = secrets.token_hex(16)  # a 32-character CSRF secret: cookie and form agree
            body = urlencode({"csrfmiddlewaretoken": token, "show_name": "on"})
            headers = {
                "Cookie": f"sessionid={keys[i]}; csrftoken={token}",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            began = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                schedule.record(i, began, response.status == 302, f"HTTP {response.status}")
            except (OSError, http.client.HTTPException) as exc:
                schedule.record(i, began, False, type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


def run_service(pledge, users, schedule: Schedule, threads: int) -> None:  # type: ignore[no-untyped-def]
    from django.db import connections

    from beacon.campaigns import services
    from beacon.campaigns.models import Pledge

    def worker() -> None:
        try:
            while (i := schedule.next()) is not None:
                began = time.perf_counter()
                try:
                    fresh = Pledge.objects.select_related("campaign").get(pk=pledge.pk)
                    services.sign_pledge(fresh, user=users[i], show_name=True)
                    schedule.record(i, began, True)
                except Exception as exc:  # reported in the summary
                    schedule.record(i, began, False, type(exc).__name__)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="signatures per second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--mode", choices=["http", "service"], default="http")
    parser.add_argument("--threads", type=int, default=32, help="client threads")
    parser.add_argument("--server-workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--server-threads", type=int, default=8, help="threads per process")
    args = parser.parse_args()
    total = int(args.rate * args.seconds)
    var_dir = tempfile.mkdtemp(prefix="beacon-bench-campaigns-")
    setup_django(var_dir)
    from django.db import connection

    from beacon.campaigns.models import Pledge, Signature

    print(
        f"Database: {connection.vendor}; mode: {args.mode}; target {args.rate:.0f}/s "
        f"for {args.seconds:.0f} s ({total} signatures), {args.threads} client threads"
    )
    if connection.vendor != "postgresql":
        print("  (not PostgreSQL: a smoke run only; use tools/with-postgres.sh)")
    t = time.perf_counter()
    pledge, users, keys = create_world(total)
    print(f"Created {total} accounts and sessions in {time.perf_counter() - t:.1f} s")
    connection.close()

    schedule = Schedule(args.rate, total)
    server = None
    try:
        if args.mode == "http":
            probe = f"/campaigns/pledges/{pledge.code}/count/"
            server = start_gunicorn(
                var_dir,
                free_port(),
                probe,
                workers=args.server_workers,
                threads=args.server_threads,
            )
            port = int(server.args[server.args.index("--bind") + 1].rsplit(":", 1)[1])
            schedule.start = time.perf_counter() + 0.5
            run_http(port, pledge.code, keys, schedule, args.threads)
        else:
            schedule.start = time.perf_counter() + 0.5
            run_service(pledge, users, schedule, args.threads)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)

    pledge = Pledge.objects.get(pk=pledge.pk)
    rows = Signature.objects.filter(pledge=pledge, confirmed_at__isnull=False).count()
    elapsed = schedule.last - schedule.start
    achieved = schedule.done / elapsed if elapsed > 0 else 0.0
    lat = [x * 1000 for x in schedule.latencies]
    slip = [max(0.0, x) * 1000 for x in schedule.slips]
    print(f"Signed:   {schedule.done} of {total} in {elapsed:.1f} s -> {achieved:.1f} signatures/s")
    print(
        f"Latency:  p50 {percentile(lat, 0.5):.1f} ms, p95 {percentile(lat, 0.95):.1f} ms, "
        f"p99 {percentile(lat, 0.99):.1f} ms, max {max(lat, default=0):.1f} ms"
    )
    print(
        f"Schedule: requests started late by p95 {percentile(slip, 0.95):.1f} ms, "
        f"max {max(slip, default=0):.1f} ms (open loop; large = the server fell behind)"
    )
    if schedule.errors:
        kinds = {e: schedule.errors.count(e) for e in set(schedule.errors)}
        print(f"Errors:   {len(schedule.errors)} {kinds}")
    print(
        f"Counter:  {pledge.signature_count}; rows: {rows}; successful requests: "
        f"{schedule.done}; lost: {rows - pledge.signature_count}; "
        f"rows without a success: {rows - schedule.done}"
    )
    sustained = achieved >= 0.98 * args.rate and not schedule.errors
    print(
        f"Result:   {'PASS' if sustained and rows == pledge.signature_count else 'FAIL'} "
        f"(target {args.rate:.0f}/s sustained, 0 lost, 0 errors); mean latency "
        f"{statistics.fmean(lat) if lat else 0:.1f} ms"
    )


if __name__ == "__main__":
    main()

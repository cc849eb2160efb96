"""A live conversation with many participants, against a real server: how long until an
answer one person posts is visible to the others?

Creates a fresh database (SQLite file under a temporary folder, or the PostgreSQL in
DATABASE_URL), an open conversation and N members with signed-in sessions, starts gunicorn
with `beacon.config.gunicorn` (as `make run` does) on a spare port, then runs N simulated
participants in a few client processes. Each participant's page does what live.js does:
it holds the conversation's event stream (`/conversations/<code>/stream/`, reconnecting with
its cursor), or with `--mode poll` (or when the server has no stream place left) polls
`/updates/?since=…` waiting the page's interval after each answer. Each person also posts an
answer now and then (exponential gaps, `--post-every` seconds on average) through the same
form the page uses. For every answer and every other participant it records the time from
"post sent" to "the event or poll that brought it arrived".

    python bench/conversations/live.py                                  # SQLite, 500 people
    tools/with-postgres.sh .venv/bin/python bench/conversations/live.py # the same on PostgreSQL
    python bench/conversations/live.py --participants 100 --duration 30 # a quicker look

Target: visible to others, p95 ≤ 1 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
PY = sys.executable
ANSWERS = [
    "Making my bed, even badly. One thing done before the day decides anything.",
    "A short walk to the corner shop and back, with one song I know every word of.",
    "My brother sends a photo of his dog every morning. No questions, no pressure.",
    "Writing three lines in a notebook before sleep: one worry, one thanks, one plan.",
    "Opening the curtains first thing, even on grey days.",
    "A colleague who asked if I wanted a coffee, and made it easy to talk.",
]
CSRF = "benchbenchbenchbenchbenchbench12"  # a 32-character secret, sent as cookie and header


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(participants: int) -> dict:
    """Create the conversation, the people and their sessions (in this process)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.config.settings")
    django.setup()
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from beacon.accounts.enums import Role
    from beacon.accounts.models import User
    from beacon.conversations.models import Lens
    from beacon.conversations.services import QuestionInput, schedule_conversation

    host = User.objects.create_user(
        "host@bench.example", None, display_name="Host", role=Role.MODERATOR
    )
    lenses = list(Lens.objects.all())
    conversation = schedule_conversation(
        actor=host,
        title="Bench: small things that help",
        introduction="A benchmark conversation.",
        time_zone="UTC",
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=3),
        questions=[QuestionInput(f"Question {i + 1}?", lens) for i, lens in enumerate(lenses)],
    )
    users = User.objects.bulk_create(
        User(email=f"p{i}@bench.example", display_name=f"Participant {i}", password="!")  # noqa: S106 - unusable
        for i in range(participants)
    )
    sessions = []
    for user in User.objects.filter(email__endswith="@bench.example").exclude(pk=host.pk):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    assert len(sessions) == len(users)
    return {
        "code": conversation.code,
        "questions": conversation.questions.count(),
        "sessions": sessions,
        "seq": conversation.seq,
    }


ANSWER_ID = re.compile(r'<li class="answer[^"]*" id="answer-(\w+)"')


def post_answer(conn, cookie, code, question, rng):  # type: ignore[no-untyped-def]
    """Post one answer through the page's form; return (answer code or None, connection)."""
    body = (
        f"q{question}-body="
        + rng.choice(ANSWERS).replace(" ", "+").replace(",", "%2C")
        + "&action=post_as_is"
    )
    try:
        conn.request(
            "POST",
            f"/conversations/{code}/questions/{question}/answer/",
            body=body,
            headers={
                "Cookie": cookie,
                "X-CSRFToken": CSRF,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = conn.getresponse()
        response.read()
        match = re.search(r"#answer-(\w+)", response.getheader("Location") or "")
        if response.status == 302 and match:
            return match.group(1), conn
    except (OSError, http.client.HTTPException):
        conn.close()
        conn = http.client.HTTPConnection(conn.host, conn.port, timeout=30)
    return None, conn


def poster_loop(args: tuple) -> None:
    """Posts for every participant of this client process, each on their own schedule
    (exponential gaps), on a connection of its own: a page's reader is never held up."""
    (port, code, questions, people, start, stop, post_every, out, seed) = args
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    due = sorted(
        (start + rng.expovariate(1 / post_every), index, session) for index, session in people
    )
    errors = 0
    while due and time.time() < stop:
        when, index, session = due.pop(0)
        time.sleep(max(0.0, when - time.time()))
        if time.time() >= stop:
            break
        sent = time.time()
        answer, conn = post_answer(
            conn, f"sessionid={session}; csrftoken={CSRF}", code, index % questions, rng
        )
        if answer:
            out.put(("post", answer, index, sent, time.time()))
        else:
            errors += 1
        due.append((time.time() + rng.expovariate(1 / post_every), index, session))
        due.sort()
    out.put(("posterstats", "", 0, 0.0, float(errors)))


def reader_loop(args: tuple) -> None:  # one thread: one open conversation page
    (port, code, session, index, start, stop, every, mode, out, seed) = args
    rng = random.Random(seed)
    cookie = f"sessionid={session}; csrftoken={CSRF}"
    since = 0
    seen: set[str] = set()
    polls = errors = streams = refused = 0
    poll_times: list[float] = []

    def saw(html: str, arrived: float) -> None:
        for answer_code in ANSWER_ID.findall(html):
            if answer_code not in seen:
                seen.add(answer_code)
                out.put(("seen", answer_code, index, arrived, 0.0))

    # Pages open at random moments, as real page loads would.
    # Streams are open before the first post (at `start`); polls start within one interval.
    lead = max(0.0, start - time.time())
    time.sleep(rng.random() * (lead if mode == "stream" else every))
    while mode == "stream" and time.time() < stop:
        # As the browser's EventSource does: open the stream with the cursor, read events,
        # reconnect with the last event's id when it ends.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=stop - time.time() + 30)
        try:
            conn.request(
                "GET",
                f"/conversations/{code}/stream/?since={since}",
                headers={"Cookie": cookie, "Accept": "text/event-stream"},
            )
            response = conn.getresponse()
            if response.status == 204:  # no stream place left: the page polls instead
                refused += 1
                mode = "poll"
                break
            streams += 1
            # Read what has arrived and split it into events (as a browser does natively;
            # line-by-line reading in Python would make the client the bottleneck).
            buffer = b""
            while time.time() < stop:
                chunk = response.read1(65536)
                if not chunk:
                    break
                buffer += chunk
                *events, buffer = buffer.split(b"\n\n")
                arrived = time.time()
                for event in events:
                    text = event.decode()
                    if text.startswith("id: "):
                        head, _, body = text.partition("\n")
                        since = int(head[4:])
                        saw(body, arrived)
        except (OSError, http.client.HTTPException):
            errors += 1
            time.sleep(0.5)
        finally:
            conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while mode == "poll" and time.time() < stop:
        began = time.time()
        try:
            conn.request(
                "GET", f"/conversations/{code}/updates/?since={since}", headers={"Cookie": cookie}
            )
            response = conn.getresponse()
            html = response.read().decode()
            arrived = time.time()
            polls += 1
            poll_times.append(arrived - began)
            if response.status in (200, 204):
                since = int(response.getheader("X-Seq") or since)
                saw(html, arrived)
            else:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        time.sleep(every)  # live.js waits the interval after each answer
    out.put(("stats", json.dumps([streams, refused]), index, float(polls), float(errors)))
    out.put(("polltimes", json.dumps(poll_times[::5]), index, 0.0, 0.0))


def client_process(readers: list[tuple], poster: tuple) -> None:
    threads = [threading.Thread(target=reader_loop, args=(a,), daemon=True) for a in readers]
    threads.append(threading.Thread(target=poster_loop, args=(poster,), daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--post-every", type=float, default=60.0, help="mean seconds per person")
    parser.add_argument("--mode", choices=["stream", "poll"], default="stream")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--streams", type=int, default=None, help="BEACON_LIVE_STREAMS (default: the setting's)"
    )
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="beacon-bench-conversations-"))
    os.environ["BEACON_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "beacon.config.settings"
    os.environ.pop("DEBUG", None)
    os.environ["WEB_CONCURRENCY"] = str(args.workers)
    if args.streams is not None:
        os.environ["BEACON_LIVE_STREAMS"] = str(args.streams)
    engine = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([PY, str(ROOT / "manage.py"), *command, "--verbosity", "0"], check=True)
    t0 = time.time()
    data = prepare(args.participants)
    print(f"Prepared {args.participants} participants in {time.time() - t0:.1f} s ({engine})")

    from beacon.conversations.views.common import POLL_MS

    port = spare_port()
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "-c",
            "python:beacon.config.gunicorn",
            "beacon.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--keep-alive",
            "75",
        ],
        cwd=ROOT / "src",
        env=os.environ.copy(),
    )
    try:
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/conversations/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not start")
        every = POLL_MS / 1000
        start = time.time() + 3
        stop = start + args.duration
        out: mp.Queue = mp.Queue()
        readers = [
            (port, data["code"], session, i, start, stop, every, args.mode, out, 1000 + i)
            for i, session in enumerate(data["sessions"])
        ]
        procs = []
        for n in range(args.clients):
            chunk = readers[n :: args.clients]
            people = [(r[3], r[2]) for r in chunk]
            poster = (
                port,
                data["code"],
                data["questions"],
                people,
                start,
                stop,
                args.post_every,
                out,
                n,
            )
            procs.append(mp.Process(target=client_process, args=(chunk, poster)))
        for p in procs:
            p.start()
        posts: dict[str, tuple[int, float, float]] = {}
        seen: list[tuple[str, int, float]] = []
        polls = errors = streams = refused = 0
        poll_times: list[float] = []
        finished = 0
        while finished < len(readers) * 2 + args.clients:
            kind, code, index, a, b = out.get()
            if kind == "post":
                posts[code] = (index, a, b)
            elif kind == "seen":
                seen.append((code, index, a))
            elif kind == "stats":
                polls += int(a)
                errors += int(b)
                opened, refusals = json.loads(code)
                streams += opened
                refused += refusals
                finished += 1
            elif kind == "posterstats":
                errors += int(b)
                finished += 1
            else:
                poll_times.extend(json.loads(code))
                finished += 1
        for p in procs:
            p.join()
    finally:
        server.terminate()
        server.wait(timeout=10)

    latencies = [t - posts[c][1] for c, reader, t in seen if c in posts and posts[c][0] != reader]
    post_times = [b - a for _, a, b in posts.values()]
    print()
    print(
        f"Live conversation: {args.participants} participants, {args.duration:.0f} s, "
        f"gunicorn {args.workers} workers (beacon.config.gunicorn), {engine}, {args.mode} mode "
        f"(poll interval {POLL_MS} ms)"
    )
    print(f"  streams opened        {streams}; refused (page polled instead) {refused}")
    print(f"  answers posted        {len(posts)} ({len(posts) / args.duration:.1f}/s)")
    print(f"  polls                 {polls} ({polls / args.duration:.0f}/s), errors {errors}")
    if poll_times:
        print(
            f"  poll response         p50 {statistics.median(poll_times) * 1000:.0f} ms, "
            f"p95 {percentile(poll_times, 0.95) * 1000:.0f} ms"
        )
    if post_times:
        print(
            f"  posting an answer     p50 {statistics.median(post_times) * 1000:.0f} ms, "
            f"p95 {percentile(post_times, 0.95) * 1000:.0f} ms"
        )
    if latencies:
        expected = len(posts) * (args.participants - 1)
        print(
            f"  visible to others     p50 {statistics.median(latencies):.2f} s, "
            f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s "
            f"({len(latencies)} of {expected} sightings; answers posted in the last "
            f"interval may not be seen before the end)"
        )
        verdict = "meets" if percentile(latencies, 0.95) <= 1.0 else "MISSES"
        print(f"  target p95 ≤ 1 s: {verdict}")
    print(
        f"\nRerun: python bench/conversations/live.py --participants {args.participants} "
        f"--duration {args.duration:.0f}"
    )


if __name__ == "__main__":
    main()

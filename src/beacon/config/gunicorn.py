"""Gunicorn settings for Beacon: `gunicorn -c python:beacon.config.gunicorn beacon.config.wsgi`.

Threads (gthread) rather than processes do the waiting: a live conversation page holds one
streamed response, and so one thread, while it is open. Each process gets `BEACON_WEB_THREADS`
threads for ordinary requests plus one per allowed stream (`BEACON_LIVE_STREAMS`); threads
are started only when needed, so an idle pool costs nothing.
"""

from beacon.config.env import env_int, env_str
from beacon_safety import assess

bind = env_str("BEACON_BIND", "127.0.0.1:8000")
workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
worker_class = "gthread"
threads = env_int("BEACON_WEB_THREADS", 8, minimum=1) + env_int(
    "BEACON_LIVE_STREAMS", 300, minimum=0
)
# Enough open connections per process for every stream, ordinary requests and keep-alive.
worker_connections = threads + 100
graceful_timeout = 5


def when_ready(server):  # type: ignore[no-untyped-def]
    """Load the text-safety engine's lexicons once in the master, before workers are forked:
    every worker starts with them, so the first person to post after a restart does not
    wait half a second for the engine."""
    assess("Warming up.", kind="answer")

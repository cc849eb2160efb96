"""How often one client may ask for places as a guest (each request can send a mail).

Counted per client IP address in the cache (Redis when several app servers share it), in
fixed one-hour windows. The address is read the way the login throttle (django-axes)
reads it, so `BEACON_PROXY_COUNT` applies here too; only a hash of it is kept as the key.
The per-address limit (one mail per address and meeting every few minutes) is in
`services.rsvp_guest`.
"""

from __future__ import annotations

import hashlib

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest

GUEST_RSVPS_PER_IP_PER_HOUR = 20
WINDOW_SECONDS = 60 * 60


def _key(request: HttpRequest) -> str:
    address = get_client_ip_address(request) or "unknown"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"events:guest-rsvp:{digest}"


def allow_guest_rsvp(request: HttpRequest) -> bool:
    """Count one guest request from this client; False once it made too many this hour."""
    key = _key(request)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= GUEST_RSVPS_PER_IP_PER_HOUR

"""Re-authentication ("sudo mode") before sensitive changes.

A person who signed in a while ago is asked for their password again before they can
download their data, change their email or close their account. The moment of the last
password check is kept in the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

SESSION_KEY = "beacon_reauth_at"


def mark_reauthenticated(request: HttpRequest) -> None:
    """Record that the person just proved their password in this session."""
    request.session[SESSION_KEY] = int(time.time())


def recently_authenticated(request: HttpRequest) -> bool:
    """Return whether the password was checked within BEACON_REAUTH_SECONDS."""
    at = request.session.get(SESSION_KEY)
    return isinstance(at, int) and time.time() - at < settings.BEACON_REAUTH_SECONDS


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorator: sign-in required, and a recent password check, else ask for one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not recently_authenticated(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:reauth')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper

"""Helpers shared by the initiative views: loading with permissions, the safety reading."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from beacon.initiatives.models import Initiative
from beacon.initiatives.queries import access_initiative
from beacon_safety import assess as assess_text

ViewFn = Callable[..., HttpResponse]


def allowed(user: Any, perm: str, initiative: Initiative) -> bool:
    """Whether `user` holds `perm` on `initiative` by the initiative rules themselves.

    Unlike `user.has_perm`, site administrators get no blanket pass here: organiser work
    is done by the initiative's organisers (the services refuse anyone else).
    """
    return rules.has_perm(perm, user, initiative)


class LoginNeeded(Exception):
    """Raised by `load_initiative` when a visitor must sign in first."""


def load_initiative(request: HttpRequest, code: str, perm: str | None = None) -> Initiative:
    """The initiative `code` if the viewer may see it (404 otherwise) and holds `perm`.

    A visitor without the permission is asked to sign in; a signed-in person without it
    gets 403.
    """
    initiative = access_initiative(request.user, code)
    if initiative is None:
        raise Http404("No such initiative")
    if perm and not allowed(request.user, perm, initiative):
        if not request.user.is_authenticated:
            raise LoginNeeded
        raise PermissionDenied("Only the initiative's organisers can do this.")
    return initiative


def with_initiative(perm: str | None = None) -> Callable[[ViewFn], ViewFn]:
    """Decorate a view taking (request, initiative, ...): load by code with `perm` checked."""

    def decorate(view: ViewFn) -> ViewFn:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                initiative = load_initiative(request, code, perm)
            except LoginNeeded:
                return redirect_to_login(request.get_full_path())
            return view(request, initiative, *args, **kwargs)

        return wrapper

    return decorate


def safety_reading(text: str) -> dict[str, Any]:
    """What the engine sees in an initiative's text, shaped for initiatives/_assistant.html."""
    result = assess_text(text, kind="generic")
    return {
        "risk": str(result.risk),
        "passages": [
            {"text": text[f.start : f.end], "reason": f.reason, "suggestion": f.suggestion}
            for f in result.safe_messaging
        ],
        "words": [
            {"text": text[f.start : f.end], "alternatives": f.alternatives, "why": f.why}
            for f in result.language
        ],
        "personal": [
            {"text": text[f.start : f.end], "reason": f.reason} for f in result.personal_data
        ],
        "checked": True,
    }


def needs_a_second_look(reading: dict[str, Any]) -> bool:
    """Whether the organiser should see the assistant before sending (words, personal data)."""
    return bool(reading["words"] or reading["personal"] or reading["passages"])

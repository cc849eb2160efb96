"""How login attempts are keyed for throttling (django-axes)."""

from django.http import HttpRequest


def username_from_request(request: HttpRequest, credentials: dict | None) -> str:
    """Return the normalised email an attempt was made for, so case changes don't reset it."""
    value = ""
    if credentials:
        value = credentials.get("username") or credentials.get("email") or ""
    if not value and request is not None:
        value = request.POST.get("username", "")
    return str(value).strip().lower()

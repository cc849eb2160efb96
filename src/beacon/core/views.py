"""Site-wide pages: home, about, and the error pages (which always carry the help link)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"status": 400, "title": "Something in that request didn't look right"},
        status=400,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"status": 403, "title": "This page isn't open to you"},
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"status": 404, "title": "We couldn't find that page"},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Without context processors: whatever broke may be what they need.
    html = render_to_string("core/500.html", {"request": request})
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Shown when a form's security token expired, e.g. a page left open for hours."""
    return render(
        request,
        "core/error.html",
        {
            "status": 403,
            "title": "This form timed out",
            "detail": "For your safety, forms expire after a while. Go back, copy anything you "
            "typed, reload the page and send it again.",
        },
        status=403,
    )

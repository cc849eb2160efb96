"""The "get help now" page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from beacon.help.queries import (
    COUNTRY_COOKIE,
    country_choices,
    country_for_code,
    resolve_country_code,
    visible_lines,
)

COOKIE_AGE = 60 * 60 * 24 * 365


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """Crisis lines for the reader's country, with a picker that is remembered in a cookie."""
    code = resolve_country_code(request)
    country = country_for_code(code)
    unknown = country is None
    if unknown:
        country = country_for_code(settings.BEACON_DEFAULT_COUNTRY)
    lines = visible_lines(country) if country else []
    response = render(
        request,
        "help/help.html",
        {
            "country": country,
            "requested_code": code,
            "unknown_country": unknown,
            "verified_lines": [line for line in lines if line.is_verified],
            "unverified_lines": [line for line in lines if not line.is_verified],
            "countries": country_choices(),
        },
    )
    if "country" in request.GET and not unknown:
        response.set_cookie(
            COUNTRY_COOKIE,
            code,
            max_age=COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response

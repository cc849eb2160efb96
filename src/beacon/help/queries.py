"""Reading crisis lines: which country a reader sees, and that country's lines."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from beacon.help.models import CrisisChannel, CrisisLine, HelpCountry

COUNTRY_COOKIE = "beacon_country"


def country_choices() -> list[tuple[str, str]]:
    """Return (code, name) for every country with at least one visible line."""
    return list(
        HelpCountry.objects.filter(lines__is_hidden=False)
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )


def resolve_country_code(request: HttpRequest) -> str:
    """Return the reader's country: `?country=`, then the cookie, then the account setting,
    then the site default. Never guessed from the IP address."""
    for candidate in (
        request.GET.get("country", ""),
        request.COOKIES.get(COUNTRY_COOKIE, ""),
        getattr(request.user, "country", "") if request.user.is_authenticated else "",
    ):
        code = (candidate or "").strip().upper()
        if len(code) == 2 and code.isalpha():
            return code
    return settings.BEACON_DEFAULT_COUNTRY


def visible_lines(country: HelpCountry) -> QuerySet[CrisisLine]:
    """Return the lines shown for `country`, verified first, with channels prefetched."""
    return (
        CrisisLine.objects.filter(country=country, is_hidden=False)
        .select_related("country")
        .prefetch_related(
            Prefetch(
                "channels",
                queryset=CrisisChannel.objects.select_related("line__country").exclude(
                    value="", url=""
                ),
            )
        )
        .order_by("-status", "position", "name")
    )


def country_for_code(code: str) -> HelpCountry | None:
    """Return the country with `code`, or None when Beacon has no lines for it."""
    return HelpCountry.objects.filter(code=code.upper()).first()

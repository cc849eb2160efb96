"""Puts the reader's crisis-line country into every page (for the header help link)."""

from django.http import HttpRequest

from beacon.help.queries import resolve_country_code


def help_country(request: HttpRequest) -> dict[str, str]:
    return {"help_country_code": resolve_country_code(request)}

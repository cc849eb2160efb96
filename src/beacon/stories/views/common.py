"""Helpers shared by the story views: reader preferences and the editor's text stash."""

from __future__ import annotations

from django.http import HttpRequest

from beacon.stories.enums import WarningPreference

PREFS_COOKIE = "beacon_cw"
STASH_KEY = "beacon_story_stash"


def reader_preferences(request: HttpRequest) -> dict[str, str]:
    """{warning slug: "hide" | "blur"} from the account, else from the visitor's cookie."""
    if request.user.is_authenticated:
        return dict(request.user.hidden_warnings or {})
    raw = request.COOKIES.get(PREFS_COOKIE, "")
    prefs = {}
    for item in raw.split("|"):
        slug, _, choice = item.partition(":")
        if choice in (WarningPreference.HIDE, WarningPreference.BLUR):
            prefs[slug] = choice
    return prefs


def encode_preferences(prefs: dict[str, str]) -> str:
    return "|".join(f"{slug}:{choice}" for slug, choice in sorted(prefs.items()))

"""Getting an application process ready before it serves requests."""

from __future__ import annotations

import gc


def warm_up() -> None:
    """Import every view now and move everything loaded so far out of the garbage
    collector's reach.

    Django, the apps and the URL configuration leave about 100,000 long-lived objects;
    without this, every full collection walks all of them again, which costs tens of
    milliseconds on pages that build many small objects (directory search, feeds).
    `gc.freeze()` is the standard library's answer (and keeps memory shared between
    forked gunicorn workers).
    """
    from django.urls import get_resolver  # noqa: PLC0415 (after django.setup())

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    gc.collect()
    gc.freeze()

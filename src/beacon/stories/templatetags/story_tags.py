"""Template filters for story cards and pages: `{% load story_tags %}`."""

from __future__ import annotations

import re

from django import template

from beacon.stories.enums import HELP_WARNINGS
from beacon_safety import CONTENT_WARNINGS

register = template.Library()
LABELS = dict(CONTENT_WARNINGS)
_MARKUP = re.compile(r"[*_>#`\[\]]|\(https?://[^)]*\)")


@register.filter
def cw_label(slug: str) -> str:
    """The readable name of a content warning."""
    return LABELS.get(slug, slug)


@register.filter
def veiled(warnings: list[str], prefs: dict[str, str] | None) -> bool:
    """Whether a card should sit behind click-to-reveal for this reader."""
    return any((prefs or {}).get(w) in ("blur", "hide") for w in warnings)


@register.filter
def needs_help_link(warnings: list[str]) -> bool:
    return bool(HELP_WARNINGS & set(warnings))


@register.filter
def excerpt(body: str, length: int = 220) -> str:
    """Plain text from the start of a Markdown body, cut at a word boundary."""
    text = " ".join(_MARKUP.sub("", body or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"

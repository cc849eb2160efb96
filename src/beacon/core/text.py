"""Markdown rendering and HTML sanitising: the one place user text becomes HTML."""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML is off: people write Markdown, and sanitising is a second wall, not the first.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        "strikethrough"
    )


def sanitise_html(html: str) -> str:
    """Return `html` with only Beacon's allowed tags, attributes and URL schemes kept.

    Links get rel="nofollow noopener noreferrer ugc" so user links pass no referrer and no
    ranking. Headings h1 are not allowed: the page owns its h1.
    """
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """Render user Markdown to sanitised HTML, safe to insert into a template."""
    html = _markdown().render(text or "")
    # h1 in user text would compete with the page title: demote it to h2.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return mark_safe(sanitise_html(html))

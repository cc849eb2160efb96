"""Template helpers used across apps: `{% load beacon %}`."""

from django import template
from django.utils.safestring import SafeString

from beacon.core.languages import language_name
from beacon.core.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render user Markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter
def language_names(codes: list[str]) -> str:
    """Turn ISO 639-1 codes into English language names, keeping unknown codes as they are."""
    return ", ".join(language_name(code) for code in codes or [])

"""`{% help_strip %}`: a compact, always-visible row of the reader's crisis lines for the
conversation page (the full `{% crisis_panel %}` is shown at once when an answer reads as
crisis; the two use different ids so both can be on one page)."""

from django import template

from beacon.help.queries import country_for_code, resolve_country_code, visible_lines

register = template.Library()


@register.inclusion_tag("conversations/_help_strip.html", takes_context=True)
def help_strip(context):  # type: ignore[no-untyped-def]
    request = context["request"]
    country = country_for_code(resolve_country_code(request))
    lines = [line for line in visible_lines(country) if line.is_verified][:2] if country else []
    return {"country": country, "lines": lines}


@register.filter
def md_quote(text: str) -> str:
    """Every line of `text` as a Markdown block quote line ("> ...")."""
    return "\n".join(f"> {line}".rstrip() for line in str(text).splitlines())

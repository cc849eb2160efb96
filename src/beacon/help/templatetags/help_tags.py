"""`{% crisis_panel %}`: the reader's crisis lines, for any page that needs to offer help."""

from django import template

from beacon.help.queries import country_for_code, panel_lines, resolve_country_code

register = template.Library()


@register.inclusion_tag("help/_crisis_panel.html", takes_context=True)
def crisis_panel(context, heading: str = "You don't have to go through this alone"):  # type: ignore[no-untyped-def]
    """Show the first verified lines of the reader's country, calmly, with a link to all."""
    request = context["request"]
    country = country_for_code(resolve_country_code(request))
    lines = panel_lines(country) if country else []
    return {"country": country, "lines": lines, "heading": heading}

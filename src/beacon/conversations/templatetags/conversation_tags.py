"""Template helpers of the conversation pages.

`{% help_strip %}`: a compact, always-visible row of the reader's crisis lines (the help
app's `panel_lines` and each line's `quick_contacts`: calls and texts). The full
`{% crisis_panel %}` is shown at once when an answer reads as crisis; the two use different
ids so both can be on one page.
"""

import re
from datetime import datetime

from django import template

from beacon.conversations.services import local_clock, local_time
from beacon.help.queries import country_for_code, panel_lines, resolve_country_code

register = template.Library()


@register.inclusion_tag("conversations/_help_strip.html", takes_context=True)
def help_strip(context, compact: bool = False):  # type: ignore[no-untyped-def]
    request = context["request"]
    country = country_for_code(resolve_country_code(request))
    lines = panel_lines(country) if country else []
    return {"country": country, "lines": lines, "compact": compact}


@register.filter
def in_zone_of(moment: datetime | None, conversation) -> str:  # type: ignore[no-untyped-def]
    """`moment` as a date and time in the conversation's (the host's) time zone."""
    return local_time(conversation, moment) if moment else ""


@register.filter
def clock_in_zone_of(moment: datetime | None, conversation) -> str:  # type: ignore[no-untyped-def]
    """`moment` as "HH:MM" in the conversation's time zone (answer times)."""
    return local_clock(conversation, moment) if moment else ""


@register.filter
def md_quote(text: str) -> str:
    """Every line of `text` as a Markdown block quote line ("> ...").

    Participants' words are quoted in the Markdown transcript so that nothing they typed
    (a "## Question" line, a "**Name:**" line) can pass for the transcript's own structure.
    """
    return "\n".join(f"> {line}".rstrip() for line in str(text).splitlines())


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


@register.filter
def md_escape(text: str) -> str:
    """`text` with Markdown's special characters escaped, for names set in bold."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))

"""English names of languages from their ISO 639 codes (as services and crisis lines list
them): Django's own list first (its names are the familiar ones, "Greek" rather than
"Modern Greek (1453-)"), then the full ISO 639 tables that pycountry ships."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
from django.conf.locale import LANG_INFO

_QUALIFIER = re.compile(r"\s*\([^)]*\)$")


@lru_cache(maxsize=512)
def language_name(code: str) -> str:
    """The English name of the language with ISO 639-1 or 639-3 `code` ("tl" → "Tagalog");
    an unknown code comes back upper-cased, as it was given."""
    key = code.strip().lower()
    info = LANG_INFO.get(key)
    if isinstance(info, dict) and "name" in info:
        return info["name"]
    field = "alpha_2" if len(key) == 2 else "alpha_3"
    found = (
        pycountry.languages.get(**{field: key}) if key.isalpha() and len(key) in (2, 3) else None
    )
    if found is None:
        return code.strip().upper()
    return _QUALIFIER.sub("", getattr(found, "common_name", None) or found.name)

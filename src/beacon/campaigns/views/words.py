"""“Words matter”: the stigmatising-language guide, generated from beacon_safety's data (the
same entries the writing assistant suggests from), and a checker for pasted text.

The checker keeps nothing: the text is read in memory and answered; it is not saved, not
logged, and hidden from error reports.

Every language with a data directory is considered: those with stigmatising-language
entries can be chosen (`?lang=`); those without are named on the page as having none yet.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language_info
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from beacon.campaigns.forms import LanguageCheckForm
from beacon_safety import assess, available_languages, language_terms

DEFAULT_LANG = "en"

CATEGORY_LABELS = {
    "suicide": "Suicide and self-harm",
    "mental illness": "Mental health and mental illness",
    "substance use": "Substance use and addiction",
}
# The guides behind the table (keys as used in the data's `source` field).
SOURCE_NAMES = {
    "MF-S": "Mindframe, “Communicating about suicide: language”",
    "MF-MH": "Mindframe, “Communicating about mental ill-health: language”",
    "AP": "Associated Press Stylebook, “mental illness”",
    "AFSP": "AFSP / reportingonsuicide.org recommendations",
    "UT": "University of Texas at Austin brand guide, mental health",
    "VA": "U.S. Department of Veterans Affairs, “Destigmatizing language in substance use”",
    "NIDA": "NIDA, “Words Matter: Terms to Use and Avoid When Talking About Addiction”",
    "AAP": "American Academy of Pediatrics, “Recommended Terminology for Substance Use "
    "Disorders” (2022)",
    "ONDCP": "White House ONDCP, “Changing the language” (2017 draft)",
}


def term_groups(lang: str = "en") -> list[dict[str, Any]]:
    """The language entries grouped by category, in the data file's order."""
    groups: dict[str, dict[str, Any]] = {}
    for term in language_terms(lang):
        group = groups.setdefault(
            term.category,
            {
                "slug": term.category.replace(" ", "-"),
                "label": CATEGORY_LABELS.get(term.category, term.category.capitalize()),
                "terms": [],
            },
        )
        group["terms"].append(term)
    return list(groups.values())


def _sources_used(lang: str = "en") -> list[tuple[str, str]]:
    sources = " ".join(t.source for t in language_terms(lang))
    used = set(re.findall(r"\b[A-Z][A-Z-]*[A-Z]\b", sources))
    return [(key, name) for key, name in SOURCE_NAMES.items() if key in used]


def _language_name(code: str) -> tuple[str, str]:
    """The language's English name and its own name ("Spanish", "español")."""
    try:
        info = get_language_info(code)
    except KeyError:
        return code, code
    return info["name"], info["name_local"]


def guide_languages() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The languages of beacon_safety's data: (those with language entries, those without)."""
    offered: list[dict[str, str]] = []
    missing: list[dict[str, str]] = []
    for code in available_languages():
        name, local = _language_name(code)
        (offered if language_terms(code) else missing).append(
            {"code": code, "name": name, "local": local}
        )
    return offered, missing


def _chosen(code: str | None, offered: list[dict[str, str]]) -> str:
    codes = [lang["code"] for lang in offered]
    if code in codes:
        return str(code)
    return DEFAULT_LANG if DEFAULT_LANG in codes or not codes else codes[0]


@sensitive_variables("text", "result")
def _check(text: str, lang: str = DEFAULT_LANG) -> dict[str, Any]:
    result = assess(text, kind="generic", lang=lang)
    return {
        "checked": True,
        "risk": str(result.risk),
        "findings": [
            {
                "found": text[f.start : f.end],
                "entry_id": f.entry_id,
                "alternatives": f.alternatives,
                "why": f.why,
                "figurative": f.figurative,
            }
            for f in result.language
        ],
    }


@sensitive_post_parameters("text")
@require_http_methods(["GET", "POST"])
def words_matter(request: HttpRequest) -> HttpResponse:
    """The guide, with the checker; a POST answers on the same page (no JavaScript needed).

    `lang` (query or form) picks one of the languages that have entries; English otherwise.
    """
    offered, missing = guide_languages()
    lang = _chosen(request.POST.get("lang") or request.GET.get("lang"), offered)
    form = LanguageCheckForm(request.POST or None)
    context: dict[str, Any] = {
        "groups": term_groups(lang),
        "sources": _sources_used(lang),
        "form": form,
        "term_count": len(language_terms(lang)),
        "lang": lang,
        "lang_name": _language_name(lang)[0],
        "offered": offered,
        "missing": missing,
    }
    if request.method == "POST" and form.is_valid():
        context |= _check(form.cleaned_data["text"], lang)
    return render(request, "campaigns/words_matter.html", context)


@sensitive_post_parameters("text")
@require_POST
def words_check(request: HttpRequest) -> HttpResponse:
    """The checker's answer alone, for htmx while typing."""
    form = LanguageCheckForm(request.POST)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        context |= _check(
            form.cleaned_data["text"], _chosen(request.POST.get("lang"), guide_languages()[0])
        )
    return render(request, "campaigns/_check_result.html", context)

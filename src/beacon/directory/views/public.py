"""The public directory: search, a service's page, and "something wrong?"."""

from __future__ import annotations

import uuid
from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from beacon.directory import queries
from beacon.directory.actions import service_actions
from beacon.directory.enums import ServiceStatus
from beacon.directory.forms import KM_PER_MILE, ProblemReportForm, SearchForm
from beacon.directory.hours import OpenState, summarise, zone
from beacon.directory.indexing import rule_from_schedule, schedules_for
from beacon.directory.opening import compile_rules
from beacon.directory.search import Filters, search, stale_before
from beacon.directory.services import report_problem
from beacon.directory.taxonomy import taxonomy_id
from beacon.help.queries import resolve_country_code
from beacon.places.queries import nearest_place, search_places

PER_PAGE = 20
COST_TAXONOMY = "Beacon cost"
TERM_LABELS = {
    "Beacon resource kinds": "Kind of help",
    "Beacon audiences": "Especially for",
    "Beacon contact channels": "Ways to get in touch",
}
REPORTS_PER_HOUR = 10


def _choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "kind": queries.terms_of(taxonomy_id("resource-kind")),
        "audience": queries.terms_of(taxonomy_id("audience")),
        "channel": queries.terms_of(taxonomy_id("channel")),
        "cost": queries.terms_of(taxonomy_id("cost")),
        "language": queries.language_choices(),
    }


def _query_string(data: dict, **changes) -> str:  # type: ignore[type-arg]
    pairs = []
    for key, value in {**data, **changes}.items():
        if value in (None, "", False, [], ()):
            continue
        if isinstance(value, list | tuple):
            pairs += [(key, v) for v in value]
        else:
            pairs.append((key, "1" if value is True else value))
    return urlencode(pairs)


CHECKED = mark_safe(" checked")
FILTER_FIELDS = ("kind", "audience", "language", "channel", "cost")


def _filter_fieldsets(form: SearchForm) -> str:
    """The filter check boxes, one fieldset per filter with choices.

    Written out here rather than rendered widget by widget: a directory has a few hundred
    options and per-widget template rendering would be most of the page's time.
    """
    chosen = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    fieldsets = []
    for name in FILTER_FIELDS:
        field = form.fields[name]
        if not field.choices:
            continue
        picked = set(chosen.get(name) or ())
        boxes = format_html_join(
            "\n",
            '<div><input type="checkbox" name="{}" value="{}" id="id_{}_{}"{}> '
            '<label for="id_{}_{}">{}</label></div>',
            (
                (
                    name,
                    value,
                    name,
                    i,
                    mark_safe(" checked") if value in picked else "",
                    name,
                    i,
                    label,
                )
                for i, (value, label) in enumerate(field.choices)
            ),
        )
        fieldsets.append(
            format_html(
                '<fieldset class="checks"><legend>{}</legend>\n{}\n</fieldset>', field.label, boxes
            )
        )
    return mark_safe("\n".join(fieldsets))


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """The directory search: works as a plain GET form; every result list has its own URL."""
    country = resolve_country_code(request)
    form = SearchForm(request.GET, choices=_choices())
    form.is_valid()
    data = form.cleaned_data
    place = None
    place_label = ""
    alternatives = []
    place_problem = ""
    lat, lon = data.get("lat"), data.get("lon")
    if lat is not None and lon is not None:
        place_label = "your location"
        # The country and state of the coordinates, not the reader's: which national and
        # online services serve there.
        place = nearest_place(lat, lon)
    elif data.get("place"):
        found = search_places(data["place"], country=country, limit=6)
        if found:
            place = found[0]
            lat, lon = place.latitude, place.longitude
            place_label = place.label
            alternatives = found[1:]
        else:
            place_problem = (
                f"We couldn't find “{data['place']}”. Try a town or city name, or a US ZIP code."
            )
    searched = bool(request.GET)
    results = None
    rows = []
    if searched and not place_problem:
        filters = Filters(
            text=data.get("q", ""),
            kinds=tuple(data.get("kind") or ()),
            audiences=tuple(data.get("audience") or ()),
            languages=tuple(data.get("language") or ()),
            channels=tuple(data.get("channel") or ()),
            costs=tuple(data.get("cost") or ()),
            open_now=bool(data.get("open_now")),
            always_open=bool(data.get("always")),
            latitude=lat,
            longitude=lon,
            radius_km=data["radius"] * KM_PER_MILE,
            country=place.country if place else country,
            region=place.admin1 if place else "",
        )
        results = search(filters, now=timezone.now(), page=data.get("page") or 1, per_page=PER_PAGE)
        services = queries.services_by_id(
            [h.service_id for h in results.hits],
            [(h.service_id, h.location_id) for h in results.hits if h.location_id],
        )
        for hit in results.hits:
            found = services.get(hit.service_id)
            if found is None:
                continue
            address = found.addresses.get(hit.location_id)
            rows.append(
                {
                    "hit": hit,
                    "service": found.service,
                    "address": address,
                    "actions": service_actions(found.service, country, found.phones)[:3],
                    "miles": hit.distance_km / KM_PER_MILE if hit.distance_km is not None else None,
                }
            )
    base = {k: v for k, v in request.GET.lists() if k != "page"}
    base = {
        k: (v if len(v) > 1 or k in {"kind", "audience", "language", "channel", "cost"} else v[0])
        for k, v in base.items()
    }
    context = {
        "form": form,
        "filter_fieldsets": _filter_fieldsets(form),
        "rows": rows,
        "results": results,
        "searched": searched,
        "place_label": place_label,
        "place_problem": place_problem,
        "alternatives": [(p, _query_string(base, place=p.label)) for p in alternatives],
        "prev_url": f"?{_query_string(base, page=results.page - 1)}"
        if results and results.page > 1
        else "",
        "next_url": f"?{_query_string(base, page=results.page + 1)}"
        if results and results.page < results.pages
        else "",
        "stale_days": settings.BEACON_DIRECTORY_STALE_DAYS,
    }
    return render(request, "directory/search.html", context)


def _service_or_404(service_id: uuid.UUID):  # type: ignore[no-untyped-def]
    service = queries.service_for_page(service_id)
    if service is None:
        raise Http404("No such service")
    return service


def _hours(service, now):  # type: ignore[no-untyped-def]
    """The open state and the hours per channel, from every schedule that sets the
    service's hours (its own, at its locations, or its locations' own: `schedules_for`).
    A temporarily closed service is closed whatever its usual hours say."""
    schedules = schedules_for(service)
    rules = [r for r in (rule_from_schedule(s) for s in schedules) if r]
    notes: dict[str, list[str]] = defaultdict(list)
    today = now.astimezone(zone(service.time_zone)).date()
    for schedule in schedules:
        if schedule.description and not (schedule.valid_to and schedule.valid_to < today):
            notes[schedule.channel].append(schedule.description)
    state, hours = summarise(compile_rules(rules), service.time_zone, now, notes)
    if service.status != ServiceStatus.ACTIVE:
        closed = OpenState(known=True, open=False, label="Temporarily closed")
        if service.status != ServiceStatus.TEMPORARILY_CLOSED:
            closed.label = "Closed"
        state = closed
        for channel in hours:
            if channel.state.known:
                channel.state = closed
    return state, hours


@require_safe
def service_page(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _service_or_404(service_id)
    return _render_service(request, service, ProblemReportForm())


def _render_service(request, service, report_form, status=200):  # type: ignore[no-untyped-def]
    now = timezone.now()
    state, hours = _hours(service, now)
    country = resolve_country_code(request)
    locations = [sal.location for sal in service.service_at_locations.all()]
    return render(
        request,
        "directory/service.html",
        {
            "service": service,
            "state": state,
            "hours": hours,
            "actions": service_actions(service, country),
            "locations": locations,
            "terms": {
                TERM_LABELS.get(name, name): terms
                for name, terms in queries.service_terms(service.id).items()
                if name != COST_TAXONOMY
            },
            "cost_terms": queries.service_terms(service.id).get(COST_TAXONOMY, []),
            "stale": service.assured_date is None
            or service.assured_date < stale_before(timezone.localdate()),
            "inactive": service.status in (ServiceStatus.INACTIVE, ServiceStatus.DEFUNCT),
            "report_form": report_form,
            "stale_days": settings.BEACON_DIRECTORY_STALE_DAYS,
        },
        status=status,
    )


def _report_allowed(request: HttpRequest) -> bool:
    """At most REPORTS_PER_HOUR reports per browser session, so the queue stays usable."""
    if not request.session.session_key:
        request.session.save()
    key = f"directory:reports:{request.session.session_key}"
    count = cache.get(key, 0)
    if count >= REPORTS_PER_HOUR:
        return False
    cache.set(key, count + 1, 3600)
    return True


@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _service_or_404(service_id)
    if request.method == "GET":
        return redirect(reverse("directory:service", args=[service.id]) + "#report")
    form = ProblemReportForm(request.POST)
    if not form.is_valid():
        return _render_service(request, service, form, status=400)
    if not _report_allowed(request):
        form.add_error(
            None,
            "You've sent several reports in the last hour. Thank you — please try again later.",
        )
        return _render_service(request, service, form, status=429)
    report_problem(
        service,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
        reporter=request.user,
    )
    messages.success(
        request,
        "Thank you. A directory curator will check this entry. Nothing you sent is shown publicly.",
    )
    return redirect(reverse("directory:service", args=[service.id]))
